import Foundation
import MimamoriTesting
import Store
import Testing
import Web

/// Corrections without losing history, through the real server: a case registered by mistake
/// voided by a supervisor, and two holders' records of one child linked as one person.
@Suite(.serialized)
struct CorrectionTests {
    typealias Who = APIFixture.Who

    /// 千代田区's record of 山田太郎 (the fixture's), the CGC's own record of the same child, and
    /// a second 千代田区 case registered by mistake.
    static func fixture() throws -> APIFixture {
        try APIFixture(lines: [
            RecordFixture.line("C-1"), RecordFixture.line("CGC-1", authority: "130001-01"),
            RecordFixture.line("C-TWICE", ["child.given_name": RecordFixture.json("二郎"), "child.given_name_kana": RecordFixture.json("ジロウ")]),
        ])
    }

    static func search(_ f: APIFixture, _ query: String, as who: Who) throws -> [String: Any] {
        let reply = try f.send("GET", "/api/v1/search?q=" + query.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!, as: who)
        try #require(reply.status == 200, "\(reply.body.prefix(200))")
        return try APIFixture.object(reply)
    }

    static func hits(_ answer: [String: Any]) -> [[String: Any]] { answer["hits"] as? [[String: Any]] ?? [] }

    @Test("a case registered twice is voided by a supervisor with a reason: gone for every reader and the search, kept and audited")
    func voidCase() throws {
        let f = try Self.fixture()
        let id = try CaseworkTests.caseID(f, "C-TWICE", holder: "131016")
        #expect(Self.hits(try Self.search(f, "やまだ じろう 2018-04-01", as: .partnerCGC)).contains { $0["case_id"] as? String == id })
        let path = "/api/v1/cases/\(id)/void"
        // A worker of the holder, the partner, others: refused before the body is read.
        for (who, status) in [(Who.holder, 403), (.partnerCGC, 403), (.municipalityElsewhere, 403), (.systemOperator, 404)] {
            #expect(try f.send("POST", path, as: who, json: "not json").status == status, "\(who)")
        }
        #expect(try f.send("POST", path, as: .holderAdmin, json: #"{"reason": ""}"#).status == 400)
        #expect(try f.send("POST", path, as: .holderAdmin, json: #"{}"#).status == 400)
        let voided = try f.send("POST", path, as: .holderAdmin, json: #"{"reason": "二重登録（C-1と同一）"}"#)
        #expect(voided.status == 204, "\(voided.body.prefix(200))")

        for who in Who.allCases {
            for path in ["", "/notes", "/progress", "/links", "/former"] {
                #expect(try f.send("GET", "/api/v1/cases/\(id)\(path)", as: who).status == 404, "\(path) as \(who)")
            }
            #expect(try f.send("POST", "/api/v1/cases/\(id)/notes", as: who, json: #"{"text": "x"}"#).status == 404, "\(who)")
            #expect(!Self.hits(try Self.search(f, "やまだ じろう 2018-04-01", as: who)).contains { $0["case_id"] as? String == id }, "\(who)")
        }
        #expect(!(try f.send("GET", "/api/v1/cases?limit=100", as: .holder).body.contains(id)))
        #expect(!(try f.send("GET", "/api/v1/caseload", as: .partnerCGC).body.contains(id)))
        // Its external id is free again: the record can be registered anew.
        #expect(try f.send("POST", "/api/v1/cases", as: .holder, json: RecordFixture.line("C-TWICE")).status == 201)
        // Kept with who, when and why; the audit names the void, never the reason.
        let kept = try CommandRun.sqlite(
            f.store.dataDirectory.appendingPathComponent("pref-13.sqlite"), "SELECT voided_by || '|' || reason FROM voided_cases WHERE id = '\(id)'")
        #expect(kept.contains("chiyoda-admin@131016|二重登録"))
        let trail = try f.store.auditLog.auditTrail(of: "131016", as: .localAdministrator)
        #expect(trail.contains { $0.action == "case.void" && $0.target == id })
        #expect(!trail.contains { ($0.detail ?? "").contains("二重登録") })
        #expect(try f.send("POST", path, as: .holderAdmin, json: #"{"reason": "again"}"#).status == 404)
    }

    @Test("two holders link their records of one child: the search shows one grouped hit; unlinked, two again")
    func linkAndUnlink() throws {
        let f = try Self.fixture()
        let ours = try CaseworkTests.caseID(f, "C-1", holder: "131016")
        let theirs = try CaseworkTests.caseID(f, "CGC-1", holder: "130001-01")
        let query = "やまだ たろう 2018-04-01"
        let before = try Self.search(f, query, as: .partnerCGC)
        #expect(Self.hits(before).filter { [ours, theirs].contains($0["case_id"] as? String ?? "") }.count == 2)

        // Proposals that cannot be: a case the proposer may not change, an unknown record, its own two records.
        #expect(try f.send("POST", "/api/v1/cases/\(ours)/links", as: .partnerCGC, json: #"{"case_id": "\#(theirs)"}"#).status == 403)
        #expect(try f.send("POST", "/api/v1/cases/\(ours)/links", as: .holder, json: #"{"case_id": "nope"}"#).status == 404)
        #expect(try f.send("POST", "/api/v1/cases/\(ours)/links", as: .holder, json: #"{}"#).status == 400)
        let twice = try CaseworkTests.caseID(f, "C-TWICE", holder: "131016")
        #expect(try f.send("POST", "/api/v1/cases/\(ours)/links", as: .holder, json: #"{"case_id": "\#(twice)"}"#).status == 400)

        let proposed = try f.send("POST", "/api/v1/cases/\(ours)/links", as: .holder, json: #"{"case_id": "\#(theirs)"}"#)
        try #require(proposed.status == 201, "\(proposed.body.prefix(300))")
        let link = try #require(try APIFixture.object(proposed)["id"] as? String)
        #expect(try f.send("POST", "/api/v1/cases/\(ours)/links", as: .holder, json: #"{"case_id": "\#(theirs)"}"#).status == 409)
        // Proposed is not linked: still two hits. The CGC's inbox names the proposal.
        #expect(Self.hits(try Self.search(f, query, as: .partnerCGC)).filter { $0["linked"] != nil }.isEmpty)
        let inbox = try f.send("GET", "/api/v1/notifications", as: .partnerCGC).body
        #expect(inbox.contains("link.proposed") && inbox.contains(link))

        // Only the other holder answers; to a stranger the link does not exist.
        #expect(try f.send("POST", "/api/v1/links/\(link)/confirm", as: .holder).status == 403)
        #expect(try f.send("POST", "/api/v1/links/\(link)/confirm", as: .municipalityElsewhere).status == 404)
        let confirmed = try f.send("POST", "/api/v1/links/\(link)/confirm", as: .partnerCGC)
        let confirmedState = try APIFixture.object(confirmed)["state"] as? String
        #expect(confirmed.status == 200 && confirmedState == "linked", "\(confirmed.body.prefix(200))")
        #expect(try f.send("POST", "/api/v1/links/\(link)/confirm", as: .partnerCGC).status == 409)
        #expect(try f.send("GET", "/api/v1/notifications", as: .holder).body.contains("link.linked"))

        // One grouped hit for the child: the other record within it; the total counts the child once.
        let grouped = try Self.search(f, query, as: .partnerCGC)
        let mine = Self.hits(grouped).filter { [ours, theirs].contains($0["case_id"] as? String ?? "") }
        try #require(mine.count == 1, "\(mine)")
        let inner = mine[0]["linked"] as? [[String: Any]] ?? []
        #expect(Set(([mine[0]] + inner).compactMap { $0["case_id"] as? String }) == [ours, theirs])
        #expect(grouped["total"] as? Int == (before["total"] as? Int ?? 0) - 1)
        let links = try APIFixture.object(try f.send("GET", "/api/v1/cases/\(ours)/links", as: .holder))["links"] as? [[String: Any]]
        #expect(links?.first?["state"] as? String == "linked")

        // A linked record is not voided, nor purged while the other is open.
        #expect(try f.send("POST", "/api/v1/cases/\(ours)/void", as: .holderAdmin, json: #"{"reason": "誤登録"}"#).status == 409)

        // Either holder unlinks; the search shows two hits again.
        let ended = try f.send("POST", "/api/v1/links/\(link)/end", as: .holder)
        let endedState = try APIFixture.object(ended)["state"] as? String
        #expect(ended.status == 200 && endedState == "unlinked")
        #expect(Self.hits(try Self.search(f, query, as: .partnerCGC)).filter { [ours, theirs].contains($0["case_id"] as? String ?? "") }.count == 2)
        #expect(try f.send("GET", "/api/v1/notifications", as: .partnerCGC).body.contains("link.unlinked"))
        let trail = try f.store.auditLog.auditTrail(of: "131016", as: .localAdministrator).map(\.action)
        #expect(["link.propose", "link.confirm", "link.unlink"].allSatisfy(trail.contains))
    }

    @Test("each relation gets exactly what the rules allow on the correction routes, and every refusal is audited")
    func accessMatrix() throws {
        let f = try Self.fixture()
        let id = try CaseworkTests.caseID(f, "C-1", holder: "131016")
        let theirs = try CaseworkTests.caseID(f, "CGC-1", holder: "130001-01")
        let endpoints: [AccessMatrixTests.Endpoint] = [
            .init(
                name: "GET /api/v1/cases/{id}/links",
                expected: AccessMatrixTests.expect(200, partner: 200, inJurisdiction: 403, elsewhere: 403, ministry: 403, ops: 404)
            ) { try $0.send("GET", "/api/v1/cases/\(id)/links", as: $1) },
            .init(
                name: "POST /api/v1/cases/{id}/void (no body: refused before it is read)",
                expected: AccessMatrixTests.expect(403, admin: 400, partner: 403, inJurisdiction: 403, elsewhere: 403, ministry: 403, ops: 404)
            ) { try $0.send("POST", "/api/v1/cases/\(id)/void", as: $1, json: "{}") },
            .init(
                name: "POST /api/v1/cases/{id}/links (no body: refused before it is read)",
                expected: AccessMatrixTests.expect(400, partner: 403, inJurisdiction: 403, elsewhere: 403, ministry: 403, ops: 404)
            ) { try $0.send("POST", "/api/v1/cases/\(id)/links", as: $1, json: "{}") },
        ]
        try AccessMatrixTests.run(endpoints, on: f, audited: [403])
        // A proposed link: its steps for each relation (the proposal is made anew for each step).
        for (step, expected) in [
            ("confirm", AccessMatrixTests.expect(403, partner: 200, inJurisdiction: 404, elsewhere: 404, ministry: 404, ops: 404)),
            ("end", AccessMatrixTests.expect(200, partner: 409, inJurisdiction: 404, elsewhere: 404, ministry: 404, ops: 404)),
        ] {
            for who in Who.allCases {
                let proposed = try f.send("POST", "/api/v1/cases/\(id)/links", as: .holder, json: #"{"case_id": "\#(theirs)"}"#)
                let link = try #require(try APIFixture.object(proposed)["id"] as? String, "\(proposed.body.prefix(200))")
                let reply = try f.send("POST", "/api/v1/links/\(link)/\(step)", as: who)
                #expect(reply.status == expected[who], "\(step) as \(who): \(reply.status) \(reply.body.prefix(200))")
                // Settle it for the next round: withdrawn by the proposer, or unlinked.
                _ = try f.send("POST", "/api/v1/links/\(link)/end", as: .holder)
            }
        }
    }

    @Test("a photo voided after an alert broadcast it: the alert says it has no photo, and its photo route answers 404")
    func voidedAlertPhoto() throws {
        let f = try Self.fixture()
        let theirs = try CaseworkTests.caseID(f, "CGC-1", holder: "130001-01")
        let uploaded = try f.send(
            "POST", "/api/v1/cases/\(theirs)/attachments?name=child.png", as: .partnerCGC, body: APIFixture.png, contentType: "image/png")
        let photo = try #require(try APIFixture.object(uploaded)["id"] as? String)
        let opened = try f.send(
            "POST", "/api/v1/cases/\(theirs)/alerts", as: .partnerCGC, json: #"{"circumstances": "帰宅せず", "photo_attachment_id": "\#(photo)"}"#)
        let alert = try #require(try APIFixture.object(opened)["id"] as? String, "\(opened.body.prefix(200))")
        #expect(try f.send("GET", "/api/v1/alerts/\(alert)/photo", as: .cgcElsewhere).status == 200)
        #expect(try f.send("POST", "/api/v1/attachments/\(photo)/void", as: .partnerCGC, json: #"{"reason": "別の児童の写真"}"#).status == 204)
        let shown = try APIFixture.object(try f.send("GET", "/api/v1/alerts/\(alert)", as: .cgcElsewhere))
        #expect(shown["has_photo"] as? Bool == false)
        #expect(try f.send("GET", "/api/v1/alerts/\(alert)/photo", as: .cgcElsewhere).status == 404)
    }
}
