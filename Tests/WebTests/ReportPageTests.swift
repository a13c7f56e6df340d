import Foundation
import MimamoriTesting
import Store
import Testing
import Web

/// The annual report pages: the ministry publishes a form, an authority submits and sees its
/// answers to correct them, the ministry reads the submissions.
@Suite(.serialized)
struct ReportPageTests {
    @Test("the ministry publishes a form on the page, 千代田区 submits and finds its answers again, the ministry sees them")
    func publishSubmitRead() throws {
        let f = try APIFixture()
        let (ministry, page, csrf) = try FormValidationTests.open(f, .ministry, "/reports")
        #expect(page.body.contains("報告様式の公開"))
        let badLine = try SettingsPageTests.post(
            f, "/reports", cookie: ministry,
            [
                ("csrf_token", csrf), ("year", "2026"), ("title", "児童福祉司の配置状況"), ("fields", "staff,児童福祉司数"),
            ])
        #expect(badLine.status == 422 && badLine.body.contains("1行目") && badLine.body.contains("児童福祉司の配置状況"))
        #expect(try f.store.reports.forms().isEmpty)
        let published = try SettingsPageTests.post(
            f, "/reports", cookie: ministry,
            [
                ("csrf_token", csrf), ("year", "2026"), ("title", "児童福祉司の配置状況"), ("fields", "staff,児童福祉司数,integer\nnote,備考,text"),
            ])
        #expect(published.status == 303)
        let form = try #require(try f.store.reports.forms().first)

        let path = "/reports/\(form.id)"
        let (holder, empty, token) = try FormValidationTests.open(f, .holder, path)
        #expect(empty.body.contains("児童福祉司数") && !empty.body.contains("提出済み"))
        #expect(try SettingsPageTests.post(f, path, cookie: holder, [("csrf_token", token), ("staff", "12"), ("note", "欠員1")]).status == 303)
        let again = try f.send("GET", path, headers: ["Cookie: \(holder)"])
        #expect(again.body.contains("提出済み") && again.body.contains(#"value="12""#) && again.body.contains(#"value="欠員1""#))
        // Not a number where the form asks for one: refused, the first answer stays.
        let refused = try SettingsPageTests.post(f, path, cookie: holder, [("csrf_token", token), ("staff", "十二"), ("note", "")])
        #expect(refused.status == 400)
        #expect(try f.store.reports.submissions(form.id, as: .localAdministrator).first?.answers["staff"] == "12")

        let submissions = try f.send("GET", path, headers: ["Cookie: \(ministry)"])
        #expect(submissions.body.contains("千代田区") && submissions.body.contains("<td>12</td>"))
        #expect(submissions.body.contains(#"href="/api/v1/reports/\#(form.id)/export""#))
    }
}
