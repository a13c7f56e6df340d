import Foundation
import MimamoriTesting
import Store
import Testing
import Web

/// The spreadsheet path over HTTP: `POST /api/v1/import` with `text/csv`, `GET /api/v1/export`,
/// and the 一括登録 page with its report by row and column.
@Suite(.serialized)
struct SpreadsheetWebTests {
    static let header = "記録番号,児童氏名,ふりがな,生年月日,性別,住所,保護者1続柄,保護者1氏名,相談日,虐待種別"
    static let goodRows = [
        "S-1,北村 陽菜,キタムラ ヒナ,平成31年4月3日,女,千代田区神田1-1,母,北村 真由美,2026-10-01,ネグレクト",
        "S-2,南 大翔,ミナミ ヒロト,令和2年8月19日,男,東京都千代田区丸の内2-2,父,南 健,2026-10-02,心理的虐待",
    ]
    static let badRow = "S-3,西 蓮,ニシ レン,平成31年5月1日,男,千代田区,,,2026-10-03,ネグレクト"

    static func sheet(_ rows: [String]) -> String { ([header] + rows).joined(separator: "\r\n") + "\r\n" }

    static func held(_ f: APIFixture) throws -> Set<String> {
        Set(try f.store.cases.export(heldBy: "131016", as: .localAdministrator).map(\.record.externalID))
    }

    @Test("POST /api/v1/import takes text/csv in CP932 (charset or detected): all or nothing, errors by row and column")
    func apiImport() throws {
        let f = try APIFixture()
        let bad = try ForeignEncoding.bytes(Self.sheet(Self.goodRows + [Self.badRow]), encoding: "cp932")
        let refused = try f.send("POST", "/api/v1/import", as: .holder, body: bad, contentType: "text/csv; charset=Shift_JIS")
        #expect(refused.status == 422)
        let errors = try #require(try APIFixture.object(refused)["errors"] as? [[String: Any]])
        #expect(errors.count == 1 && errors[0]["row"] as? Int == 4 && errors[0]["column"] as? String == "生年月日")
        #expect((errors[0]["message"] as? String)?.contains("平成は31年4月30日まで") == true)
        #expect(try Self.held(f) == ["C-1"])

        let good = try ForeignEncoding.bytes(Self.sheet(Self.goodRows), encoding: "cp932")
        let imported = try f.send("POST", "/api/v1/import", as: .holder, body: good, contentType: "text/csv")
        #expect(imported.status == 200, "\(imported.body)")
        let answer = try APIFixture.object(imported)
        #expect(answer["encoding"] as? String == "cp932" && answer["inserted"] as? Int == 2 && answer["committed"] as? Bool == true)
        #expect(try Self.held(f) == ["C-1", "S-1", "S-2"])
        // A charset that is not one the sheet may have is refused before anything is read.
        let latin = try f.send("POST", "/api/v1/import", as: .holder, body: good, contentType: "text/csv; charset=iso-8859-1")
        #expect(latin.status == 415)
        // Authorities that hold no cases may not import; nothing of the body is read.
        for who in [APIFixture.Who.ministry, .systemOperator] {
            #expect(try f.send("POST", "/api/v1/import", as: who, body: good, contentType: "text/csv").status == 403, "\(who)")
        }
        // A 機関コード of another authority is refused for that row.
        let foreign = Self.header + ",機関コード\r\nX-1,東 一,ヒガシ ハジメ,2019-01-01,男,大阪市北区1,,,,,271004\r\n"
        let other = try f.send("POST", "/api/v1/import", as: .holder, body: Array(foreign.utf8), contentType: "text/csv")
        #expect(other.status == 422 && other.body.contains("権限がありません"), "\(other.body)")
    }

