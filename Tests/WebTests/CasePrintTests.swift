import Foundation
import MimamoriTesting
import Store
import Testing
import Web

/// The print view of a case for a handover meeting (ケース移管の面談): what the viewer may see,
/// every note, 取扱注意 and who printed it when on every sheet; audited as a read.
@Suite(.serialized)
struct CasePrintTests {
    /// Counts audit rows of a case read marked as printed, by an authority.
    static func printedReads(_ f: APIFixture, by authority: String) throws -> Int {
        let catalogue = f.store.dataDirectory.appendingPathComponent("catalogue.sqlite")
        let answer = try CommandRun.sqlite(
            catalogue,
            "SELECT count(*) FROM audit_log WHERE action = 'case.read' AND authority = '\(authority)' AND target = '\(f.caseID)' AND detail LIKE '% print'"
        )
        return Int(answer.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }

    @Test("the partner CGC prints a case: identity, household, consultations, every note, and 取扱注意 with the viewer and time")
    func partnerPrints() throws {
        let f = try APIFixture()
        for number in 1...25 {
            #expect(try f.send("POST", "/api/v1/cases/\(f.caseID)/notes", as: .holder, json: #"{"text": "面談記録 第\#(number)回"}"#).status == 201)
        }
        let cookie = try PageCheckTests.signIn(f, .partnerCGC)
        let casePage = try f.send("GET", "/cases/\(f.caseID)", headers: ["Cookie: \(cookie)"])
        #expect(casePage.body.contains(#"href="/cases/\#(f.caseID)/print""#))
        #expect(try Self.printedReads(f, by: "130001-01") == 0)

        let printed = try f.send("GET", "/cases/\(f.caseID)/print", headers: ["Cookie: \(cookie)"])
        #expect(printed.status == 200)
        let body = printed.body
        for expected in ["取扱注意", "山田 太郎（ヤマダ タロウ）", "平成30年4月1日", "山田 花子", "母（保護者）", "相談経過", "ネグレクト", "千代田区"] {
            #expect(body.contains(expected), "the print view lacks \(expected)")
        }
        // Every note, oldest first — not only the 20 the case page shows.
        let first = try #require(body.range(of: "面談記録 第1回<"))
        let last = try #require(body.range(of: "面談記録 第25回<"))
        #expect(first.lowerBound < last.lowerBound)
        // The footer: the mark, the viewer and the time in 和暦 and 西暦.
        let footer = try #require(body.range(of: #"<footer class="print-footer">"#).map { String(body[$0.lowerBound...]) })
        #expect(footer.contains("取扱注意") && footer.contains("出力者: tokyo-cgc（東京都児童相談センター）"))
        #expect(footer.contains("出力日時: 令和") && footer.range(of: #"（20\d\d-\d\d-\d\d）"#, options: .regularExpression) != nil)
        // No forms: nothing on paper asks to be filled in, and the page is sound.
        #expect(!body.contains("<form") && !body.contains("csrf_token"))
        WebPageTests.expectSound(printed, "/cases/{id}/print")
        // Audited as a read, marked as a print; the holder sees it in 閲覧履歴.
        #expect(try Self.printedReads(f, by: "130001-01") == 1)
        let views = try f.store.auditLog.views(ofCase: f.caseID, as: .user(login: "chiyoda", authority: "131016", role: .worker))
        #expect(views.contains { $0.action == "case.read" && $0.authority == "130001-01" })
        // The stylesheet prints on A4 with the footer on every sheet and without the controls.
        let css = try f.send("GET", "/static/app.css").body
        #expect(css.contains("@page { size: A4") && css.contains("@media print") && css.contains(".print-footer { position: fixed"))
    }

    @Test("an authority that may see only the summary cannot print the record; the refusal is audited")
    func summaryOnlyRefused() throws {
        let f = try APIFixture()
        for who in [APIFixture.Who.cgcElsewhere, .municipalityElsewhere, .ministry] {
            let cookie = try PageCheckTests.signIn(f, who)
            let reply = try f.send("GET", "/cases/\(f.caseID)/print", headers: ["Cookie: \(cookie)"])
            #expect([403, 404].contains(reply.status), "\(who): \(reply.status)")
            #expect(!reply.body.contains("山田 太郎") && !reply.body.contains("千代田1-1"), "\(who)")
            #expect(try Self.printedReads(f, by: who.authority) == 0)
        }
        let denied = try f.store.auditLog.views(ofCase: f.caseID, as: .user(login: "chiyoda", authority: "131016", role: .worker))
        #expect(denied.contains { $0.action == "denied" && $0.authority == "271004-01" })
        // Signed out: the login page, nothing of the case.
        let anonymous = try f.send("GET", "/cases/\(f.caseID)/print")
        #expect(anonymous.status == 303 && !anonymous.body.contains("山田"))
    }

    @Test("(e) the print view in Chromium: A4 PDF, the controls hidden on paper, the footer repeated (screenshots in .build/test-artefacts)")
    func browserPrint() throws {
        let f = try APIFixture()
        let output = try BrowserTests.run("print", on: f, ["case=\(f.caseID)"])
        #expect(output.contains(#""sheets": 1"#), "\(output)")
    }
}
