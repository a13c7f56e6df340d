import Foundation
import MimamoriTesting
import Store
import Testing

/// Every decision that is not a case capability — settings, users, tokens, reports, metrics,
/// audit trail, the ministry's list, alerts, the service's own data — × every kind of user:
/// exactly the allowed ones pass, and every refusal is audited once, by the core.
struct PermissionMatrixTests {
    /// The users, as in the API's access matrix: 千代田区's worker and administrator, the partner
    /// CGC, a municipality in the same jurisdiction, a municipality and a CGC elsewhere, the
    /// ministry and an operator.
    enum Who: String, CaseIterable {
        case holder = "chiyoda", holderAdmin = "chiyoda-admin", partnerCGC = "tokyo-cgc", inJurisdiction = "chuo"
        case elsewhere = "osaka", cgcElsewhere = "osaka-cgc", ministry = "ministry", systemOperator = "ops"

        var actor: Actor {
            switch self {
            case .holder: .user(login: rawValue, authority: "131016", role: .worker)
            case .holderAdmin: .user(login: rawValue, authority: "131016", role: .administrator)
            case .partnerCGC: .user(login: rawValue, authority: "130001-01", role: .worker)
            case .inJurisdiction: .user(login: rawValue, authority: "131024", role: .worker)
            case .elsewhere: .user(login: rawValue, authority: "271004", role: .worker)
            case .cgcElsewhere: .user(login: rawValue, authority: "271004-01", role: .worker)
            case .ministry: .user(login: rawValue, authority: Authority.ministryCode, role: .ministry)
            case .systemOperator: .user(login: rawValue, authority: Authority.ministryCode, role: .systemOperator)
            }
        }
    }

    struct Operation {
        let name: String
        let allowed: Set<Who>
        let run: (Store, Who) throws -> Void
    }

