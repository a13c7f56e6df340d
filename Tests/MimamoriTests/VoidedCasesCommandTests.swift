import Foundation
import MimamoriTesting
import Store
import Testing

/// `mimamori voided-cases`: the operator's list of voided cases, as lines and as JSON, never
/// the reason or anything of the record.
@Suite(.serialized)
struct VoidedCasesCommandTests {
    @Test("a voided case appears with its id, holder, case number, time and login; --authority narrows; --json answers the same")
    func listsVoidedCases() throws {
        let test = try TestStore()
        let store = test.store
        let data = test.dataDirectory.path
        try store.users.create(
            login: "chiyoda-sv", authority: "131016", role: .supervisor, displayName: "神田", password: "correct horse battery",
            as: .localAdministrator)
        let ours = try store.cases.create(json: Array(RecordFixture.line("TWICE").utf8), as: .localAdministrator).id
        let kept = try store.cases.create(json: Array(RecordFixture.line("KEPT").utf8), as: .localAdministrator).id
        let osaka = try store.cases.create(json: Array(RecordFixture.line("OSAKA-1", authority: "271004").utf8), as: .localAdministrator).id
        let reason = "二重登録の取消理由"
        try store.cases.void(ours, reason: reason, as: .user(login: "chiyoda-sv", authority: "131016", role: .supervisor))
        try store.cases.void(osaka, reason: reason, as: .localAdministrator)

        let all = try CommandRun.mimamori(["voided-cases", "--data", data])
        #expect(all.status == 0, "\(all.standardError)")
        let lines = all.standardOutput.split(separator: "\n").map { $0.split(separator: "\t").map(String.init) }
        #expect(lines.count == 2, "\(all.standardOutput)")
        let line = try #require(lines.first { $0.first == ours })
        #expect(line.count == 5 && line[1] == "131016" && line[2] == "TWICE" && line[4] == "chiyoda-sv", "\(line)")
        #expect(lines.contains { $0.first == osaka && $0.last == "local-administrator" })
        #expect(!all.standardOutput.contains(kept) && !all.standardOutput.contains(reason) && !all.standardOutput.contains("山田"))

        let json = try CommandRun.mimamori(["voided-cases", "--data", data, "--authority", "131016", "--json"])
        #expect(json.status == 0, "\(json.standardError)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any])
        let listed = try #require(object["voided_cases"] as? [[String: Any]])
        #expect(listed.count == 1)
        #expect(listed.first?["id"] as? String == ours && listed.first?["holder"] as? String == "131016")
        #expect(listed.first?["external_id"] as? String == "TWICE" && listed.first?["voided_by"] as? String == "chiyoda-sv")
        #expect((listed.first?["voided_at"] as? String)?.isEmpty == false)
        #expect(!json.standardOutput.contains(reason) && !json.standardOutput.contains(osaka))

        // The listing is audited as a read of the cases listed.
        let trail = try test.reopen().auditLog.auditTrail(of: "131016", as: .localAdministrator)
        #expect(trail.filter { $0.action == "case.voided.list" }.count == 2, "both listings named 千代田区's case")
        #expect(try CommandRun.mimamori(["voided-cases", "--data", data, "--authority", "999999"]).status != 0)
    }
}
