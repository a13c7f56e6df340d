import Foundation
import MimamoriTesting
import Store
import Testing
import Web

/// The case routes through the real server: what a holder, a partner and a stranger see
/// and leave behind.
@Suite(.serialized)
struct CaseAPITests {
    typealias Who = APIFixture.Who

    @Test("a search from another prefecture gets the summary, the read is refused, and the holder sees both; a partner's read is listed too")
    func lookupsAreVisibleToTheHolder() throws {
        let f = try APIFixture()
        let search = try f.send("GET", "/api/v1/search?name=%E5%B1%B1%E7%94%B0%E5%A4%AA%E9%83%8E&birthdate=2018-04-01", as: .municipalityElsewhere)
        let hit = try #require((try APIFixture.object(search)["hits"] as? [[String: Any]])?.first)
        #expect(hit["case_id"] as? String == f.caseID)
        #expect(hit["access"] as? String == "summary")
        #expect((hit["authority"] as? [String: Any])?["code"] as? String == "131016")
        let refused = try f.send("GET", "/api/v1/cases/\(f.caseID)", as: .municipalityElsewhere)
        #expect(refused.status == 403)
        #expect(!refused.body.contains("千代田1-1") && !refused.body.contains("neglect"))
        #expect(try f.send("GET", "/api/v1/cases/\(f.caseID)", as: .partnerCGC).status == 200)
        // The holder's own reads are not "views by others".
        #expect(try f.send("GET", "/api/v1/cases/\(f.caseID)", as: .holder).status == 200)

        let views = try f.send("GET", "/api/v1/cases/\(f.caseID)/views", as: .holder)
        #expect(views.status == 200)
        let entries = try #require(try APIFixture.object(views)["views"] as? [[String: Any]])
        let seen = entries.map { "\($0["action"] as? String ?? "")@\($0["authority"] as? String ?? "")" }
        #expect(seen == ["case.read@130001-01", "denied@271004", "search@271004"])
        // The other authority's search terms are not shown to the holder.
        #expect(!views.body.contains("山田"))
    }