    @Test("each non-case operation is allowed to exactly the users the policy names, and each refusal is audited")
    func matrix() throws {
        let test = try TestStore()
        let store = test.store
        let admin = Actor.localAdministrator
        try store.users.create(
            login: "chiyoda", authority: "131016", role: .worker, displayName: "千代田 職員", password: "correct horse battery", as: admin)
        let form = try store.reports.publish(
            year: 2026, title: "児童相談所職員配置状況", fields: [ReportForm.Field(key: "staff", label: "職員数", type: .integer)], as: admin)
        // A notification in 千代田区's inbox (a match alert between two of its cases).
        let first = try store.cases.create(json: Array(RecordFixture.line("M-1").utf8), as: admin).id
        let second = try store.cases.create(json: Array(RecordFixture.line("M-2").utf8), as: admin).id
        try store.notifications.recordMatch(newCase: second, newHolder: "131016", existingCase: first, existingHolder: "131016")
        let notification = try #require(try store.notifications.inbox(of: "131016", as: admin).first?.id)
        var counter = 0
        func unique(_ who: Who) -> String {
            counter += 1
            return "\(who.rawValue)-\(counter)"
        }
        let operations: [Operation] = [
            Operation(name: "read the settings", allowed: [.holder, .holderAdmin]) { store, who in
                _ = try store.settings.read(of: "131016", as: who.actor)
            },
            Operation(name: "change the settings", allowed: [.holderAdmin]) { store, who in
                try store.settings.update(of: "131016", AuthoritySettings(grantDays: 30), as: who.actor)
            },
            Operation(name: "tighten an access rule", allowed: [.holderAdmin]) { store, who in
                try store.settings.setAccessRule(of: "131016", for: .other, to: [.seeSummary], as: who.actor)
            },
            Operation(name: "list the users", allowed: [.holderAdmin]) { store, who in
                _ = try store.users.list(of: "131016", as: who.actor)
            },
            Operation(name: "create a user", allowed: [.holderAdmin]) { store, who in
                try store.users.create(
                    login: unique(who), authority: "131016", role: .worker, displayName: "新規 職員", password: "correct horse battery", as: who.actor)
            },
            Operation(name: "disable a user", allowed: [.holderAdmin]) { store, who in
                let login = unique(who)
                try store.users.create(
                    login: login, authority: "131016", role: .worker, displayName: "x", password: "correct horse battery", as: admin)
                try store.users.disable(login, as: who.actor)
            },
            Operation(name: "reset a password", allowed: [.holderAdmin]) { store, who in
                let login = unique(who)
                try store.users.create(
                    login: login, authority: "131016", role: .worker, displayName: "x", password: "correct horse battery", as: admin)
                try store.users.changePassword(of: login, current: nil, new: "another horse battery", as: who.actor)
            },
            Operation(name: "create a token for chiyoda", allowed: [.holder, .holderAdmin]) { store, who in
                _ = try store.tokens.create(for: "chiyoda", label: "t", days: 1, as: who.actor)
            },
            Operation(name: "revoke a token of chiyoda", allowed: [.holder, .holderAdmin]) { store, who in
                let token = try store.tokens.create(for: "chiyoda", label: "t", days: 1, as: admin)
                try store.tokens.revoke(token.info.id, as: who.actor)
            },
            Operation(name: "list the tokens of chiyoda", allowed: [.holder, .holderAdmin]) { store, who in
                _ = try store.tokens.list(of: "chiyoda", as: who.actor)
            },
            Operation(name: "list the tokens of 千代田区's users", allowed: [.holderAdmin]) { store, who in
                _ = try store.tokens.list(ofAuthority: "131016", as: who.actor)
            },
            Operation(name: "list the tokens of every authority's users", allowed: []) { store, who in
                _ = try store.tokens.list(ofAuthority: nil, as: who.actor)
            },
            Operation(name: "set the longest token lifetime", allowed: []) { store, who in
                try store.tokens.setMaximumDays(30, as: who.actor)
            },
            Operation(name: "read the audit trail", allowed: [.holderAdmin]) { store, who in
                _ = try store.auditLog.auditTrail(of: "131016", as: who.actor)
            },
            Operation(name: "list 千代田区's voided cases", allowed: [.holderAdmin]) { store, who in
                _ = try store.cases.voided(holder: "131016", as: who.actor)
            },
            Operation(name: "list every holder's voided cases", allowed: []) { store, who in
                _ = try store.cases.voided(holder: nil, as: who.actor)
            },
            Operation(name: "publish a report form", allowed: [.ministry]) { store, who in
                _ = try store.reports.publish(year: 2026, title: "t", fields: [ReportForm.Field(key: "k", label: "l", type: .text)], as: who.actor)
            },
            Operation(name: "export a report", allowed: [.ministry]) { store, who in
                _ = try store.reports.csv(form.id, as: who.actor)
            },
            Operation(name: "submit a report", allowed: [.holder, .holderAdmin, .partnerCGC, .inJurisdiction, .elsewhere, .cgcElsewhere]) {
                store, who in
                try store.reports.submit(form.id, answers: ["staff": "12"], as: who.actor)
            },
            Operation(name: "list the serious cases", allowed: [.ministry]) { store, who in
                _ = try store.seriousCases.list(as: who.actor)
            },
            Operation(name: "list the missing-child alerts", allowed: [.partnerCGC, .cgcElsewhere]) { store, who in
                _ = try store.alerts.list(as: who.actor)
            },
            Operation(name: "read the metrics", allowed: [.holderAdmin, .systemOperator]) { store, who in
                try store.require(.readMetrics, as: who.actor, action: "metrics.read")
            },
            Operation(name: "open a notification of 千代田区's inbox (others: it does not exist)", allowed: [.holder, .holderAdmin]) { store, who in
                _ = try store.notifications.markRead(notification, as: who.actor)
            },
            Operation(name: "read the index's change feed", allowed: []) { store, who in
                _ = try store.changeFeed.changes(inPrefecture: "13", after: 0, as: who.actor)
            },
            Operation(name: "read the webhook deliveries with their secrets", allowed: []) { store, who in
                _ = try store.webhooks.due(as: who.actor)
            },
            Operation(name: "read the whole audit log", allowed: []) { store, who in
                _ = try store.auditLog.entries(as: who.actor)
            },
        ]
        var unexpected: [String] = []
        for operation in operations {
            for who in Who.allCases {
                let before = try Self.denials(store, who)
                do {
                    try operation.run(store, who)
                    if !operation.allowed.contains(who) { unexpected.append("\(operation.name) as \(who): allowed") }
                } catch let error as StoreError where error.kind == .permissionDenied || error.kind == .notFound {
                    if operation.allowed.contains(who) { unexpected.append("\(operation.name) as \(who): refused (\(error))") }
                    #expect(try Self.denials(store, who) == before + 1, "\(operation.name) as \(who): the refusal is not audited once")
                }
            }
        }
        #expect(unexpected.isEmpty, "\(unexpected.joined(separator: "\n"))")
        #expect(try store.auditLog.verify() == nil)
    }

    static func denials(_ store: Store, _ who: Who) throws -> Int {
        try store.auditLog.entries(as: .localAdministrator, limit: 100_000)
            .filter { $0.action == "denied" && $0.actor == who.actor.description }.count
    }
}
