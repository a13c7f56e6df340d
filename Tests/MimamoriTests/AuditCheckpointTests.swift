import Foundation
import MimamoriTesting
import Store
import Testing

/// The audit log against its signed checkpoints, through the real `mimamori` binary: the
/// log is tampered with directly in SQLite (as someone with the data folder but not the audit
/// key would), and `mimamori audit verify` must fail naming what is missing or changed.
struct AuditCheckpointTests {
    /// A store whose log holds an import, a user, a failed and a good sign-in, and reads of two
    /// cases by their holder (rows with case links), checkpointed by `mimamori audit checkpoint`.
    static func checkpointedHistory() throws -> TestStore {
        let test = try TestStore()
        _ = try JSONLinesImporter(store: test.store, actor: .localAdministrator)
            .run(test.folder.write("a.jsonl", lines: [RecordFixture.line("A-1"), RecordFixture.line("A-2")]))
        try test.store.users.create(
            login: "kanda", authority: "131016", role: .worker, displayName: "神田", password: "correct horse battery", as: .localAdministrator)
        _ = try test.store.users.authenticate(login: "kanda", password: "wrong password!!")
        let kanda = Actor.user(login: "kanda", authority: "131016", role: .worker)
        for found in try test.store.cases.list(heldBy: "131016", as: kanda) { _ = try test.store.cases.read(id: found.id, as: kanda) }
        let run = try mimamori(["audit", "checkpoint"], test)
        try #require(run.status == 0, "\(run.standardError)")
        return test
    }

    static func mimamori(_ arguments: [String], _ test: TestStore) throws -> CommandRun {
        try CommandRun.mimamori(arguments + ["--data", test.dataDirectory.path])
    }

    static func catalogue(_ test: TestStore) -> URL { test.dataDirectory.appendingPathComponent("catalogue.sqlite") }

    static func lastRow(_ test: TestStore) throws -> Int {
        try #require(Int(try CommandRun.sqlite(catalogue(test), "SELECT max(id) FROM audit_log")))
    }

