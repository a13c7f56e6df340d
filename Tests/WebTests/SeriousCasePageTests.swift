import Foundation
import MimamoriTesting
import Store
import Testing
import Web

/// The serious-case report from the case page, as the ministry sees it.
@Suite(.serialized)
struct SeriousCasePageTests {
    @Test("the holder reports a case serious from its page and withdraws it; the ministry's list and access follow")
    func reportAndWithdraw() throws {
        let f = try APIFixture()
        let (cookie, page, csrf) = try FormValidationTests.open(f, .holder, "/cases/\(f.caseID)")
        #expect(page.body.contains("重大事例として報告する") && !page.body.contains("報告済み"))
        let ministry = try PageCheckTests.signIn(f, .ministry)
        #expect(try f.send("GET", "/cases/\(f.caseID)", headers: ["Cookie: \(ministry)"]).status == 403)

        let reported = try SettingsPageTests.post(f, "/cases/\(f.caseID)/flag", cookie: cookie, [("csrf_token", csrf), ("serious", "1")])
        #expect(reported.status == 303)
        #expect(try f.send("GET", "/cases/\(f.caseID)", headers: ["Cookie: \(cookie)"]).body.contains("重大事例として報告済みです"))
        let list = try f.send("GET", "/serious", headers: ["Cookie: \(ministry)"]).body
        #expect(list.contains("/cases/\(f.caseID)") && list.contains("山田 太郎") && list.contains("千代田区") && list.contains("対応中"))
        #expect(try f.store.auditLog.views(ofCase: f.caseID, as: .localAdministrator).contains { $0.action == "case.flag.list" })
        #expect(try f.send("GET", "/cases/\(f.caseID)", headers: ["Cookie: \(ministry)"]).status == 200)

        let withdrawn = try SettingsPageTests.post(f, "/cases/\(f.caseID)/flag", cookie: cookie, [("csrf_token", csrf), ("serious", "0")])
        #expect(withdrawn.status == 303)
        #expect(!(try f.send("GET", "/serious", headers: ["Cookie: \(ministry)"]).body.contains("/cases/\(f.caseID)")))
        #expect(try f.send("GET", "/cases/\(f.caseID)", headers: ["Cookie: \(ministry)"]).status == 403)
    }
}
