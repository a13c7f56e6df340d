import Foundation
import MimamoriTesting
import Store
import Testing
import Web

/// The ministry's side of a report: a deadline and an audience per form, the totals and the
/// non-submitters, and reminders to them.
@Suite(.serialized)
struct ReportSummaryTests {
    static func publish(_ f: APIFixture, audience: String, deadline: String = "2027-01-31") throws -> String {
        let reply = try f.send(
            "POST", "/api/v1/reports", as: .ministry,
            json: #"""
                {"year": 2026, "title": "児童相談所職員配置状況調査", "audience": "\#(audience)", "deadline": "\#(deadline)",
                 "fields": [{"key": "officers", "label": "児童福祉司数", "type": "integer"}, {"key": "note", "label": "備考", "type": "text"}]}
                """#)
        try #require(reply.status == 201, "\(reply.body.prefix(300))")
        let form = try APIFixture.object(reply)
        #expect(form["audience"] as? String == audience && form["deadline"] as? String == deadline)
        return try #require(form["id"] as? String)
    }

    @Test("a CGC-only survey: municipalities are refused; totals, means, breakdowns and non-submitters; reminders reach only those")
    func cgcSurvey() throws {
        let f = try APIFixture()
        let id = try Self.publish(f, audience: "cgc")
        let answer = #"{"answers": {"officers": "12", "note": ""}}"#
        #expect(
            try f.send("PUT", "/api/v1/reports/\(id)/submission", as: .holder, json: answer).status == 403, "a municipality answered a CGC survey")
        #expect(try f.send("PUT", "/api/v1/reports/\(id)/submission", as: .partnerCGC, json: answer).status == 204)
        #expect(
            try f.send("PUT", "/api/v1/reports/\(id)/submission", as: .cgcElsewhere, json: #"{"answers": {"officers": "7", "note": "欠員1"}}"#)
                .status == 204)

        let reply = try f.send("GET", "/api/v1/reports/\(id)/summary", as: .ministry)
        try #require(reply.status == 200, "\(reply.body.prefix(300))")
        let summary = try APIFixture.object(reply)
        let all = try #require(summary["all"] as? [String: Any])
        #expect((all["totals"] as? [String: Any])?["officers"] as? Int == 19)
        #expect((all["means"] as? [String: Any])?["officers"] as? Double == 9.5)
        #expect(all["submitted"] as? Int == 2)
        let expected = try #require(summary["expected"] as? Int)
        let missing = try #require(summary["non_submitters"] as? [String])
        #expect(expected >= 3 && missing.count == expected - 2 && !missing.contains("130001-01") && !missing.contains("131016"))
        let tokyo = (summary["by_prefecture"] as? [[String: Any]] ?? []).first { $0["key"] as? String == "13" }
        #expect(((tokyo?["figures"] as? [String: Any])?["totals"] as? [String: Any])?["officers"] as? Int == 12)
        #expect((summary["by_kind"] as? [[String: Any]] ?? []).map { $0["key"] as? String } == ["cgc"])
        let sheet = try f.send("GET", "/api/v1/reports/\(id)/summary?format=csv", as: .ministry)
        #expect(sheet.status == 200 && sheet.body.contains("児童福祉司数 合計") && sheet.body.contains("未提出の機関"))

        // Only the ministry aggregates and reminds.
        for who in [APIFixture.Who.holder, .partnerCGC, .holderAdmin] {
            #expect(try f.send("GET", "/api/v1/reports/\(id)/summary", as: who).status == 403, "\(who)")
            #expect(try f.send("POST", "/api/v1/reports/\(id)/remind", as: who, json: "{}").status == 403, "\(who)")
        }
        let reminded = try APIFixture.object(try f.send("POST", "/api/v1/reports/\(id)/remind", as: .ministry, json: "{}"))
        #expect(reminded["reminded"] as? Int == missing.count)
        // A CGC that has not submitted has the reminder; one that submitted and a municipality do not.
        let cgcElsewhereHas = try NotificationAPITests.inbox(f, .cgcElsewhere).contains { $0["kind"] as? String == "report.reminder" }
        let municipalityHas = try NotificationAPITests.inbox(f, .holder).contains { $0["kind"] as? String == "report.reminder" }
        #expect(!cgcElsewhereHas && !municipalityHas)

        // The ministry's page shows the summary and the non-submitters.
        let (cookie, _, _) = try FormValidationTests.open(f, .ministry, "/reports")
        let page = try f.send("GET", "/reports/\(id)", headers: ["Cookie: \(cookie)"])
        #expect(page.body.contains("集計") && page.body.contains("未提出の機関") && page.body.contains("提出期限"))
        // Bad forms are refused by name.
        for (body, reason) in [
            (#"{"year": 2026, "title": "x", "audience": "prefecture", "fields": [{"key": "a", "label": "a", "type": "integer"}]}"#, "audience"),
            (#"{"year": 2026, "title": "x", "deadline": "2026-02-30", "fields": [{"key": "a", "label": "a", "type": "integer"}]}"#, "deadline"),
        ] {
            let refused = try f.send("POST", "/api/v1/reports", as: .ministry, json: body)
            #expect(refused.status == 400 && refused.body.contains(reason), "\(reason): \(refused.status)")
        }
    }
}