    static func exportedLines(_ test: TestStore) throws -> [String] {
        let folder = test.dataDirectory.appendingPathComponent("audit-checkpoints")
        return try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted().flatMap { name in
            try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8).split(separator: "\n").map(String.init)
        }
    }

    @Test("a checkpointed, untouched log verifies; the key is 0600 under keys/, its public key beside it, the checkpoint exported")
    func intact() throws {
        let test = try Self.checkpointedHistory()
        let last = try Self.lastRow(test)
        let run = try Self.mimamori(["audit", "verify"], test)
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardOutput.contains("intact") && run.standardOutput.contains("covers up to row \(last)"), "\(run.standardOutput)")
        let keys = test.dataDirectory.appendingPathComponent("keys")
        let mode = try FileManager.default.attributesOfItem(atPath: keys.appendingPathComponent("audit-ed25519.key").path)[.posixPermissions]
        #expect(mode as? Int == 0o600)
        #expect(FileManager.default.fileExists(atPath: keys.appendingPathComponent("audit-ed25519.pub").path))
        let lines = try Self.exportedLines(test)
        #expect(lines.count == 1 && lines[0].contains("\"seq\":\(last),"), "\(lines)")
        #expect(try CommandRun.sqlite(Self.catalogue(test), "SELECT count(*) FROM audit_checkpoints") == "1")
        // Rows written after the checkpoint are named as not yet covered, not as a problem.
        _ = try test.store.users.authenticate(login: "kanda", password: "wrong password!!")
        let later = try Self.mimamori(["audit", "verify"], test)
        #expect(later.status == 0 && later.standardError.contains("rows \(last + 1)–"), "\(later.standardError)")
    }

    @Test("deleting the newest rows (and their case links) is named: rows n–m missing, the checkpoint covers up to m")
    func newestRowsDeleted() throws {
        let test = try Self.checkpointedHistory()
        let last = try Self.lastRow(test)
        _ = try CommandRun.sqlite(
            Self.catalogue(test), "DELETE FROM audit_cases WHERE audit_id > \(last - 3); DELETE FROM audit_log WHERE id > \(last - 3)")
        #expect(try test.reopen().auditLog.verify() == nil, "the chain alone cannot see rows cut from its end")
        let run = try Self.mimamori(["audit", "verify"], test)
        #expect(run.status == 65)
        #expect(
            run.standardError.contains("rows \(last - 2)–\(last) missing")
                && run.standardError.contains("covers up to row \(last), the log ends at row \(last - 3)"), "\(run.standardError)")
    }

    @Test("a chain recomputed after a change, even with the catalogue's checkpoint edited to match, is named")
    func chainRewritten() throws {
        let test = try Self.checkpointedHistory()
        let last = try Self.lastRow(test)
        let head = try Self.rewriteChain(Self.catalogue(test), changing: 2)
        #expect(try test.reopen().auditLog.verify() == nil, "the recomputed chain holds together on its own")
        _ = try CommandRun.sqlite(Self.catalogue(test), "UPDATE audit_checkpoints SET hash = '\(head)'")
        let run = try Self.mimamori(["audit", "verify"], test)
        #expect(run.status == 65)
        #expect(
            run.standardError.contains("row \(last)'s hash differs from the one the checkpoint of")
                && run.standardError.contains("rewritten between row 1 and row \(last)"), "\(run.standardError)")
        #expect(run.standardError.contains("the catalogue's checkpoint of") && run.standardError.contains("no valid signature"))
    }

    @Test("rows written before chain version 2 keep verifying with the old formula; a row downgraded after version-2 rows is named")
    func olderRowsKeepVersion1() throws {
        let test = try TestStore()
        _ = try JSONLinesImporter(store: test.store, actor: .localAdministrator)
            .run(test.folder.write("a.jsonl", lines: [RecordFixture.line("A-1")]))
        try test.store.users.create(
            login: "kanda", authority: "131016", role: .worker, displayName: "神田", password: "correct horse battery", as: .localAdministrator)
        let kanda = Actor.user(login: "kanda", authority: "131016", role: .worker)
        for found in try test.store.cases.list(heldBy: "131016", as: kanda) { _ = try test.store.cases.read(id: found.id, as: kanda) }
        let old = try Self.lastRow(test)
        _ = try Self.rewriteChain(Self.catalogue(test), asVersion1: Set(1...old))
        #expect(try test.reopen().auditLog.verify() == nil)
        let found = try #require(try test.store.cases.list(heldBy: "131016", as: kanda).first)
        _ = try test.store.cases.read(id: found.id, as: kanda)
        _ = try test.store.cases.read(id: found.id, as: kanda)
        let last = try Self.lastRow(test)
        #expect(try CommandRun.sqlite(Self.catalogue(test), "SELECT group_concat(chain_version) FROM audit_log WHERE id >= \(old)") == "1,2,2")
        #expect(try test.reopen().auditLog.verify() == nil)
        // Recomputed as version 1, the last row's links would be outside its hash: that is a finding by itself.
        _ = try Self.rewriteChain(Self.catalogue(test), asVersion1: [last])
        let problem = try #require(try test.reopen().auditLog.verify())
        #expect(problem.row == last && problem.description.contains("chain version 1 after version-2 rows"), "\(problem)")
    }

    @Test("deleting a row's case links (who looked at a case) is named: its links do not match its hash, the link count differs")
    func caseLinksDeleted() throws {
        let test = try Self.checkpointedHistory()
        let row = try #require(Int(try CommandRun.sqlite(Self.catalogue(test), "SELECT max(audit_id) FROM audit_cases")))
        _ = try CommandRun.sqlite(Self.catalogue(test), "DELETE FROM audit_cases WHERE audit_id = \(row)")
        #expect(try test.reopen().auditLog.verify()?.row == row)
        let run = try Self.mimamori(["audit", "verify"], test)
        #expect(run.status == 65)
        #expect(run.standardError.contains("row \(row)'s case links do not match its hash"), "\(run.standardError)")
        #expect(run.standardError.contains("case links were removed or added"), "\(run.standardError)")
    }

    @Test(
        "a checkpoint signed with another key, or an exported line edited, is refused",
        arguments: ["another key", "edited line"])
    func forgedCheckpoint(how: String) throws {
        let test = try Self.checkpointedHistory()
        let last = try Self.lastRow(test)
        if how == "another key" {
            // Someone with the data folder but not the key cuts the log and signs its new end with a key of their own.
            _ = try CommandRun.sqlite(
                Self.catalogue(test), "DELETE FROM audit_cases WHERE audit_id = \(last); DELETE FROM audit_log WHERE id = \(last)")
            let other = test.folder.url.appendingPathComponent("other/forged.key").path
            let forged = try Self.mimamori(["audit", "checkpoint", "--audit-key", other], test)
            try #require(forged.status == 0, "\(forged.standardError)")
        } else {
            let file = try #require(
                try FileManager.default.contentsOfDirectory(
                    at: test.dataDirectory.appendingPathComponent("audit-checkpoints"), includingPropertiesForKeys: nil
                )
                .first)
            let text = try String(contentsOf: file, encoding: .utf8)
            try text.replacingOccurrences(of: "\"seq\":\(last),", with: "\"seq\":\(last - 1),").write(to: file, atomically: false, encoding: .utf8)
        }
        let run = try Self.mimamori(["audit", "verify"], test)
        #expect(run.status == 65)
        #expect(
            run.standardError.contains(".jsonl line") && run.standardError.contains("no valid signature of the audit key"), "\(run.standardError)")
    }

    @Test("an audit key others can read is refused (exit 78) and signs nothing")
    func keyReadableByOthers() throws {
        let test = try Self.checkpointedHistory()
        let key = test.dataDirectory.appendingPathComponent("keys/audit-ed25519.key")
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: key.path)
        let run = try Self.mimamori(["audit", "checkpoint"], test)
        #expect(run.status == 78 && run.standardError.contains("can be read by others"), "\(run.standardError)")
        #expect(try Self.exportedLines(test).count == 1)
    }

    @Test("serve signs a checkpoint when it starts and when it stops cleanly, covering rows written meanwhile")
    func serveCheckpoints() throws {
        let test = try TestStore()
        try test.store.users.create(
            login: "kanda", authority: "131016", role: .worker, displayName: "神田", password: "correct horse battery", as: .localAdministrator)
        let running = try CommandRun.start(["serve", "--data", test.dataDirectory.path, "--port", "0"])
        _ = try #require(running.waitForOutput(containing: "Serving on"), "no banner")
        _ = try test.store.users.authenticate(login: "kanda", password: "wrong password!!")
        running.signal(SIGTERM)
        let run = CommandRun.finish(running)
        #expect(run.status == 0, "\(run.standardError)")
        let last = try Self.lastRow(test)
        let lines = try Self.exportedLines(test)
        #expect(lines.last?.contains("\"seq\":\(last),") == true, "last row \(last): \(lines)")
        let verify = try Self.mimamori(["audit", "verify"], test)
        #expect(verify.status == 0 && verify.standardOutput.contains("covers up to row \(last)"), "\(verify.standardOutput)\(verify.standardError)")
    }

    /// Recomputes every hash of the chain as someone with the database but not the audit key
    /// would, changing one row's detail (`changing`) and writing the rows in `asVersion1` with
    /// the version-1 formula (as before migration 17); returns the new head hash.
    static func rewriteChain(_ catalogue: URL, changing changed: Int? = nil, asVersion1: Set<Int> = []) throws -> String {
        let json = try CommandRun.sqlite(
            catalogue,
            """
            SELECT json_group_array(json_array(id, at, actor, authority, action, target, detail, chain_version, links_hash))
            FROM (SELECT * FROM audit_log ORDER BY id)
            """)
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[Any]])
        var previous = ""
        var updates: [String] = []
        for row in rows {
            let id = try #require(row[0] as? Int)
            let detail = id == changed ? "rewritten" : row[6] as? String
            let (at, actor, authority, action, target) = (
                row[1] as? String ?? "", row[2] as? String ?? "", row[3] as? String, row[4] as? String ?? "", row[5] as? String
            )
            let version1 = asVersion1.contains(id) || row[7] as? Int == 1
            let hash =
                version1
                ? AuditChain.hash(previous: previous, at: at, actor: actor, authority: authority, action: action, target: target, detail: detail)
                : AuditChain.hash(
                    id: id, previous: previous, at: at, actor: actor, authority: authority, action: action, target: target, detail: detail,
                    linksHash: row[8] as? String ?? "")
            let downgrade = asVersion1.contains(id) ? ", chain_version = 1, links_hash = NULL" : ""
            updates.append("UPDATE audit_log SET hash = '\(hash)'\(id == changed ? ", detail = 'rewritten'" : "")\(downgrade) WHERE id = \(id)")
            previous = hash
        }
        _ = try CommandRun.sqlite(catalogue, updates.joined(separator: "; "))
        return previous
    }
}
