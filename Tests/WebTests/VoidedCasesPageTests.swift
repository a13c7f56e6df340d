import Foundation
import MimamoriTesting
import Store
import Testing
import Web

/// The holder's administrators see the cases their authority voided on the audit page, never
/// another authority's, never the reason.
@Suite(.serialized)
struct VoidedCasesPageTests {
    @Test("the audit page lists the authority's voided cases (和暦 and 西暦, who), not another authority's nor the reason; audited")
    func auditPageListsOwnVoidedCases() throws {
        let f = try CorrectionTests.fixture()
        let id = try CaseworkTests.caseID(f, "C-TWICE", holder: "131016")
        let reason = "二重登録（C-1と同一）"
        #expect(try f.send("POST", "/api/v1/cases/\(id)/void", as: .holderAdmin, json: #"{"reason": "\#(reason)"}"#).status == 204)
        let osaka = try f.store.cases.create(json: Array(RecordFixture.line("OSAKA-1", authority: "271004").utf8), as: .localAdministrator).id
        try f.store.cases.void(osaka, reason: "誤登録", as: .localAdministrator)

        let admin = try PageCheckTests.signIn(f, .holderAdmin)
        let page = try f.send("GET", "/audit", headers: ["Cookie: \(admin)"])
        #expect(page.status == 200)
        #expect(page.body.contains("取り消した事案") && page.body.contains(id) && page.body.contains("C-TWICE"))
        #expect(page.body.contains("chiyoda-admin") && page.body.contains("令和") && page.body.contains("（20"))
        #expect(!page.body.contains(osaka) && !page.body.contains("OSAKA-1") && !page.body.contains(reason))
        #expect(try f.store.auditLog.auditTrail(of: "131016", as: .localAdministrator).contains { $0.action == "case.voided.list" })
        // A worker of the holder does not see the audit page at all.
        let worker = try PageCheckTests.signIn(f, .holder)
        #expect(try f.send("GET", "/audit", headers: ["Cookie: \(worker)"]).status == 403)
    }
}