    @Test("GET /api/v1/export: the caller's cases as CSV (UTF-8 with BOM or Shift_JIS) or JSON Lines, audited; it imports back unchanged")
    func apiExport() throws {
        let f = try APIFixture()
        #expect(try f.send("POST", "/api/v1/import", as: .holder, body: Array(Self.sheet(Self.goodRows).utf8), contentType: "text/csv").status == 200)
        let csv = try f.send("GET", "/api/v1/export", as: .holder)
        #expect(csv.status == 200 && APIFixture.header("Content-Type", of: csv) == "text/csv; charset=utf-8")
        #expect(APIFixture.header("Content-Disposition", of: csv)?.hasPrefix("attachment;") == true)
        #expect(csv.body.hasPrefix("\u{FEFF}記録番号,") && csv.body.contains("北村 陽菜"))
        let sjis = try f.send("GET", "/api/v1/export?encoding=cp932", as: .holder)
        #expect(sjis.status == 200 && APIFixture.header("Content-Type", of: sjis) == "text/csv; charset=shift_jis")
        let again = try f.send("POST", "/api/v1/import", as: .holder, body: Array(csv.body.utf8), contentType: "text/csv")
        let answer = try APIFixture.object(again)
        #expect(again.status == 200 && answer["unchanged"] as? Int == 3 && answer["inserted"] as? Int == 0, "\(again.body)")
        let lines = try f.send("GET", "/api/v1/export?format=jsonl", as: .holder)
        #expect(lines.status == 200 && lines.body.split(separator: "\n").count == 3)
        #expect(try f.send("GET", "/api/v1/export?format=xlsx", as: .holder).status == 400)
        #expect(try f.send("GET", "/api/v1/export?encoding=latin1", as: .holder).status == 400)
        // Another authority exports its own (none here), never the holder's; the ministry holds none.
        #expect(!(try f.send("GET", "/api/v1/export", as: .partnerCGC).body.contains("北村")))
        #expect(try f.send("GET", "/api/v1/export", as: .systemOperator).status == 403)
        let audited = try CommandRun.sqlite(
            f.store.dataDirectory.appendingPathComponent("catalogue.sqlite"),
            "SELECT count(*) FROM audit_log WHERE action = 'case.export' AND authority = '131016'")
        #expect(audited.trimmingCharacters(in: .whitespacesAndNewlines) == "3")
    }

    @Test("the 一括登録 page: template, a CP932 file with a bad row reported in Japanese beside the row, then the corrected file")
    func importPage() throws {
        let f = try APIFixture()
        let (cookie, page, csrf) = try FormValidationTests.open(f, .holder, "/import")
        #expect(page.body.contains(#"href="/import/template.csv""#))
        let template = try f.send("GET", "/import/template.csv", headers: ["Cookie: \(cookie)"])
        #expect(template.status == 200 && template.body.hasPrefix("\u{FEFF}記録番号,状態,児童氏名,ふりがな"))

        func upload(_ text: String) throws -> RawHTTPClient.Reply {
            var body = MultipartBody(boundary: "----MimamoriImportBoundary")
            body.fields = [("csrf_token", csrf), ("encoding", "")]
            body.files = [("file", "ケース一覧.csv", "text/csv", try ForeignEncoding.bytes(text, encoding: "cp932"))]
            return try f.send("POST", "/import", headers: ["Cookie: \(cookie)"], body: body.bytes, contentType: body.contentType)
        }
        let refused = try upload(Self.sheet(Self.goodRows + [Self.badRow]))
        #expect(refused.status == 422)
        #expect(refused.body.contains("「ケース一覧.csv」に1件の誤りがあります。登録はされていません。"))
        #expect(refused.body.contains("<td>4行目</td><td>生年月日</td><td>平成31年5月1日は存在しない日付です（平成は31年4月30日まで"), "\(refused.body)")
        #expect(try Self.held(f) == ["C-1"])
        WebPageTests.expectSound(refused, "/import")

        let fixed = try upload(Self.sheet(Self.goodRows + [Self.badRow.replacingOccurrences(of: "平成31年5月1日", with: "令和元年5月1日")]))
        #expect(fixed.status == 200 && fixed.body.contains("3件のケースを登録しました（新規 3件"), "\(fixed.body.prefix(2000))")
        #expect(try Self.held(f) == ["C-1", "S-1", "S-2", "S-3"])

        // The case list offers the export; a CGC's staff (no cases of its own here) get an empty sheet, the ministry none.
        let list = try f.send("GET", "/cases", headers: ["Cookie: \(cookie)"])
        #expect(list.body.contains(#"href="/cases/export""#))
        let exported = try f.send("GET", "/cases/export", headers: ["Cookie: \(cookie)"])
        #expect(exported.status == 200 && exported.body.contains("西 蓮"))
        let ministry = try PageCheckTests.signIn(f, .ministry)
        #expect(try f.send("GET", "/import", headers: ["Cookie: \(ministry)"]).status == 403)
        #expect(try f.send("GET", "/cases/export", headers: ["Cookie: \(ministry)"]).status == 403)
    }
}

