import Foundation
import MimamoriTesting
import Store
import Testing
import Web

/// Settings an authority asked for beyond access levels: who approves what, and who receives
/// which notifications (and whether its webhook does), through the real server.
@Suite(.serialized)
struct RoutingSettingsTests {
    /// A supervisor of 千代田区 with an API token, beside the fixture's users.
    static func supervisor(_ f: APIFixture) throws -> [String] {
        try f.store.users.create(
            login: "chiyoda-sup", authority: "131016", role: .supervisor, displayName: "係長", password: APIFixture.password,
            as: .localAdministrator)
        let token = try f.store.tokens.create(for: "chiyoda-sup", label: "test", days: 1, as: .localAdministrator).token
        return ["Authorization: Bearer \(token)"]
    }

    @Test("named approvers: only they approve a transfer (never its proposer) or answer a request; the defaults come back with null")
    func approvers() throws {
        let f = try APIFixture()
        let supervisor = try Self.supervisor(f)
        let put = try f.send(
            "PUT", "/api/v1/settings", as: .holderAdmin,
            json: #"{"approval_required": true, "approvers": {"transfer": {"users": ["chiyoda-sup"]}, "request": {"roles": ["supervisor"]}}}"#)
        try #require(put.status == 200, "\(put.body.prefix(300))")
        let document = try APIFixture.object(put)
        let approvers = try #require(document["approvers"] as? [String: [String: Any]])
        #expect(approvers["transfer"]?["users"] as? [String] == ["chiyoda-sup"] && approvers["transfer"]?["roles"] as? [String] == [])
        #expect(approvers["provision"]?["roles"] as? [String] == ["supervisor", "administrator"], "an unnamed workflow keeps its default")

        let transfer = try #require(try TransferAPITests.propose(f, kind: "transfer")["id"] as? String)
        let refused = try TransferAPITests.step(f, transfer, "approve", as: .holderAdmin)
        #expect(refused.status == 403 && refused.body.contains("chiyoda-sup"), "\(refused.body.prefix(200))")
        #expect(try f.send("POST", "/api/v1/transfers/\(transfer)/approve", headers: supervisor, json: "{}").status == 200)
        #expect(try TransferAPITests.step(f, transfer, "withdraw", as: .holder).status == 200)
        // A provision follows the default: an administrator approves it.
        let provision = try #require(try TransferAPITests.propose(f, kind: "provision")["id"] as? String)
        #expect(try TransferAPITests.step(f, provision, "approve", as: .holderAdmin).status == 200)

        // Requests to 千代田区 are answered by its supervisors only.
        let asked = try f.send("POST", "/api/v1/cases/\(f.caseID)/requests", as: .municipalityElsewhere, json: #"{"reason": "転入の確認"}"#)
        let request = try #require(try APIFixture.object(asked)["id"] as? String, "\(asked.body.prefix(200))")
        #expect(try f.send("POST", "/api/v1/requests/\(request)/approve", as: .holder, json: "{}").status == 403)
        #expect(try f.send("POST", "/api/v1/requests/\(request)/decline", headers: supervisor, json: #"{"reason": "該当なし"}"#).status == 200)

        // Back to the defaults.
        let reset = try f.send("PUT", "/api/v1/settings", as: .holderAdmin, json: #"{"approvers": {"transfer": null, "request": null}}"#)
        let defaults = try #require(try APIFixture.object(reset)["approvers"] as? [String: [String: Any]])
        #expect(defaults["request"]?["roles"] as? [String] == ["worker", "supervisor", "administrator"])
        let trail = try f.store.auditLog.auditTrail(of: "131016", as: .localAdministrator)
        #expect(trail.contains { $0.action == "settings.approvers" && $0.detail == "transfer=chiyoda-sup" })
    }

    @Test("notification targets: a kind routed to a supervisor leaves the workers' inbox, stays in the administrators', and skips the webhook")
    func notificationTargets() throws {
        let f = try CorrectionTests.fixture()
        let supervisor = try Self.supervisor(f)
        let put = try f.send(
            "PUT", "/api/v1/settings", as: .holderAdmin,
            json: #"""
                {"webhook_url": "https://hooks.example.org/mimamori", "webhook_secret": "a-signing-secret-of-length",
                 "notification_targets": {"link.proposed": {"users": ["chiyoda-sup"], "webhook": false}}}
                """#)
        try #require(put.status == 200, "\(put.body.prefix(300))")
        let targets = try #require(try APIFixture.object(put)["notification_targets"] as? [String: [String: Any]])
        #expect(targets["link.proposed"]?["webhook"] as? Bool == false && targets["link.proposed"]?["users"] as? [String] == ["chiyoda-sup"])

        // The CGC proposes a link to 千代田区's record; a case update goes to the CGC, not routed.
        let ours = try CaseworkTests.caseID(f, "C-1", holder: "131016")
        let theirs = try CaseworkTests.caseID(f, "CGC-1", holder: "130001-01")
        #expect(try f.send("POST", "/api/v1/cases/\(theirs)/links", as: .partnerCGC, json: #"{"case_id": "\#(ours)"}"#).status == 201)
        func kinds(_ headers: [String], as who: APIFixture.Who? = nil) throws -> [String] {
            let inbox = try APIFixture.object(try f.send("GET", "/api/v1/notifications", as: who, headers: headers))
            return (inbox["notifications"] as? [[String: Any]] ?? []).compactMap { $0["kind"] as? String }
        }
        #expect(!(try kinds([], as: .holder)).contains("link.proposed"), "a worker sees a kind routed to the supervisor")
        #expect(try kinds(supervisor).contains("link.proposed"))
        #expect(try kinds([], as: .holderAdmin).contains("link.proposed"), "an administrator sees every kind")
        let deliveries = try CommandRun.sqlite(
            f.store.dataDirectory.appendingPathComponent("catalogue.sqlite"),
            "SELECT count(*) FROM webhook_deliveries WHERE authority = '131016' AND payload LIKE '%link.proposed%'")
        #expect(deliveries == "0", "the webhook got a kind routed away from it")
        // An unrouted kind still goes to everyone and the webhook.
        #expect(try f.send("POST", "/api/v1/cases/\(theirs)/links", as: .partnerCGC, json: "{}").status == 400)
        let link = try #require(try f.store.links.links(ofCase: ours, as: .localAdministrator).first)
        #expect(try f.send("POST", "/api/v1/links/\(link.id)/end", as: .partnerCGC).status == 200)
        #expect(try kinds([], as: .holder).contains("link.withdrawn"))
        let hooked = try CommandRun.sqlite(
            f.store.dataDirectory.appendingPathComponent("catalogue.sqlite"),
            "SELECT count(*) FROM webhook_deliveries WHERE authority = '131016' AND payload LIKE '%link.withdrawn%'")
        #expect(hooked == "1")
    }

    @Test("a wrong approver or target is refused by name, and nothing of the change is written")
    func refusals() throws {
        let f = try APIFixture()
        let refusals: [(String, String)] = [
            (#"{"approvers": {"payments": {"roles": ["supervisor"]}}}"#, "payments"),
            (#"{"approvers": {"transfer": {}}}"#, "at least one"),
            (#"{"approvers": {"transfer": {"roles": ["ministry"]}}}"#, "ministry"),
            (#"{"approvers": {"transfer": {"users": ["tokyo-cgc"]}}}"#, "tokyo-cgc"),
            (#"{"approvers": {"transfer": {"roles": "supervisor"}}}"#, "roles"),
            (#"{"approvers": {"transfer": {"roles": ["supervisor"], "webhook": false}}}"#, "webhook"),
            (#"{"notification_targets": {"case.deleted": {"roles": ["worker"]}}}"#, "case.deleted"),
            (#"{"notification_targets": {"case.updated": {"roles": ["worker"], "webhook": "no"}}}"#, "webhook"),
            (#"{"notification_targets": {"case.updated": {"users": ["nobody"]}}}"#, "nobody"),
            (#"{"grant_days": 30, "notification_targets": {"case.updated": {"users": ["nobody"]}}}"#, "nobody"),
            (#"{"notification_targets": []}"#, "notification_targets"),
        ]
        for (body, named) in refusals {
            let reply = try f.send("PUT", "/api/v1/settings", as: .holderAdmin, json: body)
            #expect(reply.status == 400 && reply.body.contains(named), "\(body): \(reply.status) \(reply.body.prefix(200))")
        }
        let settings = try APIFixture.object(try f.send("GET", "/api/v1/settings", as: .holderAdmin))
        #expect(settings["grant_days"] as? Int == 90, "a refused change was partly written")
        #expect((settings["notification_targets"] as? [String: Any])?.isEmpty == true)
        #expect(try f.send("PUT", "/api/v1/settings", as: .holder, json: #"{"approvers": {"transfer": null}}"#).status == 403)
    }

    @Test("every kind of notification the service sends has its Japanese label")
    func labels() {
        #expect(Set(Notifications.kinds) == Set(WebApplication.notificationKindLabels.keys))
    }
}
