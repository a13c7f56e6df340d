import Foundation
import MimamoriTesting
import Store
import Testing

/// Findings of the live attack (docs/security.md), each through the real server.
@Suite(.serialized)
struct SecurityTests {
    typealias Who = APIFixture.Who

    @Test("four eyes: with approval required, whoever proposed a transfer cannot approve it (refused and audited); another supervisor can")
    func fourEyes() throws {
        let f = try APIFixture()
        #expect(try f.send("PUT", "/api/v1/settings", as: .holderAdmin, json: #"{"approval_required": true}"#).status == 200)
        let proposed = try f.send(
            "POST", "/api/v1/cases/\(f.caseID)/transfers", as: .holderAdmin,
            json: #"{"destination": "271004", "kind": "provision", "reason": "転居のため"}"#)
        #expect(proposed.status == 201)
        let id = try #require(try APIFixture.object(proposed)["id"] as? String)
        let denied = try f.auditCount(action: "denied", actor: .holderAdmin)
        let own = try TransferAPITests.step(f, id, "approve", as: .holderAdmin)
        #expect(own.status == 403 && own.body.contains("someone other than"), "\(own.body)")
        #expect(try f.auditCount(action: "denied", actor: .holderAdmin) == denied + 1)
        try f.store.users.create(
            login: "chiyoda-supervisor", authority: "131016", role: .supervisor, displayName: "千代田区 係長", password: APIFixture.password,
            as: .localAdministrator)
        let token = try f.store.tokens.create(for: "chiyoda-supervisor", label: "test", days: 1, as: .localAdministrator).token
        let other = try f.send("POST", "/api/v1/transfers/\(id)/approve", headers: ["Authorization: Bearer \(token)"], json: "{}")
        #expect(other.status == 200, "\(other.body)")
    }

    @Test("the ministry's CSV export keeps a value that starts with a tab or a carriage return as text, like one starting with = + - @")
    func csvFormulaPrefixes() throws {
        let f = try APIFixture()
        let published = try f.send(
            "POST", "/api/v1/reports", as: .ministry,
            json: #"{"year": 2026, "title": "配置状況", "fields": [{"key": "note", "label": "備考", "type": "text"}]}"#)
        let form = try #require(try APIFixture.object(published)["id"] as? String)
        for (who, value) in [(Who.holder, "\\t=HYPERLINK(1)"), (.partnerCGC, "\\r=cmd"), (.municipalityElsewhere, "@SUM(1)")] {
            #expect(try f.send("PUT", "/api/v1/reports/\(form)/submission", as: who, json: #"{"answers": {"note": "\#(value)"}}"#).status == 204)
        }
        let csv = try f.send("GET", "/api/v1/reports/\(form)/export", as: .ministry).body
        #expect(csv.contains("'\t=HYPERLINK(1)") && csv.contains("'@SUM(1)"), "\(csv)")
        #expect(csv.contains("\"'\r=cmd\""), "a carriage return is quoted and kept as text: \(csv)")
    }

    @Test("a summary-only search hit does not carry the holder's own record number; a full hit does")
    func summaryWithoutRecordNumber() throws {
        let f = try APIFixture()
        let query = "/api/v1/search?q=%E5%B1%B1%E7%94%B0%20%E5%A4%AA%E9%83%8E%202018-04-01"
        for (who, access) in [(Who.holder, "full"), (.municipalityElsewhere, "summary"), (.cgcElsewhere, "summary")] {
            let hits = try #require(try APIFixture.object(try f.send("GET", query, as: who))["hits"] as? [[String: Any]])
            let hit = try #require(hits.first { $0["case_id"] as? String == f.caseID })
            #expect(hit["access"] as? String == access)
            #expect((hit["external_id"] as? String) == (access == "full" ? "C-1" : nil), "\(who): \(hit)")
        }
    }
}
