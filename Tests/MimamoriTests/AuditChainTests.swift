import Foundation
import MimamoriTesting
import Store
import Testing

struct AuditChainTests {
    static func storeWithHistory() throws -> TestStore {
        let test = try TestStore()
        _ = try JSONLinesImporter(store: test.store, actor: .localAdministrator)
            .run(test.folder.write("a.jsonl", lines: [RecordFixture.line("A-1")]))
        try test.store.users.create(
            login: "kanda", authority: "131016", role: .worker, displayName: "神田", password: "correct horse battery", as: .localAdministrator)
        _ = try test.store.users.authenticate(login: "kanda", password: "wrong password!!")
        _ = try test.store.users.authenticate(login: "kanda", password: "correct horse battery")
        return test
    }

    @Test("an untouched audit log verifies")
    func intact() throws {
        let test = try Self.storeWithHistory()
        #expect(try test.store.auditLog.verify() == nil)
        let run = try CommandRun.mimamori(["audit", "verify", "--data", test.dataDirectory.path])
        #expect(run.status == 0 && run.standardOutput.contains("intact"))
    }

    @Test(
        "one changed byte, a deleted row or an inserted row is found and named",
        arguments: [
            ("UPDATE audit_log SET detail = detail || 'x' WHERE id = 2", 2),
            ("UPDATE audit_log SET actor = 'someone-else' WHERE id = 3", 3),
            ("DELETE FROM audit_log WHERE id = 2", 2),
            ("DELETE FROM audit_log WHERE id = 1", 1),
            // After the five rows of the history: the import, its partners' notifications, the user, two sign-ins.
            ("INSERT INTO audit_log (id, at, actor, action) VALUES (100, '2026-01-01', 'x', 'case.read')", 6),
        ])
    func tampered(sql: String, row: Int) throws {
        let test = try Self.storeWithHistory()
        _ = try CommandRun.sqlite(test.dataDirectory.appendingPathComponent("catalogue.sqlite"), sql)
        let broken = try #require(try test.reopen().auditLog.verify(), "tampering not detected: \(sql)")
        #expect(broken.row == row, "\(sql): \(broken)")
        let run = try CommandRun.mimamori(["audit", "verify", "--data", test.dataDirectory.path])
        #expect(run.status == 65 && (run.standardError.contains("row \(row) ") || run.standardError.contains("rows \(row)–")), "\(run.standardError)")
    }
}
