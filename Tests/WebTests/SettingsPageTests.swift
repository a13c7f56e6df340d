import Foundation
import MimamoriTesting
import Store
import Testing
import Web

/// The administrator's settings page: the access rules of the authority's cases can be
/// narrowed there (never widened), and a partner then sees less.
@Suite(.serialized)
struct SettingsPageTests {
    static func post(_ f: APIFixture, _ path: String, cookie: String, _ fields: [FormValidationTests.Field]) throws -> RawHTTPClient.Reply {
        let body = fields.map { field in
            [field.name, field.value].map { $0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "" }.joined(separator: "=")
        }.joined(separator: "&")
        return try f.send("POST", path, headers: ["Cookie: \(cookie)"], body: Array(body.utf8), contentType: "application/x-www-form-urlencoded")
    }

    @Test("an administrator narrows what the partner CGC may do; the partner's case page then shows no attachments")
    func narrowPartner() throws {
        let f = try APIFixture()
        _ = try f.store.attachments.add(toCase: f.caseID, content: APIFixture.png, declaredType: nil, name: "photo.png", as: .localAdministrator)
        let partner = try PageCheckTests.signIn(f, .partnerCGC)
        #expect(try f.send("GET", "/cases/\(f.caseID)", headers: ["Cookie: \(partner)"]).body.contains(#"id="h-attachments""#))

        let (cookie, page, _) = try FormValidationTests.open(f, .holderAdmin, "/settings")
        let fields = FormValidationTests.filledIn(page.body, action: "/settings")
        // Every default capability of every relation is offered, and checked.
        #expect(fields.filter { $0.name == "rule.partner" }.map(\.value).sorted() == ["attachments", "note", "record", "summary"])
        let narrowed = fields.filter { !($0.name == "rule.partner" && $0.value == "attachments") }
        let saved = try Self.post(f, "/settings", cookie: cookie, narrowed)
        #expect(saved.status == 303, "\(saved.body.prefix(400))")
        #expect(try f.store.settings.read(of: "131016", as: .localAdministrator).rules == [.partner: [.seeSummary, .readRecord, .addNote]])

        let after = try f.send("GET", "/cases/\(f.caseID)", headers: ["Cookie: \(partner)"])
        #expect(after.status == 200 && after.body.contains("山田 太郎") && !after.body.contains(#"id="h-attachments""#))
        // The form shows the narrowed rule.
        let reopened = try f.send("GET", "/settings", headers: ["Cookie: \(cookie)"])
        #expect(!FormValidationTests.filledIn(reopened.body, action: "/settings").contains { $0.name == "rule.partner" && $0.value == "attachments" })
    }

    @Test("a rule that would widen the default is refused whole: nothing of that submission is saved")
    func wideningRefused() throws {
        let f = try APIFixture()
        let (cookie, page, _) = try FormValidationTests.open(f, .holderAdmin, "/settings")
        let fields = FormValidationTests.with(FormValidationTests.filledIn(page.body, action: "/settings"), "grant_days", "30")
        let refused = try Self.post(f, "/settings", cookie: cookie, fields + [("rule.other", "record")])
        #expect(refused.status == 400 && refused.body.contains("入力内容を確認してください"))
        #expect(try f.store.settings.read(of: "131016", as: .localAdministrator).settings.grantDays == 90)
        #expect(try f.store.settings.read(of: "131016", as: .localAdministrator).rules.isEmpty)
        // A worker cannot open the page at all.
        let worker = try PageCheckTests.signIn(f, .holder)
        #expect(try f.send("GET", "/settings", headers: ["Cookie: \(worker)"]).status == 403)
    }

    @Test("the settings form names a supervisor as the only transfer approver and routes match alerts to supervisors without the webhook")
    func routing() throws {
        let f = try APIFixture()
        _ = try RoutingSettingsTests.supervisor(f)
        let (cookie, page, _) = try FormValidationTests.open(f, .holderAdmin, "/settings")
        #expect(page.body.contains("承認者") && page.body.contains("通知先") && page.body.contains("他機関のケースと一致する可能性があります"))
        var fields = FormValidationTests.filledIn(page.body, action: "/settings")
        // Unchanged, the form stores nothing: the defaults stay defaults.
        #expect(try Self.post(f, "/settings", cookie: cookie, fields).status == 303)
        #expect(try f.store.settings.notificationTargets(of: "131016").isEmpty)
        fields = fields.filter { !$0.name.hasPrefix("approvers.transfer.roles") }
        fields = FormValidationTests.with(fields, "approvers.transfer.users", "chiyoda-sup")
        fields = fields.filter { !($0.name == "targets.match.found.roles" && $0.value != "supervisor") && $0.name != "targets.match.found.webhook" }
        let saved = try Self.post(f, "/settings", cookie: cookie, fields)
        #expect(saved.status == 303, "\(saved.body.prefix(400))")
        #expect(try f.store.settings.approvers(of: "131016")[.transfer] == Audience(users: ["chiyoda-sup"]))
        #expect(
            try f.store.settings.notificationTargets(of: "131016") == [
                "match.found": NotificationTarget(audience: Audience(roles: [.supervisor]), webhook: false)
            ])
        // An unknown login is refused on the form, and nothing of that submission is saved.
        let refused = try Self.post(
            f, "/settings", cookie: cookie,
            FormValidationTests.with(FormValidationTests.with(fields, "grant_days", "30"), "approvers.request.users", "nobody"))
        #expect(refused.status == 400 && refused.body.contains("nobody"), "\(refused.status)")
        #expect(try f.store.settings.read(of: "131016", as: .localAdministrator).settings.grantDays == 90)
    }
}
