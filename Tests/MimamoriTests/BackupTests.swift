import Foundation
import MimamoriTesting
import Store
import Testing

/// `mimamori backup` while the real server confirms transfers between prefectures, and
/// `mimamori restore` of each copy: every transfer is whole in every restored store.
@Suite(.serialized)
struct BackupTests {
    @Test("backups taken while transfers between prefectures are confirmed over HTTP restore with every transfer whole and the audit chain intact")
    func backupDuringTransfers() throws {
        let count = 36
        let search = try TestSearch(lines: (0..<count).map { RecordFixture.line("BK-\($0)") })
        let store = search.store
        let chiyoda = try ServiceClient.worker("chiyoda", of: "131016", in: store)
        let osaka = try ServiceClient.worker("osaka", of: "271004", in: store)
        let ids = try store.cases.list(heldBy: "131016", as: .localAdministrator).map(\.id)
        #expect(ids.count == count)
        let data = search.test.dataDirectory
        let folder = search.test.folder.url
        let running = try CommandRun.start(["serve", "--data", data.path, "--port", "0", "--no-access-log"])
        let client = try #require(ServiceClient(banner: running), "no banner")

        // Backups start at a third and two thirds of the way and run beside the transfers.
        var backups: [(URL, RunningCommand)] = []
        for (index, id) in ids.enumerated() {
            if index == count / 3 || index == 2 * count / 3 {
                let target = folder.appendingPathComponent("backup-\(backups.count)")
                backups.append((target, try CommandRun.start(["backup", "--data", data.path, "--to", target.path])))
            }
            let proposed = client.send(
                "POST", "/api/v1/cases/\(id)/transfers", token: chiyoda,
                json: #"{"destination": "271004", "kind": "transfer", "urgent": false, "reason": "転居のため"}"#)
            let transfer = try #require(ServiceClient.member("id", of: proposed), "\(proposed?.status ?? 0): \(proposed?.body ?? "")")
            let confirmed = client.send("POST", "/api/v1/transfers/\(transfer)/confirm", token: osaka, json: "{}")
            #expect(confirmed?.status == 200, "\(confirmed?.body ?? "")")
        }
        let last = folder.appendingPathComponent("backup-\(backups.count)")
        backups.append((last, try CommandRun.start(["backup", "--data", data.path, "--to", last.path])))
        for (target, backup) in backups {
            let run = CommandRun.finish(backup)
            #expect(run.status == 0, "\(target.lastPathComponent): \(run.standardError)")
        }
        running.signal(SIGTERM)
        _ = CommandRun.finish(running)

        for (index, (backup, _)) in backups.enumerated() {
            let restored = folder.appendingPathComponent("restored-\(index)")
            let run = try CommandRun.mimamori(["restore", "--from", backup.path, "--to", restored.path])
            #expect(run.status == 0, "\(backup.lastPathComponent): \(run.standardError)")
            try Self.expectWhole(restored, ids: Set(ids), label: backup.lastPathComponent)
        }
        // The last backup was taken after every transfer: all of them are in it.
        let final = try Store(dataDirectory: folder.appendingPathComponent("restored-\(backups.count - 1)"), dictionaries: TestStore.dictionaries)
        #expect(try final.cases.list(heldBy: "271004", as: .localAdministrator).count == count)
    }

    @Test("restore refuses a backup whose file does not match its manifest, and a target that holds a store unless --force")
    func restoreRefuses() throws {
        let search = try TestSearch(lines: [RecordFixture.line("BK-1")])
        let folder = search.test.folder.url
        let backup = folder.appendingPathComponent("backup")
        #expect(try CommandRun.mimamori(["backup", "--data", search.test.dataDirectory.path, "--to", backup.path]).status == 0)
        let target = folder.appendingPathComponent("target")
        #expect(try CommandRun.mimamori(["restore", "--from", backup.path, "--to", target.path]).status == 0)
        let again = try CommandRun.mimamori(["restore", "--from", backup.path, "--to", target.path])
        #expect(again.status == 65 && again.standardError.contains("--force"), "\(again.standardError)")
        #expect(try CommandRun.mimamori(["restore", "--from", backup.path, "--to", target.path, "--force"]).status == 0)
        // One byte changed in a partition: nothing is restored.
        let partition = backup.appendingPathComponent("pref-13.sqlite")
        var bytes = try Data(contentsOf: partition)
        bytes[bytes.count - 1] ^= 0xFF
        try bytes.write(to: partition)
        let damaged = try CommandRun.mimamori(["restore", "--from", backup.path, "--to", folder.appendingPathComponent("other").path])
        #expect(damaged.status == 65 && damaged.standardError.contains("does not match the manifest"), "\(damaged.standardError)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("other").path))
        // A manifest naming a path outside the folder is refused.
        let manifest = backup.appendingPathComponent("manifest.json")
        let text = try String(contentsOf: manifest, encoding: .utf8).replacingOccurrences(of: "\"pref-13.sqlite\"", with: "\"../pref-13.sqlite\"")
        try text.write(to: manifest, atomically: true, encoding: .utf8)
        let hostile = try CommandRun.mimamori(["restore", "--from", backup.path, "--to", folder.appendingPathComponent("other").path])
        #expect(hostile.status == 65 && hostile.standardError.contains("not a file a backup holds"), "\(hostile.standardError)")
    }

    /// Every case in exactly one of the two partitions, where its transfer's state says; no
    /// transfer left half-way; the audit chain verifies.
    static func expectWhole(_ data: URL, ids: Set<String>, label: String) throws {
        let store = try Store(dataDirectory: data, dictionaries: TestStore.dictionaries)
        #expect(try store.auditLog.verify() == nil, "\(label): audit chain")
        #expect(try store.maintenance.integrityProblems().isEmpty, "\(label)")
        let tokyo = Set(try store.cases.list(heldBy: "131016", as: .localAdministrator).map(\.id))
        let osaka = Set(try store.cases.list(heldBy: "271004", as: .localAdministrator).map(\.id))
        #expect(tokyo.isDisjoint(with: osaka), "\(label): cases in both partitions: \(tokyo.intersection(osaka))")
        #expect(tokyo.union(osaka) == ids, "\(label): cases in neither partition: \(ids.subtracting(tokyo.union(osaka)))")
        let catalogue = data.appendingPathComponent("catalogue.sqlite")
        let states = try CommandRun.sqlite(catalogue, "SELECT case_id || ' ' || state FROM transfers").split(separator: "\n")
        for line in states {
            let parts = line.split(separator: " ").map(String.init)
            guard parts.count == 2 else { continue }
            switch parts[1] {
            case "confirmed": #expect(osaka.contains(parts[0]), "\(label): a confirmed transfer whose case stayed")
            case "sent": #expect(tokyo.contains(parts[0]), "\(label): a case moved without its transfer confirmed")
            default: Issue.record("\(label): transfer left \(parts[1])")
            }
        }
        // A case in Osaka arrived through a confirmed transfer.
        #expect(osaka.count == states.filter { $0.hasSuffix(" confirmed") }.count, "\(label)")
    }
}
