import Foundation
import MimamoriTesting
import Store
import Testing
import Web

/// Inboxes: partners and grantees hear of changes, both sides of a transfer hear of every step.
@Suite(.serialized)
struct NotificationAPITests {
    typealias Who = APIFixture.Who

    static func inbox(_ f: APIFixture, _ who: Who, unread: Bool = false) throws -> [[String: Any]] {
        let reply = try f.send("GET", "/api/v1/notifications\(unread ? "?unread=true" : "")", as: who)
        #expect(reply.status == 200, "\(reply.body)")
        return try #require(try APIFixture.object(reply)["notifications"] as? [[String: Any]])
    }

    @Test("a municipality's new case and its update reach the partner CGC as references, not content; nobody else hears")
    func partnerHearsOfChanges() throws {
        let f = try APIFixture()
        let created = try f.send("POST", "/api/v1/cases", as: .holder, json: RecordFixture.line("N-1"))
        let id = try #require(try APIFixture.object(created)["case_id"] as? String)
        #expect(try f.send("PATCH", "/api/v1/cases/\(id)", as: .holder, headers: ["If-Match: \"1\""], json: #"{"notes": "更新"}"#).status == 200)
        let inbox = try Self.inbox(f, .partnerCGC)
        #expect(inbox.map { $0["kind"] as? String } == ["case.updated", "case.created"])
        #expect(inbox.allSatisfy { $0["case_id"] as? String == id && $0["from"] as? String == "131016" })
        let raw = try f.send("GET", "/api/v1/notifications", as: .partnerCGC).body
        #expect(!raw.contains("山田") && !raw.contains("更新"))
        for who in [Who.holder, .municipalityInJurisdiction, .municipalityElsewhere, .ministry] {
            #expect(try Self.inbox(f, who).isEmpty, "\(who)")
        }
        // Marking one read puts it after the unread ones; another authority cannot mark it.
        let first = try #require(inbox.first?["id"] as? Int)
        #expect(try f.send("POST", "/api/v1/notifications/\(first)/read", as: .municipalityElsewhere, json: "{}").status == 404)
        #expect(try f.send("POST", "/api/v1/notifications/\(first)/read", as: .partnerCGC, json: "{}").status == 204)
        #expect(try Self.inbox(f, .partnerCGC, unread: true).count == 1)
        #expect(try Self.inbox(f, .partnerCGC).last?["read_at"] as? String != nil)
    }

    @Test("both sides of a transfer are told of each step")
    func transferSteps() throws {
        let f = try APIFixture()
        let id = try #require(try TransferAPITests.propose(f, kind: "provision")["id"] as? String)
        #expect(try Self.inbox(f, .municipalityElsewhere).first?["kind"] as? String == "transfer.sent")
        #expect(try TransferAPITests.step(f, id, "confirm", as: .municipalityElsewhere).status == 200)
        let origin = try Self.inbox(f, .holder)
        #expect(origin.first?["kind"] as? String == "transfer.confirmed" && origin.first?["ref"] as? String == id)
        // The grantee now hears of updates too.
        #expect(try f.send("PATCH", "/api/v1/cases/\(f.caseID)", as: .holder, headers: ["If-Match: \"1\""], json: #"{"notes": "x"}"#).status == 200)
        #expect(try Self.inbox(f, .municipalityElsewhere).first?["kind"] as? String == "case.updated")
    }
}
