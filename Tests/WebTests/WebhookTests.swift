import Foundation
import HTTPServer
import MimamoriTesting
import Store
import Synchronization
import Testing
import Web

/// Webhooks: a notification is POSTed, signed, to the authority's endpoint (a real server
/// here), retried with back-off when it fails, and never holds up the write.
@Suite(.serialized)
struct WebhookTests {
    /// A receiver that records what it gets and answers with the next status in `statuses`.
    final class Receiver: Sendable {
        final class State: Sendable {
            let received = Mutex<[HTTPRequest]>([])
            let statuses: Mutex<[Int]>
            init(_ statuses: [Int]) { self.statuses = Mutex(statuses) }
        }

        let state: State
        let server: HTTPServer
        let port: UInt16

        var received: [HTTPRequest] { state.received.withLock { $0 } }

        init(statuses: [Int]) throws {
            let state = State(statuses)
            self.state = state
            var configuration = HTTPServer.Configuration()
            configuration.port = 0
            server = HTTPServer(configuration: configuration) { request in
                state.received.withLock { $0.append(request) }
                let status = state.statuses.withLock { $0.isEmpty ? 204 : $0.removeFirst() }
                return HTTPResponse(status: status)
            }
            port = try server.start()
        }
    }

    @Test("a partner's notification reaches its webhook signed with its secret; a failure is retried later, then delivered")
    func signedAndRetried() throws {
        let f = try APIFixture()
        let receiver = try Receiver(statuses: [500])
        defer { receiver.server.stop() }
        let secret = "a-secret-of-32-characters-long!!"
        let admin = Actor.user(login: "cgc-admin", authority: "130001-01", role: .administrator)
        #expect(throws: StoreError.self) {
            try f.store.settings.update(
                of: "130001-01", AuthoritySettings(webhookURL: "http://127.0.0.1:\(receiver.port)/hook", webhookSecret: "short"), as: admin)
        }
        #expect(throws: StoreError.self) {
            try f.store.settings.update(of: "130001-01", AuthoritySettings(webhookURL: "file:///etc/passwd", webhookSecret: secret), as: admin)
        }
        try f.store.settings.update(
            of: "130001-01", AuthoritySettings(webhookURL: "http://127.0.0.1:\(receiver.port)/hook", webhookSecret: secret), as: admin)

        // The write answers at once; nothing has been sent yet.
        let created = try f.send("POST", "/api/v1/cases", as: .holder, json: RecordFixture.line("W-1"))
        #expect(created.status == 201)
        #expect(receiver.received.isEmpty)

        let sender = WebhookSender(store: f.store)
        let start = Date()
        #expect(try sender.sendDue(now: start) == 0)  // the receiver answers 500
        #expect(try sender.sendDue(now: start.addingTimeInterval(10)) == 0)  // not due again yet
        #expect(try sender.sendDue(now: start.addingTimeInterval(31)) == 1)
        let requests = receiver.received
        #expect(requests.count == 2)
        let last = try #require(requests.last)
        #expect(last.method == "POST" && last.path == "/hook")
        #expect(last.headers["x-mimamori-signature"] == "sha256=" + Secret.hmacSHA256(key: secret, message: last.body))
        let body = try #require(try JSONSerialization.jsonObject(with: Data(last.body)) as? [String: Any])
        #expect(body["kind"] as? String == "case.created" && body["from"] as? String == "131016")
        #expect(!String(decoding: last.body, as: UTF8.self).contains("山田"))
        #expect(try sender.sendDue(now: start.addingTimeInterval(3600)) == 0)  // delivered once only
        // The settings answer says a secret is set, never what it is.
        let settings = try f.send("GET", "/api/v1/settings", as: .partnerCGC)
        #expect(settings.body.contains(#""webhook_secret_set":true"#) && !settings.body.contains(secret))
    }

    @Test("HMAC-SHA-256 matches RFC 4231 test case 2")
    func hmacVector() {
        #expect(
            Secret.hmacSHA256(key: "Jefe", message: Array("what do ya want for nothing?".utf8))
                == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    @Test("an unreachable endpoint is given up after the last attempt, and other deliveries carry on")
    func givesUp() throws {
        let f = try APIFixture()
        try f.store.settings.update(
            of: "130001-01", AuthoritySettings(webhookURL: "http://127.0.0.1:9/unreachable", webhookSecret: String(repeating: "s", count: 16)),
            as: .localAdministrator)
        #expect(try f.send("POST", "/api/v1/cases", as: .holder, json: RecordFixture.line("W-2")).status == 201)
        let sender = WebhookSender(store: f.store)
        var now = Date()
        for _ in 0..<Webhooks.webhookMaxAttempts {
            #expect(try sender.sendDue(now: now) == 0)
            now = now.addingTimeInterval(7 * 3600)
        }
        #expect(try f.store.webhooks.due(as: .localAdministrator, now: now.addingTimeInterval(86_400)).isEmpty)
        let failed = try CommandRun.sqlite(
            f.store.dataDirectory.appendingPathComponent("catalogue.sqlite"), "SELECT attempts, failed_at IS NOT NULL FROM webhook_deliveries")
        #expect(failed == "\(Webhooks.webhookMaxAttempts)|1")
    }
}
