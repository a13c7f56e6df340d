import Foundation
import HTTPServer
import MimamoriTesting
import Prometheus
import Query
import Store
import Testing
import Web

/// A real server on an ephemeral port over a store holding one case of 千代田区 (131016)
/// whose child lives in 千代田区, with a user (and bearer token) for every relation the
/// access rules name.
final class APIFixture: Sendable {
    /// The users, by the relation they have to the case.
    enum Who: String, CaseIterable, Sendable {
        case holder = "chiyoda"  // 千代田区, the holder
        case holderAdmin = "chiyoda-admin"
        case partnerCGC = "tokyo-cgc"  // 東京都児童相談センター (130001-01), whose jurisdiction covers 千代田区
        case municipalityInJurisdiction = "chuo"  // 中央区 (131024): the same CGC's jurisdiction, but not the child's address
        case municipalityElsewhere = "osaka"  // 大阪市 (271004)
        case cgcElsewhere = "osaka-cgc"  // 大阪市こども相談センター (271004-01)
        case ministry = "ministry"
        case systemOperator = "ops"

        var authority: String {
            switch self {
            case .holder, .holderAdmin: "131016"
            case .partnerCGC: "130001-01"
            case .municipalityInJurisdiction: "131024"
            case .municipalityElsewhere: "271004"
            case .cgcElsewhere: "271004-01"
            case .ministry, .systemOperator: Authority.ministryCode
            }
        }

        var role: Actor.Role {
            switch self {
            case .holderAdmin: .administrator
            case .ministry: .ministry
            case .systemOperator: .systemOperator
            default: .worker
            }
        }
    }

    static let password = "correct horse battery staple"

    let search: TestSearch
    let server: HTTPServer
    let client: RawHTTPClient
    let caseID: String
    let tokens: [Who: String]
    let matches: MatchAlerter

    var store: Store { search.store }

    /// - Parameter caseHolder: the authority whose first case is `caseID`.
    init(lines: [String] = [RecordFixture.line("C-1")], caseHolder: String = "131016") throws {
        search = try TestSearch(lines: lines)
        let store = search.store
        // Inboxes start empty: the notifications the fixture's own import sent to partners are
        // not what a test of a workflow expects to find (ImportNotificationTests checks them).
        _ = try CommandRun.sqlite(
            store.dataDirectory.appendingPathComponent("catalogue.sqlite"), "DELETE FROM webhook_deliveries; DELETE FROM notifications;")
        var tokens: [Who: String] = [:]
        for who in Who.allCases {
            try store.users.create(
                login: who.rawValue, authority: who.authority, role: who.role, displayName: who.rawValue, password: Self.password,
                as: .localAdministrator)
            tokens[who] = try store.tokens.create(for: who.rawValue, label: "test", days: 1, as: .localAdministrator).token
        }
        self.tokens = tokens
        matches = MatchAlerter(engine: search.engine)
        // The ministry's staff and operators must have a second factor: without one their tokens are refused.
        for who in [Who.ministry, .systemOperator] {
            let actor = Actor.user(login: who.rawValue, authority: who.authority, role: who.role)
            let secret = try #require(Base32.decode(try store.secondFactors.begin(as: actor).secret))
            _ = try store.secondFactors.confirm(code: TOTP.code(secret: secret, step: TOTP.step(at: Date())), as: actor)
        }
        caseID = try #require(try store.cases.list(heldBy: caseHolder, as: .localAdministrator).first?.id)
        var configuration = HTTPServer.Configuration()
        configuration.port = 0
        configuration.bodyLimit = { WebApplication.bodyLimit(method: $0, path: $1) }
        configuration.metricsPrefix = WebApplication.metricsPrefix
        let registry = PrometheusCollectorRegistry()
        let application = WebApplication(engine: search.engine, metrics: { registry.exposition() })
        server = HTTPServer(configuration: configuration, registry: registry) { application.handle($0) }
        client = RawHTTPClient(port: try server.start())
    }

    deinit { server.stop() }

    /// A code `who`'s second factor accepts now, for the users who must have one (the
    /// ministry's staff, operators): the user enrols afresh, as after a lost device, confirming
    /// with the current code; the next step's code is then valid and unused. Nil for the others
    /// (unless `always`).
    func secondFactorCode(for who: Who, always: Bool = false) throws -> String? {
        guard always || who.role == .ministry || who.role == .systemOperator else { return nil }
        let actor = Actor.user(login: who.rawValue, authority: who.authority, role: who.role)
        try store.secondFactors.reset(who.rawValue, as: .localAdministrator)
        let secret = try #require(Base32.decode(try store.secondFactors.begin(as: actor).secret))
        let step = TOTP.step(at: Date())
        _ = try store.secondFactors.confirm(code: TOTP.code(secret: secret, step: step), as: actor)
        return TOTP.code(secret: secret, step: step + 1)
    }

    /// Sends one request, as `who` (bearer token) or with the given headers only.
    func send(
        _ method: String, _ path: String, as who: Who? = nil, headers: [String] = [], body: [UInt8] = [],
        contentType: String? = "application/json"
    ) throws -> RawHTTPClient.Reply {
        var lines = ["\(method) \(path) HTTP/1.1", "Host: 127.0.0.1", "Connection: close"]
        if let who { lines.append("Authorization: Bearer \(tokens[who]!)") }
        if !body.isEmpty || ["POST", "PATCH", "PUT"].contains(method) {
            if let contentType { lines.append("Content-Type: \(contentType)") }
            lines.append("Content-Length: \(body.count)")
        }
        lines += headers
        let reply = try client.send(Array((lines.joined(separator: "\r\n") + "\r\n\r\n").utf8) + body)
        return try #require(reply, "no reply to \(method) \(path)")
    }

    func send(_ method: String, _ path: String, as who: Who? = nil, headers: [String] = [], json: String) throws -> RawHTTPClient.Reply {
        try send(method, path, as: who, headers: headers, body: Array(json.utf8))
    }

    /// The reply's body as a JSON object.
    static func object(_ reply: RawHTTPClient.Reply) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(reply.body.utf8)) as? [String: Any], "not a JSON object: \(reply.body.prefix(300))")
    }

    /// A header of the reply (case-insensitive name).
    static func header(_ name: String, of reply: RawHTTPClient.Reply) -> String? {
        for line in reply.head.split(separator: "\r\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == name.lowercased() { return parts[1].trimmingCharacters(in: .whitespaces) }
        }
        return nil
    }

    /// How many audit entries there are (to check that refusals write nothing else).
    func auditCount(action: String? = nil, actor: Who? = nil) throws -> Int {
        try store.auditLog.entries(as: .localAdministrator, limit: 100_000).filter { entry in
            (action == nil || entry.action == action) && (actor == nil || entry.actor == "\(actor!.rawValue)@\(actor!.authority)")
        }.count
    }

    /// A tiny real PNG (2×2), made with libpng: the Store decodes every upload, so a file that
    /// only looks like a PNG is refused.
    static let png: [UInt8] = TestMedia.png(width: 2, height: 2)
}
