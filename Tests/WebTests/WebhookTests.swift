import Dispatch
import Foundation
import HTTPServer
import MimamoriTesting
import Outbound
import Store
import Synchronization
import Testing
import Web

/// Webhooks: a notification is POSTed, signed, to the authority's endpoint (a real server
/// here), retried with back-off when it fails, and never holds up the write; and the endpoint
/// can never be the server itself or another internal address (docs/security.md, "The webhook
/// cannot reach the internal network").
///
/// Loopback is never a destination, so receivers listen on this machine's own non-loopback
/// address (found with getifaddrs), whose network the tests list as allowed.
@Suite(.serialized)
struct WebhookTests {
    /// A receiver that records what it gets and answers with the next status in `statuses`
    /// (a 3xx with `Location: redirect`).
    final class Receiver: Sendable {
        final class State: Sendable {
            let received = Mutex<[HTTPRequest]>([])
            let statuses: Mutex<[Int]>
            let redirect = Mutex("")
            init(_ statuses: [Int]) { self.statuses = Mutex(statuses) }
        }

        let state: State
        let server: HTTPServer
        let host: String
        let port: UInt16

        var received: [HTTPRequest] { state.received.withLock { $0 } }

        init(host: String, statuses: [Int]) throws {
            let state = State(statuses)
            self.state = state
            self.host = host
            var configuration = HTTPServer.Configuration()
            configuration.host = host
            configuration.port = 0
            server = HTTPServer(configuration: configuration) { request in
                state.received.withLock { $0.append(request) }
                let status = state.statuses.withLock { $0.isEmpty ? 204 : $0.removeFirst() }
                let location = (300..<400).contains(status) ? [(name: "Location", value: state.redirect.withLock { $0 })] : []
                return HTTPResponse(status: status, headers: location)
            }
            port = try server.start()
        }
    }

    /// This machine's own address and network, where the tests' receivers listen.
    static func receiving() throws -> (address: String, network: String, policy: OutboundPolicy) {
        let (address, network) = try LocalAddresses.nonLoopbackIPv4()
        return (address, network, OutboundPolicy(allowing: [try IPNetwork(network)]))
    }

