import Foundation
import MimamoriTesting
import Store
import Testing
import Web

/// The ministry's annual reports through the real server.
@Suite(.serialized)
struct ReportAPITests {
    @Test("the ministry publishes the staffing survey, CGCs submit and correct, the ministry lists and exports CSV")
    func staffingSurvey() throws {
        let f = try APIFixture()
        let form =
            #"{"year": 2026, "title": "児童相談所職員配置状況調査", "fields": [{"key": "child_welfare_officers", "label": "児童福祉司数", "type": "integer"}, {"key": "psychologists", "label": "児童心理司数", "type": "integer"}, {"key": "remarks", "label": "備考", "type": "text"}]}"#
        #expect(try f.send("POST", "/api/v1/reports", as: .partnerCGC, json: form).status == 403)
        #expect(
            try f.send(
                "POST", "/api/v1/reports", as: .ministry,
                json: #"{"year": 2026, "title": "x", "fields": [{"key": "Bad Key", "label": "x", "type": "integer"}]}"#
            ).status == 400)
        let published = try f.send("POST", "/api/v1/reports", as: .ministry, json: form)
        #expect(published.status == 201)
        let id = try #require(try APIFixture.object(published)["id"] as? String)
        #expect(try f.send("GET", "/api/v1/reports", as: .holder).body.contains(id))

        let path = "/api/v1/reports/\(id)/submission"
        let missing = try f.send("PUT", path, as: .partnerCGC, json: #"{"answers": {"child_welfare_officers": 120}}"#)
        #expect(missing.status == 400 && missing.body.contains("psychologists") && missing.body.contains("missing"))
        let wrong = try f.send(
            "PUT", path, as: .partnerCGC, json: #"{"answers": {"child_welfare_officers": "多数", "psychologists": 40, "remarks": "", "extra": 1}}"#)
        #expect(wrong.status == 400 && wrong.body.contains("whole number") && wrong.body.contains("extra"))
        #expect(
            try f.send(
                "PUT", path, as: .partnerCGC,
                json: #"{"answers": {"child_welfare_officers": 100, "psychologists": 40, "remarks": "=HYPERLINK(\"x\")"}}"#
            ).status == 204)
        #expect(
            try f.send(
                "PUT", path, as: .partnerCGC,
                json: #"{"answers": {"child_welfare_officers": 120, "psychologists": 40, "remarks": "=HYPERLINK(\"x\")"}}"#
            ).status == 204)
        #expect(
            try f.send(
                "PUT", path, as: .cgcElsewhere, json: #"{"answers": {"child_welfare_officers": 80, "psychologists": 30, "remarks": "増員予定, 来年度"}}"#
            ).status == 204)
        #expect(try f.send("PUT", path, as: .systemOperator, json: #"{"answers": {}}"#).status == 403)

        let all = try APIFixture.object(try f.send("GET", "/api/v1/reports/\(id)/submissions", as: .ministry))
        #expect((all["submissions"] as? [[String: Any]])?.count == 2)
        let own = try APIFixture.object(try f.send("GET", "/api/v1/reports/\(id)/submissions", as: .cgcElsewhere))
        #expect((own["submissions"] as? [[String: Any]])?.compactMap { $0["authority"] as? String } == ["271004-01"])

        #expect(try f.send("GET", "/api/v1/reports/\(id)/export", as: .partnerCGC).status == 403)
        let csv = try f.send("GET", "/api/v1/reports/\(id)/export", as: .ministry)
        #expect(csv.status == 200 && APIFixture.header("Content-Type", of: csv) == "text/csv; charset=utf-8")
        let lines = csv.body.split(separator: "\r\n").map(String.init)
        #expect(lines.first == "\u{FEFF}authority_code,authority_name,submitted_at,child_welfare_officers,psychologists,remarks")
        #expect(lines.count == 3)
        #expect(lines[1].hasPrefix("130001-01,東京都児童相談センター,") && lines[1].hasSuffix(#",120,40,"'=HYPERLINK(""x"")""#))
        #expect(lines[2].hasPrefix("271004-01,大阪市児童相談所,") && lines[2].hasSuffix(#",80,30,"増員予定, 来年度""#))
    }
}
