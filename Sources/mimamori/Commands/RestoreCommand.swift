import ArgumentParser
import Foundation
import Indexer
import Store

struct RestoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Restore a store from a `mimamori backup` folder: check it, copy it, recover, verify, rebuild the search index.",
        discussion: """
            Every file is checked against the manifest (size and SHA-256) before anything is written. The \
            target (--to, or --data) must be new or empty unless --force, which replaces the store files in it. \
            The restored store is then opened, which finishes or undoes any cross-prefecture commit the copy \
            caught in flight; every file must pass PRAGMA integrity_check, the audit chain must verify and hold \
            the manifest's head, and the search index is rebuilt from the partitions. Exit 65 when the backup \
            does not match its manifest or the restored store does not verify.
            """
    )

    @OptionGroup var options: DataOptions
    @Option(help: ArgumentHelp("The backup folder (`mimamori backup --to`).", valueName: "folder")) var from: String
    @Option(help: ArgumentHelp("The data folder to restore into (default: --data).", valueName: "folder")) var to: String?
    @Flag(help: "Replace the store files in a target that holds some.") var force = false

    func run() throws {
        let started = Date()
        let target = URL(fileURLWithPath: to ?? options.data)
        let manifest = try Backups.restore(from: URL(fileURLWithPath: from), to: target, force: force)
        let report = try Self.openAndCheck(target, dictionaries: options.dictionaries)
        if let head = manifest.auditHead {
            guard try report.store.backups.auditHash(at: head.sequence, as: .localAdministrator) == head.hash else {
                printError(
                    "error: audit row \(head.sequence) does not have the hash the manifest names: the backup is not the one its manifest describes")
                throw ExitStatus.invalidData
            }
        }
        print(
            "Restored \(manifest.databaseNames.count) database files taken \(manifest.takenAt) into \(target.path): \(report.summary) in \(String(format: "%.2f", Date().timeIntervalSince(started))) s."
        )
    }

    /// What `openAndCheck` found in a restored store.
    struct Report {
        let store: Store
        let summary: String
    }

    /// Opens a restored store (the recovery finishes or undoes interrupted commits), checks the
    /// integrity of every file and the audit chain (and its exported checkpoints, when the public
    /// key is beside it), and rebuilds the search index. Shared by the restore from a backup and
    /// from a Litestream replica.
    /// - Throws: `ExitStatus.invalidData` after printing what does not verify.
    static func openAndCheck(_ target: URL, dictionaries: String?) throws -> Report {
        let folder = try DictionaryDirectory.locate(explicit: dictionaries)
        let store = try Store(dataDirectory: target, dictionaries: folder, logger: DataOptions.logger)
        let problems = try store.maintenance.integrityProblems()
        for (file, problem) in problems.sorted(by: { $0.key < $1.key }) { printError("\(file): \(problem)") }
        if let problem = try store.auditLog.verify() { printError("audit log: \(problem)") }
        var checkpoints = 0
        let publicKey = target.appendingPathComponent("keys/audit-ed25519.pub")
        if FileManager.default.fileExists(atPath: publicKey.path) {
            let verification = try store.auditLog.verify(
                trusting: [try AuditPublicKey.load(publicKey)], exported: AuditCheckpointFolder(target.appendingPathComponent("audit-checkpoints")))
            for problem in verification.problems { printError("audit log: \(problem)") }
            guard verification.problems.isEmpty else { throw ExitStatus.invalidData }
            checkpoints = verification.checkpoints
        }
        guard problems.isEmpty, try store.auditLog.verify() == nil else { throw ExitStatus.invalidData }
        let index = try SearchIndex(dataDirectory: target, analyzer: try NameAnalyzer(dictionaries: folder))
        let persons = try index.rebuild(from: store)
        let cases = try store.cases.countsByPrefecture().values.reduce(0, +)
        return Report(
            store: store,
            summary: "\(cases) cases, integrity ok, audit chain verified (\(checkpoints) signed checkpoints), \(persons) persons indexed")
    }
}