    @Test("a partner's notification reaches its webhook signed with its secret; a failure is retried later, then delivered")
    func signedAndRetried() throws {
        let f = try APIFixture()
        let (address, _, policy) = try Self.receiving()
        let receiver = try Receiver(host: address, statuses: [500])
        defer { receiver.server.stop() }
        let secret = "a-secret-of-32-characters-long!!"
        let url = "http://\(address):\(receiver.port)/hook"
        let admin = Actor.user(login: "cgc-admin", authority: "130001-01", role: .administrator)
        #expect(throws: StoreError.self) {
            try f.store.settings.update(of: "130001-01", AuthoritySettings(webhookURL: url, webhookSecret: "short"), as: admin)
        }
        #expect(throws: StoreError.self) {
            try f.store.settings.update(of: "130001-01", AuthoritySettings(webhookURL: "file:///etc/passwd", webhookSecret: secret), as: admin)
        }
        try f.store.settings.update(of: "130001-01", AuthoritySettings(webhookURL: url, webhookSecret: secret), as: admin)

        // The write answers at once; nothing has been sent yet.
        let created = try f.send("POST", "/api/v1/cases", as: .holder, json: RecordFixture.line("W-1"))
        #expect(created.status == 201)
        #expect(receiver.received.isEmpty)

        let sender = WebhookSender(store: f.store, policy: policy)
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
        let (address, _, policy) = try Self.receiving()
        try f.store.settings.update(
            of: "130001-01", AuthoritySettings(webhookURL: "http://\(address):9/unreachable", webhookSecret: String(repeating: "s", count: 16)),
            as: .localAdministrator)
        #expect(try f.send("POST", "/api/v1/cases", as: .holder, json: RecordFixture.line("W-2")).status == 201)
        let sender = WebhookSender(store: f.store, policy: policy)
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

    /// Spellings of addresses on this machine that are never a webhook's destination, each with
    /// the kind its refusal names.
    static let neverSpellings: [(host: String, kind: String)] = [
        ("127.0.0.1", "loopback"), ("2130706433", "loopback"), ("0x7f000001", "loopback"), ("0x7f.1", "loopback"), ("127.1", "loopback"),
        ("0177.0.0.1", "loopback"), ("[::1]", "loopback"), ("[::ffff:127.0.0.1]", "loopback"), ("[::ffff:7f00:1]", "loopback"),
        ("a@127.0.0.1", "loopback"), ("localhost", "loopback"), ("0.0.0.0", "unspecified"), ("[::]", "unspecified"),
    ]

    @Test("the settings refuse a never-allowed webhook in any spelling, and user-info, with a precise Japanese message (API and settings page)")
    func savedURLsRefused() throws {
        let f = try APIFixture()
        let secret = String(repeating: "s", count: 16)
        for (host, _) in Self.neverSpellings {
            let url = "http://\(host):8080/hook"
            let reply = try f.send("PUT", "/api/v1/settings", as: .holderAdmin, json: #"{"webhook_url": "\#(url)", "webhook_secret": "\#(secret)"}"#)
            let expected = host.contains("@") ? "利用者名・パスワード" : "のため、送信先にできません"
            #expect(reply.status == 400 && reply.body.contains("webhook_url: ") && reply.body.contains(expected), "\(url): \(reply.body)")
        }
        let metadata = try f.send(
            "PUT", "/api/v1/settings", as: .holderAdmin,
            json: #"{"webhook_url": "http://169.254.169.254/latest/meta-data/", "webhook_secret": "\#(secret)"}"#)
        #expect(metadata.status == 400 && metadata.body.contains("リンクローカルアドレス"), "\(metadata.body)")
        #expect(try f.store.settings.read(of: "131016", as: .localAdministrator).settings.webhookURL == nil)

        let (cookie, page, _) = try FormValidationTests.open(f, .holderAdmin, "/settings")
        var fields = FormValidationTests.filledIn(page.body, action: "/settings")
        fields = FormValidationTests.with(FormValidationTests.with(fields, "webhook_url", "http://2130706433:8080/"), "webhook_secret", secret)
        let refused = try SettingsPageTests.post(f, "/settings", cookie: cookie, fields)
        #expect(refused.status == 400 && refused.body.contains("127.0.0.1 はループバックアドレス"), "\(refused.body.prefix(2000))")
        #expect(try f.store.settings.read(of: "131016", as: .localAdministrator).settings.webhookURL == nil)
    }

    @Test(
        "mimamori serve never connects to loopback, unspecified, link-local or an unlisted private address, whatever the spelling; each delivery is recorded as refused, and why"
    )
    func serveNeverConnectsInside() throws {
        let listener = try ConnectionRecorder()
        defer { listener.stop() }
        let port = listener.port
        var hosts = Self.neverSpellings.map { (url: "http://\($0.host):\(port)/hook", reason: "\($0.kind) addresses are never allowed") }
        // This machine's own other addresses: special-purpose (192.0.2.2, fd00::2) and not listed, or link-local.
        let (address, _) = try LocalAddresses.nonLoopbackIPv4()
        hosts.append(("http://\(address):\(port)/hook", "is allowed only inside a network the operator lists"))
        for other in LocalAddresses.all() where other.isIPv6 {
            let host = "[" + other.address.replacingOccurrences(of: "%", with: "%25") + "]"
            if other.isLinkLocal {
                hosts.append(("http://\(host):\(port)/hook", "link-local addresses are never allowed"))
            } else if case .special = OutboundPolicy.kind(of: try #require(IPAddress(other.address))) {
                hosts.append(("http://\(host):\(port)/hook", "is allowed only inside a network the operator lists"))
            }
        }

        // The URLs are stored as they would have been before the settings checked them: the
        // sender's check at connect time is the defence. One authority (and delivery) each.
        let test = try TestStore()
        let catalogue = test.dataDirectory.appendingPathComponent("catalogue.sqlite")
        let authorities = try String(contentsOf: TestStore.dictionaries.appendingPathComponent("authorities.csv"), encoding: .utf8)
            .split(separator: "\n").dropFirst().compactMap { $0.split(separator: ",").first.map(String.init) }.prefix(hosts.count)
        var sql = "BEGIN;"
        for (authority, host) in zip(authorities, hosts) {
            sql += """
                INSERT INTO settings (authority, webhook_url, webhook_secret) VALUES ('\(authority)', '\(host.url)', 'a-secret-of-16-chars');
                INSERT INTO notifications (authority, kind, at) VALUES ('\(authority)', 'case.created', '2000-01-01T00:00:00.000Z');
                INSERT INTO webhook_deliveries (authority, notification_id, payload, next_attempt_at)
                    VALUES ('\(authority)', last_insert_rowid(), '{"kind":"case.created"}', '2000-01-01T00:00:00.000Z');
                """
        }
        _ = try CommandRun.sqlite(catalogue, sql + "COMMIT;")
        #expect(try CommandRun.sqlite(catalogue, "SELECT count(*) FROM webhook_deliveries") == "\(hosts.count)")

        let running = try CommandRun.start(["serve", "--data", test.dataDirectory.path, "--port", "0", "--no-access-log"])
        #expect(running.waitForOutput(containing: "Serving on") != nil)
        let deadline = Date().addingTimeInterval(60)
        while try CommandRun.sqlite(catalogue, "SELECT count(*) FROM webhook_deliveries WHERE attempts = 0") != "0", Date() < deadline {
            Thread.sleep(forTimeInterval: 0.5)
        }
        running.signal(SIGTERM)
        let run = CommandRun.finish(running)

        #expect(listener.connections.isEmpty, "the server connected to: \(listener.connections)")
        let outcomes = try CommandRun.sqlite(
            catalogue,
            "SELECT s.webhook_url || ' => ' || coalesce(d.last_error, 'DELIVERED') FROM webhook_deliveries d JOIN settings s USING (authority)"
        ).split(separator: "\n")
        #expect(outcomes.count == hosts.count)
        for host in hosts {
            let outcome = outcomes.first { $0.hasPrefix(host.url + " => ") } ?? "no attempt"
            #expect(outcome.contains("refused to connect to") && outcome.contains(host.reason), "\(host.url): \(outcome)")
        }
        let logged = run.standardError.split(separator: "\n").filter { $0.contains("webhook destination refused") }
        #expect(logged.count == hosts.count, "\(run.standardError.suffix(2000))")
    }

    @Test(
        "mimamori serve delivers to a listed private network, signed; a redirect (to the server's own /metrics) is an answer, not followed"
    )
    func serveDeliversToListedNetwork() throws {
        let f = try APIFixture()
        f.server.stop()
        try f.store.users.create(
            login: "cgc-admin", authority: "130001-01", role: .administrator, displayName: "cgc-admin", password: APIFixture.password,
            as: .localAdministrator)
        let adminToken = try f.store.tokens.create(for: "cgc-admin", label: "test", days: 1, as: .localAdministrator).token
        let (address, network, _) = try Self.receiving()
        let running = try CommandRun.start(["serve", "--data", f.store.dataDirectory.path, "--port", "0", "--webhook-allow-network", network])
        let banner = try #require(running.waitForOutput(containing: "Serving on"), "no banner")
        let port = try #require(UInt16(banner.split(separator: ":").last?.split(separator: "/").first ?? ""))
        let client = RawHTTPClient(port: port)
        func send(_ method: String, _ path: String, token: String, json: String) throws -> RawHTTPClient.Reply {
            let head = [
                "\(method) \(path) HTTP/1.1", "Host: 127.0.0.1", "Connection: close", "Authorization: Bearer \(token)",
                "Content-Type: application/json", "Content-Length: \(json.utf8.count)",
            ]
            return try #require(try client.send(Array((head.joined(separator: "\r\n") + "\r\n\r\n" + json).utf8)))
        }
        let catalogue = f.store.dataDirectory.appendingPathComponent("catalogue.sqlite")
        func waitFor(_ condition: String) {
            let deadline = Date().addingTimeInterval(30)
            while (try? CommandRun.sqlite(catalogue, "SELECT count(*) FROM webhook_deliveries WHERE \(condition)")) == "0", Date() < deadline {
                Thread.sleep(forTimeInterval: 0.3)
            }
        }

        let receiver = try Receiver(host: address, statuses: [302])
        defer { receiver.server.stop() }
        receiver.state.redirect.withLock { $0 = "http://127.0.0.1:\(port)/metrics" }
        let secret = "a-secret-of-32-characters-long!!"
        let saved = try send(
            "PUT", "/api/v1/settings", token: adminToken,
            json: #"{"webhook_url": "http://\#(address):\#(receiver.port)/hook", "webhook_secret": "\#(secret)"}"#)
        #expect(saved.status == 200, "\(saved.body)")

        #expect(try send("POST", "/api/v1/cases", token: f.tokens[.holder]!, json: RecordFixture.line("W-3")).status == 201)
        waitFor("attempts > 0")
        #expect(try CommandRun.sqlite(catalogue, "SELECT attempts, last_error FROM webhook_deliveries") == "1|answered 302")
        #expect(try send("POST", "/api/v1/cases", token: f.tokens[.holder]!, json: RecordFixture.line("W-4")).status == 201)
        waitFor("delivered_at IS NOT NULL")
        running.signal(SIGTERM)
        let run = CommandRun.finish(running)

        let requests = receiver.received
        #expect(requests.map { "\($0.method) \($0.path)" } == ["POST /hook", "POST /hook"], "nothing but the two deliveries")
        let last = try #require(requests.last)
        #expect(last.headers["x-mimamori-signature"] == "sha256=" + Secret.hmacSHA256(key: secret, message: last.body))
        #expect(try CommandRun.sqlite(catalogue, "SELECT count(*) FROM webhook_deliveries WHERE delivered_at IS NOT NULL") == "1")
        let metrics = run.standardError.split(separator: "\n").filter { $0.contains(#""route":"/metrics""#) }
        #expect(metrics.isEmpty, "the redirect was followed: \(metrics)")
    }

    @Test(
        "mimamori serve refuses a --webhook-allow-network that is never allowed or not written strictly",
        arguments: [
            ("127.0.0.0/8", "loopback addresses are never allowed"), ("169.254.169.254", "link-local addresses are never allowed"),
            ("::1", "loopback"), ("10.1.2.3/8", "did you mean 10.0.0.0/8"), ("10.1", "not an IPv4 address"),
        ])
    func allowListChecked(_ network: String, _ message: String) throws {
        let run = try CommandRun.mimamori(["serve", "--port", "0", "--webhook-allow-network", network])
        #expect(run.status == 64 && run.standardError.contains(message), "\(run.standardError)")
    }
}

/// A listener on every address of this machine (IPv4 and IPv6, one port) that records each
/// connection it is offered and closes it: a destination the server must never reach.
final class ConnectionRecorder: Sendable {
    let port: UInt16
    private let socket: Int32
    private let accepted = Mutex<[String]>([])
    private let running = Atomic<Bool>(true)
    private let finished = DispatchSemaphore(value: 0)

    /// The peers that connected, as `address port`.
    var connections: [String] { accepted.withLock { $0 } }

    init() throws {
        let socket = Foundation.socket(AF_INET6, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw POSIXError(.EIO) }
        self.socket = socket
        var no: Int32 = 0
        var yes: Int32 = 1
        setsockopt(socket, Int32(IPPROTO_IPV6), IPV6_V6ONLY, &no, socklen_t(MemoryLayout<Int32>.size))
        setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in6()
        address.sin6_family = sa_family_t(AF_INET6)
        address.sin6_addr = in6addr_any
        var length = socklen_t(MemoryLayout<sockaddr_in6>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) } }
        guard bound == 0, listen(socket, 64) == 0 else {
            close(socket)
            throw POSIXError(.EADDRINUSE)
        }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) } }
        port = UInt16(bigEndian: address.sin6_port)
        DispatchQueue.global().async { [self] in
            let socket = self.socket
            var pending = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
            while running.load(ordering: .acquiring) {
                guard poll(&pending, 1, 100) > 0 else { continue }
                var peer = sockaddr_in6()
                var peerLength = socklen_t(MemoryLayout<sockaddr_in6>.size)
                let connection = withUnsafeMutablePointer(to: &peer) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { accept(socket, $0, &peerLength) }
                }
                guard connection >= 0 else { continue }
                var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
                inet_ntop(AF_INET6, &peer.sin6_addr, &text, socklen_t(text.count))
                let name = String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                accepted.withLock { $0.append("\(name) \(UInt16(bigEndian: peer.sin6_port))") }
                close(connection)
            }
            finished.signal()
        }
    }

    /// Stops listening (waits for the accepting loop to end).
    func stop() {
        guard running.exchange(false, ordering: .acquiringAndReleasing) else { return }
        finished.wait()
        close(socket)
    }
}