/// A case created or changed by an import tells its partners as an online entry does: one
/// notification per case, whichever way the import came (CLI, API, page).
@Suite(.serialized)
struct ImportNotificationTests {
    static func inbox(_ f: APIFixture, _ authority: String, _ login: String) throws -> [InboxNotification] {
        try f.store.notifications.inbox(of: authority, as: .user(login: login, authority: authority, role: .worker), limit: 1000)
    }

    @Test("imported cases notify the partner CGC once each (created, then updated only when changed); the importer is not told")
    func partnersNotified() throws {
        let f = try APIFixture()
        let before = try Self.inbox(f, "130001-01", "tokyo-cgc").count
        let sheet = SpreadsheetWebTests.sheet(SpreadsheetWebTests.goodRows)
        #expect(try f.send("POST", "/api/v1/import", as: .holder, body: Array(sheet.utf8), contentType: "text/csv").status == 200)
        let created = try Self.inbox(f, "130001-01", "tokyo-cgc").dropLast(before)
        #expect(created.count == 2 && created.allSatisfy { $0.kind == "case.created" && $0.from == "131016" }, "\(created)")
        #expect(Set(created.compactMap(\.caseID)).count == 2)
        #expect(try Self.inbox(f, "131016", "chiyoda").allSatisfy { $0.kind != "case.created" })

        // The same file again changes nothing and tells no one; one changed row tells about that case only.
        #expect(try f.send("POST", "/api/v1/import", as: .holder, body: Array(sheet.utf8), contentType: "text/csv").status == 200)
        #expect(try Self.inbox(f, "130001-01", "tokyo-cgc").count == before + 2)
        let changed = sheet.replacingOccurrences(of: "2026-10-02", with: "2026-10-05")
        #expect(try f.send("POST", "/api/v1/import", as: .holder, body: Array(changed.utf8), contentType: "text/csv").status == 200)
        let after = try Self.inbox(f, "130001-01", "tokyo-cgc")
        #expect(after.count == before + 3 && after.filter { $0.kind == "case.updated" }.count == 1)
        // Nothing is left in the partitions' outboxes once the import has answered.
        let left = try CommandRun.sqlite(f.store.dataDirectory.appendingPathComponent("pref-13.sqlite"), "SELECT count(*) FROM outbox")
        #expect(left.trimmingCharacters(in: .whitespacesAndNewlines) == "0")
    }
}

/// The spreadsheet path as a municipal clerk takes it, in a real browser.
@Suite(.serialized)
struct SpreadsheetBrowserTests {
    @Test(
        "(g) in Chromium: template downloaded, a CP932 sheet with one bad row reported beside it, corrected, imported; the partner CGC's inbox shows the cases"
    )
    func clerkJourney() throws {
        let f = try APIFixture()
        let output = try BrowserTests.run("import", on: f)
        #expect(output.contains(#""partner_notifications": "#), "\(output)")
        #expect(Set(try f.store.cases.export(heldBy: "131016", as: .localAdministrator).map(\.record.externalID)) == ["C-1", "B-101", "B-102"])
    }
}
