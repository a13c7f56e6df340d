import Foundation
import MimamoriTesting
import Store
import Testing
import Web

/// Missing-child alerts through the real server.
@Suite(.serialized)
struct AlertAPITests {
    typealias Who = APIFixture.Who

    /// A fixture whose case is held by the Tokyo CGC (`partnerCGC` here is the holder and the alert's originator).
    static func fixture() throws -> APIFixture {
        try APIFixture(lines: [RecordFixture.line("CGC-1", authority: "130001-01")], caseHolder: "130001-01")
    }

    @Test("a CGC broadcasts a missing child: every CGC sees the profile and photo, not the record; answers reach the originator; closing ends access")
    func lifecycle() throws {
        let f = try Self.fixture()
        let photo = try f.send("POST", "/api/v1/cases/\(f.caseID)/attachments", as: .partnerCGC, body: APIFixture.png, contentType: "image/png")
        let photoID = try #require(try APIFixture.object(photo)["id"] as? String)
        #expect(try f.send("POST", "/api/v1/cases/\(f.caseID)/alerts", as: .holder, json: #"{"circumstances": "x"}"#).status == 403)
        #expect(try f.send("POST", "/api/v1/cases/\(f.caseID)/alerts", as: .partnerCGC, json: #"{"circumstances": ""}"#).status == 400)
        let opened = try f.send(
            "POST", "/api/v1/cases/\(f.caseID)/alerts", as: .partnerCGC,
            json: #"{"circumstances": "11月24日夕方、下校後に帰宅せず", "photo_attachment_id": "\#(photoID)"}"#)
        #expect(opened.status == 201, "\(opened.body)")
        let alert = try APIFixture.object(opened)
        let id = try #require(alert["id"] as? String)
        #expect((alert["profile"] as? [String: Any])?["name"] as? String == "山田 太郎")
        #expect(try f.send("POST", "/api/v1/cases/\(f.caseID)/alerts", as: .partnerCGC, json: #"{"circumstances": "again"}"#).status == 409)
        // Every other CGC is told; municipalities are not.
        #expect(try NotificationAPITests.inbox(f, .cgcElsewhere).first?["kind"] as? String == "alert.opened")
        #expect(try NotificationAPITests.inbox(f, .holder).isEmpty)
        // A CGC elsewhere sees the alert, its photo and the case's summary, never the record.
        #expect(try f.send("GET", "/api/v1/alerts", as: .cgcElsewhere).body.contains(id))
        let seen = try f.send("GET", "/api/v1/alerts/\(id)", as: .cgcElsewhere)
        #expect(seen.status == 200 && !seen.body.contains("千代田1-1") && !seen.body.contains("views"))
        #expect(try f.send("GET", "/api/v1/alerts/\(id)/photo", as: .cgcElsewhere).status == 200)
        #expect(try f.send("GET", "/api/v1/cases/\(f.caseID)", as: .cgcElsewhere).status == 403)
        for who in [Who.municipalityElsewhere, .ministry, .systemOperator] {
            #expect(try f.send("GET", "/api/v1/alerts/\(id)", as: who).status == 404, "\(who)")
            #expect(try f.send("GET", "/api/v1/alerts/\(id)/photo", as: who).status == 404, "\(who)")
        }
        // An answer reaches the originator, which also sees who looked.
        let answer = try f.send("POST", "/api/v1/alerts/\(id)/responses", as: .cgcElsewhere, json: #"{"kind": "located", "text": "大阪市内で保護"}"#)
        #expect(answer.status == 201)
        #expect(try f.send("POST", "/api/v1/alerts/\(id)/responses", as: .cgcElsewhere, json: #"{"kind": "found", "text": "x"}"#).status == 400)
        #expect(try NotificationAPITests.inbox(f, .partnerCGC).first?["kind"] as? String == "alert.located")
        let origin = try APIFixture.object(try f.send("GET", "/api/v1/alerts/\(id)", as: .partnerCGC))
        #expect((origin["responses"] as? [[String: Any]])?.first?["text"] as? String == "大阪市内で保護")
        #expect((origin["views"] as? [[String: Any]])?.compactMap { $0["authority"] as? String } == ["271004-01"])
        // Only the originator closes; afterwards recipients lose access and answers are refused.
        #expect(try f.send("POST", "/api/v1/alerts/\(id)/close", as: .cgcElsewhere, json: "{}").status == 403)
        #expect(try f.send("POST", "/api/v1/alerts/\(id)/close", as: .partnerCGC, json: "{}").status == 200)
        #expect(try f.send("POST", "/api/v1/alerts/\(id)/close", as: .partnerCGC, json: "{}").status == 409)
        #expect(try f.send("POST", "/api/v1/alerts/\(id)/responses", as: .cgcElsewhere, json: #"{"kind": "information", "text": "x"}"#).status == 404)
        #expect(try f.send("GET", "/api/v1/alerts/\(id)/photo", as: .cgcElsewhere).status == 404)
        #expect(try f.send("GET", "/api/v1/alerts/\(id)", as: .partnerCGC).status == 200)
        #expect(!(try f.send("GET", "/api/v1/alerts", as: .cgcElsewhere).body.contains(id)))
    }
}

/// Past missing-child alerts: another CGC finds a closed alert by name, reading or birthdate,
/// with the CGC that located the child; never its circumstances or photo.
@Suite(.serialized)
struct PastAlertTests {
    @Test("a closed alert is found by another CGC by reading, name or birthdate, with who located the child; the search is audited")
    func searchPast() throws {
        let f = try APIFixture(lines: [RecordFixture.line("CGC-1", authority: "130001-01")], caseHolder: "130001-01")
        let opened = try f.send("POST", "/api/v1/cases/\(f.caseID)/alerts", as: .partnerCGC, json: #"{"circumstances": "下校後に帰宅せず"}"#)
        let id = try #require(try APIFixture.object(opened)["id"] as? String, "\(opened.body.prefix(300))")
        // Open alerts are not past ones.
        #expect(
            try f.send(
                "GET", "/api/v1/alerts?state=closed&kana=やまだ".addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed)!, as: .cgcElsewhere
            )
            .body.contains(id) == false)
        #expect(
            try f.send("POST", "/api/v1/alerts/\(id)/responses", as: .cgcElsewhere, json: #"{"kind": "located", "text": "大阪市内で保護"}"#).status == 201)
        #expect(try f.send("POST", "/api/v1/alerts/\(id)/close", as: .partnerCGC, json: "{}").status == 200)

        func past(_ query: String, as who: APIFixture.Who = .cgcElsewhere) throws -> (Int, [[String: Any]]) {
            let reply = try f.send(
                "GET", "/api/v1/alerts?state=closed&" + query.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed)!, as: who)
            return (reply.status, (try? APIFixture.object(reply)["alerts"] as? [[String: Any]]) ?? [])
        }
        for query in ["kana=やまだ たろう", "kana=ヤマダ", "name=山田太郎", "birthdate=2018-04", "name=山田&from=2020-01-01&to=2099-12-31"] {
            let (status, alerts) = try past(query)
            #expect(status == 200 && alerts.count == 1, "\(query): \(status) \(alerts)")
            let alert = try #require(alerts.first)
            #expect(alert["id"] as? String == id && alert["origin"] as? String == "130001-01" && alert["located_by"] as? String == "271004-01")
            #expect(alert["circumstances"] == nil, "the circumstances ended with the alert")
        }
        #expect(try past("kana=すずき").1.isEmpty)
        #expect(try past("name=山田&to=2020-01-01").1.isEmpty)
        // Refusals: no terms, bad dates, not a CGC.
        for query in ["", "from=2026-01-01", "birthdate=yesterday", "name=山田&from=2026-13-01", "name=\(String(repeating: "山", count: 51))"] {
            #expect(try past(query).0 == 400, "\(query)")
        }
        for who in [APIFixture.Who.holder, .municipalityElsewhere, .ministry] {
            #expect(try past("kana=やまだ", as: who).0 == 403, "\(who)")
        }
        // Audited with its terms and the alerts it showed.
        let trail = try f.store.auditLog.auditTrail(of: "271004-01", as: .localAdministrator)
        #expect(trail.contains { $0.action == "alert.search" && ($0.detail ?? "").contains("kana=ヤマダ") && ($0.detail ?? "").contains("shown=1") })
        // The page: the same search from the alerts page.
        let (cookie, _, _) = try FormValidationTests.open(f, .cgcElsewhere, "/alerts")
        let page = try f.send("GET", "/alerts?state=closed&kana=%E3%82%84%E3%81%BE%E3%81%A0", headers: ["Cookie: \(cookie)"])
        #expect(page.status == 200 && page.body.contains("past-results") && page.body.contains("所在確認: 大阪市"), "\(page.status)")
    }
}