    @Test("create, read, update with If-Match: a stale version is refused with 412 and nothing is lost")
    func optimisticConcurrency() throws {
        let f = try APIFixture()
        let created = try f.send("POST", "/api/v1/cases", as: .holder, json: RecordFixture.line("NEW-1", ["notes": #""first""#]))
        #expect(created.status == 201)
        let id = try #require(try APIFixture.object(created)["case_id"] as? String)
        #expect(APIFixture.header("Location", of: created) == "/api/v1/cases/\(id)")
        #expect(APIFixture.header("ETag", of: created) == "\"1\"")

        let patch = #"{"notes": "second", "child": {"given_name": "次郎", "given_name_kana": "ジロウ"}}"#
        #expect(try f.send("PATCH", "/api/v1/cases/\(id)", as: .holder, json: patch).status == 428)
        #expect(try f.send("PATCH", "/api/v1/cases/\(id)", as: .holder, headers: ["If-Match: 1"], json: patch).status == 412)
        let updated = try f.send("PATCH", "/api/v1/cases/\(id)", as: .holder, headers: ["If-Match: \"1\""], json: patch)
        #expect(updated.status == 200, "\(updated.body)")
        #expect(APIFixture.header("ETag", of: updated) == "\"2\"")
        let record = try #require(try APIFixture.object(updated)["record"] as? [String: Any])
        #expect(record["notes"] as? String == "second")
        let child = try #require(record["child"] as? [String: Any])
        #expect(child["given_name"] as? String == "次郎" && child["family_name"] as? String == "山田")

        // A second writer that read version 1 is refused, and its change is not applied.
        let stale = try f.send("PATCH", "/api/v1/cases/\(id)", as: .holderAdmin, headers: ["If-Match: \"1\""], json: #"{"notes": "lost?"}"#)
        #expect(stale.status == 412)
        #expect(try f.store.cases.read(id: id, as: .localAdministrator).record.notes == "second")
        // The index follows: the new given name is found, under the new reading too.
        let found = try f.send("GET", "/api/v1/search?q=%E3%82%84%E3%81%BE%E3%81%A0%20%E3%81%98%E3%82%8D%E3%81%86", as: .holder)
        #expect(found.body.contains(id))

        // A new address is resolved afresh: the partner follows the child's municipality.
        let address = try f.send(
            "PATCH", "/api/v1/cases/\(id)", as: .holder, headers: ["If-Match: \"2\""],
            json: #"{"address": {"prefecture": "東京都", "municipality": "港区"}}"#)
        #expect(address.status == 200, "\(address.body)")
        #expect(try f.store.cases.read(id: id, as: .localAdministrator).record.address?.municipalityCode == "131032")
        #expect(try f.send("GET", "/api/v1/cases/\(id)", as: .partnerCGC).status == 403)  // 港区 has its own CGC now the partner
        // An invalid patch names the field, and a holder change is refused.
        let invalid = try f.send(
            "PATCH", "/api/v1/cases/\(id)", as: .holder, headers: ["If-Match: \"3\""], json: #"{"child": {"birthdate": "2019-02-30"}}"#)
        #expect(invalid.status == 400 && invalid.body.contains("child.birthdate"))
        let moved = try f.send("PATCH", "/api/v1/cases/\(id)", as: .holder, headers: ["If-Match: \"3\""], json: #"{"authority": "271004"}"#)
        #expect(moved.status == 400 && moved.body.contains("transfer"))
        #expect(try f.store.cases.read(id: id, as: .localAdministrator).version == 3)
        // A second case with the same external_id is a conflict.
        #expect(try f.send("POST", "/api/v1/cases", as: .holder, json: RecordFixture.line("NEW-1")).status == 409)
    }

    @Test("attachments: the type comes from the content, a lie in Content-Type is refused, the download is not rendered inline")
    func attachments() throws {
        let f = try APIFixture()
        let path = "/api/v1/cases/\(f.caseID)/attachments"
        let html = Array("<html><script>alert(1)</script></html>".utf8)
        let refusedHTML = try f.send("POST", path, as: .holder, body: html, contentType: "image/png")
        #expect(refusedHTML.status == 415)
        let lie = try f.send("POST", path, as: .holder, body: APIFixture.png, contentType: "application/pdf")
        #expect(lie.status == 415 && lie.body.contains("image/png"))
        #expect(try f.send("POST", path, as: .holder, body: [], contentType: "image/png").status == 400)
        let pdf = TestPDF.document()
        let stored = try f.send("POST", path + "?name=..%2F..%2Fetc%2Fpasswd", as: .holder, body: pdf, contentType: "application/octet-stream")
        #expect(stored.status == 201)
        let info = try APIFixture.object(stored)
        #expect(info["media_type"] as? String == "application/pdf")
        #expect(info["name"] as? String == "passwd.pdf")
        let id = try #require(info["id"] as? String)
        let download = try f.send("GET", "/api/v1/attachments/\(id)", as: .partnerCGC)
        #expect(download.status == 200)
        #expect(APIFixture.header("Content-Type", of: download) == "application/pdf")
        #expect(APIFixture.header("Content-Disposition", of: download)?.hasPrefix("attachment;") == true)
        #expect(APIFixture.header("X-Content-Type-Options", of: download) == "nosniff")
        #expect(download.body.hasPrefix("%PDF-1.7"))
        #expect(try f.send("GET", "/api/v1/attachments/00000000-0000-0000-0000-000000000000", as: .holder).status == 404)
    }

    @Test("notes by the holder and the partner travel with the case when it moves to another prefecture")
    func notesAndAttachmentsMoveWithTheCase() throws {
        let f = try APIFixture()
        #expect(try f.send("POST", "/api/v1/cases/\(f.caseID)/notes", as: .partnerCGC, json: #"{"text": "家庭訪問済み"}"#).status == 201)
        #expect(try f.send("POST", "/api/v1/cases/\(f.caseID)/notes", as: .holder, json: #"{"text": "   "}"#).status == 400)
        #expect(
            try f.send("POST", "/api/v1/cases/\(f.caseID)/attachments", as: .holder, body: APIFixture.png, contentType: "image/png").status == 201)
        try f.store.cases.move(id: f.caseID, to: "271004", as: .localAdministrator)
        let moved = try f.store.cases.read(id: f.caseID, as: .localAdministrator)
        #expect(moved.prefectureCode == "27")
        #expect(moved.notes.map(\.text) == ["家庭訪問済み"])
        #expect(moved.attachments.count == 1)
        #expect(try CommandRun.sqlite(f.store.dataDirectory.appendingPathComponent("pref-13.sqlite"), "SELECT count(*) FROM notes") == "0")
        #expect(try CommandRun.sqlite(f.store.dataDirectory.appendingPathComponent("pref-13.sqlite"), "SELECT count(*) FROM attachments") == "0")
        // The new holder reads it; the old one no longer can.
        #expect(try f.send("GET", "/api/v1/cases/\(f.caseID)", as: .municipalityElsewhere).status == 200)
        #expect(try f.send("GET", "/api/v1/cases/\(f.caseID)", as: .holder).status == 403)
    }

    @Test("import over HTTP: all or nothing, with the line of every error, exactly like the CLI")
    func importOverHTTP() throws {
        let f = try APIFixture()
        let good = [RecordFixture.line("I-1"), RecordFixture.line("I-2")]
        let bad = good + [RecordFixture.line("I-3", ["child.birthdate": #""2019-02-30""#])]
        let refused = try f.send(
            "POST", "/api/v1/import", as: .holder, body: Array(bad.joined(separator: "\n").utf8), contentType: "application/x-ndjson")
        #expect(refused.status == 422)
        let errors = try #require(try APIFixture.object(refused)["errors"] as? [[String: Any]])
        #expect(errors.first?["line"] as? Int == 3)
        #expect(try f.store.cases.count(heldBy: "131016") == 1)
        // JSON Lines sent as CSV is read as a spreadsheet, and refused: its first line is no heading row.
        #expect(
            try f.send("POST", "/api/v1/import", as: .holder, body: Array(good.joined(separator: "\n").utf8), contentType: "text/csv").status == 422)
        #expect(
            try f.send("POST", "/api/v1/import", as: .holder, body: Array(good.joined(separator: "\n").utf8), contentType: "text/plain").status == 415
        )
        let dry = try f.send(
            "POST", "/api/v1/import?dry_run=true", as: .holder, body: Array(good.joined(separator: "\n").utf8), contentType: "application/x-ndjson")
        #expect(dry.status == 200)
        #expect(try APIFixture.object(dry)["committed"] as? Bool == false)
        let imported = try f.send(
            "POST", "/api/v1/import", as: .holder, body: Array(good.joined(separator: "\n").utf8), contentType: "application/x-ndjson")
        #expect(imported.status == 200)
        #expect(try APIFixture.object(imported)["inserted"] as? Int == 2)
        #expect(try f.store.cases.count(heldBy: "131016") == 3)
        #expect(try FileManager.default.contentsOfDirectory(atPath: f.store.dataDirectory.appendingPathComponent("tmp").path).isEmpty)
    }

    @Test("an administrator's audit trail holds its own operations in full and others' reads of its cases without their details")
    func auditTrail() throws {
        let f = try APIFixture()
        _ = try f.send("GET", "/api/v1/search?q=%E5%B1%B1%E7%94%B0", as: .municipalityElsewhere)
        _ = try f.send("GET", "/api/v1/cases/\(f.caseID)", as: .partnerCGC)
        _ = try f.send("GET", "/api/v1/cases/\(f.caseID)", as: .holder)
        let trail = try f.send("GET", "/api/v1/audit?limit=50", as: .holderAdmin)
        #expect(trail.status == 200)
        let entries = try #require(try APIFixture.object(trail)["entries"] as? [[String: Any]])
        #expect(entries.contains { $0["actor"] as? String == "chiyoda@131016" && $0["action"] as? String == "case.read" && $0["detail"] != nil })
        let partnerRead = try #require(entries.first { $0["actor"] as? String == "tokyo-cgc@130001-01" })
        #expect(partnerRead["detail"] == nil)
        #expect(entries.contains { $0["action"] as? String == "search" && $0["authority"] as? String == "271004" })
        #expect(!trail.body.contains("山田"))
        // Nothing about other authorities' unrelated work.
        #expect(!entries.contains { ($0["action"] as? String) == "token.create" && ($0["authority"] as? String) != "131016" })
    }
}
