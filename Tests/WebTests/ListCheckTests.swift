import Foundation
import MimamoriTesting
import Store
import Testing
import Web

/// Checking a list of children against the national index: `POST /api/v1/search/batch` and the
/// 一覧照合 page, every row audited as a search.
@Suite(.serialized)
struct ListCheckTests {
    /// 千代田区 holds 山田 太郎; 大阪市 and 札幌市 hold one child each.
    static func fixture() throws -> APIFixture {
        func child(
            _ id: String, _ authority: String, _ family: String, _ given: String, _ kana: (String, String), _ birthdate: String, _ address: String
        )
            -> String
        {
            RecordFixture.line(
                id, authority: authority,
                [
                    "child.family_name": RecordFixture.json(family), "child.given_name": RecordFixture.json(given),
                    "child.family_name_kana": RecordFixture.json(kana.0), "child.given_name_kana": RecordFixture.json(kana.1),
                    "child.birthdate": RecordFixture.json(birthdate), "address": address,
                ])
        }
        return try APIFixture(lines: [
            RecordFixture.line("C-1"),
            child("O-1", "271004", "佐藤", "花", ("サトウ", "ハナ"), "2017-03-03", #"{"prefecture": "大阪府", "municipality": "大阪市"}"#),
            child("O-2", "011002", "鈴木", "一", ("スズキ", "ハジメ"), "2016-06-06", #"{"prefecture": "北海道", "municipality": "札幌市"}"#),
        ])
    }

    /// Five children: one held here, two elsewhere, two nowhere.
    static let list =
        [
            "番号,氏名,ふりがな,生年月日,性別", "R-1,山田 太郎,やまだ たろう,平成30年4月1日,男", "R-2,佐藤 花,さとう はな,2017-03-03,女",
            "R-3,鈴木 一,すずき はじめ,2016-06-06,男", "R-4,田中 翼,たなか つばさ,2015-01-01,男", "R-5,伊藤 蓮,いとう れん,2014-02-02,男",
        ].joined(separator: "\r\n") + "\r\n"

    static func searches(_ f: APIFixture, by authority: String) throws -> Int {
        let answer = try CommandRun.sqlite(
            f.store.dataDirectory.appendingPathComponent("catalogue.sqlite"),
            "SELECT count(*) FROM audit_log WHERE action = 'search' AND authority = '\(authority)'")
        return Int(answer.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }

    @Test("the API answers one result per row (JSON, or CSV with Accept: text/csv); every row is audited as a search")
    func api() throws {
        let f = try Self.fixture()
        let before = try Self.searches(f, by: "131016")
        let body = try ForeignEncoding.bytes(Self.list, encoding: "cp932")
        let reply = try f.send("POST", "/api/v1/search/batch", as: .holder, body: body, contentType: "text/csv")
        #expect(reply.status == 200, "\(reply.body)")
        let results = try #require(try APIFixture.object(reply)["results"] as? [[String: Any]])
        #expect(results.map { $0["reference"] as? String } == ["R-1", "R-2", "R-3", "R-4", "R-5"])
        #expect(results.map { $0["row"] as? Int } == [2, 3, 4, 5, 6])
        func holder(_ index: Int) -> String? {
            ((results[index]["hits"] as? [[String: Any]])?.first?["authority"] as? [String: Any])?["code"] as? String
        }
        #expect(holder(0) == "131016" && holder(1) == "271004" && holder(2) == "011002")
        #expect((results[1]["hits"] as? [[String: Any]])?.first?["grade"] as? String == "exact")
        #expect(try Self.searches(f, by: "131016") == before + 5)

        let csv = try f.send("POST", "/api/v1/search/batch", as: .holder, headers: ["Accept: text/csv"], body: body, contentType: "text/csv")
        #expect(csv.status == 200 && APIFixture.header("Content-Type", of: csv) == "text/csv; charset=utf-8")
        let lines = csv.body.split(separator: "\r\n")
        #expect(lines.count == 6 && lines[0].hasPrefix("\u{FEFF}行,番号,氏名,ふりがな,生年月日,該当件数"))
        #expect(lines[2].contains("R-2") && lines[2].contains("一致") && lines[2].contains("大阪市（271004）"), "\(lines[2])")

        // JSON Lines of search requests work too; a bad line is that row's error, not the list's.
        let jsonl = #"{"name": "佐藤 花", "birthdate": "2017-03-03"}"# + "\nnot json\n"
        let mixed = try f.send("POST", "/api/v1/search/batch", as: .holder, body: Array(jsonl.utf8), contentType: "application/x-ndjson")
        let answers = try #require(try APIFixture.object(mixed)["results"] as? [[String: Any]])
        #expect(answers.count == 2 && (answers[0]["total"] as? Int ?? 0) >= 1 && answers[1]["error"] is String)
        // A list that cannot be read says why; numbers are bounded.
        let unknown = try f.send("POST", "/api/v1/search/batch", as: .holder, body: Array("担当,氏名\r\nx,y\r\n".utf8), contentType: "text/csv")
        #expect(unknown.status == 422 && unknown.body.contains("担当"))
        #expect(try f.send("POST", "/api/v1/search/batch?limit=0", as: .holder, body: body, contentType: "text/csv").status == 400)
        #expect(try f.send("POST", "/api/v1/search/batch?limit=1e300", as: .holder, body: body, contentType: "text/csv").status == 400)
    }

    @Test("the 一覧照合 page shows the best hit per child with holder and whom to call; the CSV button downloads the table")
    func page() throws {
        let f = try Self.fixture()
        let (cookie, _, csrf) = try FormValidationTests.open(f, .holder, "/search/batch")
        func upload(format: String) throws -> RawHTTPClient.Reply {
            var body = MultipartBody(boundary: "----MimamoriListBoundary")
            body.fields = [("csrf_token", csrf), ("encoding", ""), ("format", format)]
            body.files = [("file", "kyosho-fumei.csv", "text/csv", try ForeignEncoding.bytes(Self.list, encoding: "cp932"))]
            return try f.send("POST", "/search/batch", headers: ["Cookie: \(cookie)"], body: body.bytes, contentType: body.contentType)
        }
        let shown = try upload(format: "html")
        #expect(shown.status == 200)
        #expect(shown.body.contains("5人中3人に該当する記録があります"), "\(shown.body.prefix(3000))")
        #expect(shown.body.contains("大阪市（大阪府）") && shown.body.contains("札幌市（北海道）"))
        #expect(shown.body.contains(#"href="/cases/"#) && shown.body.contains("情報提供を依頼する"))
        WebPageTests.expectSound(shown, "/search/batch")
        let sheet = try upload(format: "csv")
        #expect(sheet.status == 200 && APIFixture.header("Content-Disposition", of: sheet)?.hasPrefix("attachment;") == true)
        #expect(sheet.body.contains("R-3") && sheet.body.contains("札幌市（011002）"))
    }

    @Test("(f) in Chromium: a list of five children, two held elsewhere, checked on the 一覧照合 page")
    func browserListCheck() throws {
        let f = try Self.fixture()
        let folder = TemporaryDirectory("list-check-browser")
        let file = folder.url.appendingPathComponent("kyosho-fumei.csv")
        try Data(try ForeignEncoding.bytes(Self.list, encoding: "cp932")).write(to: file)
        let output = try BrowserTests.run("listcheck", on: f, ["file=\(file.path)"])
        #expect(output.contains(#""found": 3"#), "\(output)")
    }
}
