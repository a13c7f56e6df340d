import ArgumentParser
import Foundation
import Indexer
import Store
import Synchronization

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
    @Option(
        help: ArgumentHelp(
            "The backup folder (`mimamori backup --to`), or the Litestream replica URL `serve --replicate` wrote to (file:///…, s3://…).",
            valueName: "folder-or-url"))
    var from: String
    @Option(help: ArgumentHelp("The data folder to restore into (default: --data).", valueName: "folder")) var to: String?
    @Flag(help: "Replace the store files in a target that holds some.") var force = false
    @Option(help: ArgumentHelp("The Litestream executable (default: litestream on the PATH, else .tools/venv/bin/litestream).", valueName: "file"))
    var litestream: String?

    func validate() throws {
        guard from.contains("://") else { return }
        _ = try LitestreamReplica(from, option: "--from")
        guard LitestreamProcess.locate(explicit: litestream) != nil else {
            throw ValidationError("--from \(from): restoring from a replica needs Litestream (make setup installs it; or --litestream FILE)")
        }
    }

    func run() throws {
        let started = Date()
        let target = URL(fileURLWithPath: to ?? options.data)
        if from.contains("://") { return try restoreReplica(into: target, started: started) }
        let manifest = try Backups.restore(from: URL(fileURLWithPath: from), to: target, force: force)
        let report = try Self.openAndCheck(target, dictionaries: options.dictionaries, secretsKey: options.secretsKeyFile(for: target))
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

    /// Restores the catalogue and every partition the replica holds with `litestream restore`
    /// (the latest state each replica has), then recovers and checks as for a backup.
    private func restoreReplica(into target: URL, started: Date) throws {
        let replica = try LitestreamReplica(from, option: "--from")
        guard let executable = LitestreamProcess.locate(explicit: litestream) else { throw ExitStatus.configuration }
        try Backups.prepareRestoreTarget(target, force: force)
        let names = ["catalogue.sqlite"] + (1...47).map { String(format: "pref-%02d.sqlite", $0) }
        let failures = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: names.count) { index in
            let name = names[index]
            let process = Process()
            process.executableURL = executable
            process.arguments = ["restore", "-if-replica-exists", "-o", target.appendingPathComponent(name).path, replica.url(of: name)]
            let errors = Pipe()
            process.standardOutput = FileHandle.nullDevice
            process.standardError = errors
            do {
                try process.run()
                let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                process.waitUntilExit()
                if process.terminationStatus != 0 { failures.withLock { $0.append("\(name): \(text.suffix(300))") } }
            } catch {
                failures.withLock { $0.append("\(name): \(error)") }
            }
        }
        let failed = failures.withLock { $0 }
        for failure in failed.sorted() { printError("litestream restore \(failure)") }
        guard failed.isEmpty else { throw ExitStatus.storeFailure }
        let catalogue = target.appendingPathComponent("catalogue.sqlite")
        guard FileManager.default.fileExists(atPath: catalogue.path) else {
            printError("error: the replica \(from) holds no catalogue.sqlite; is it the URL serve --replicate wrote to?")
            throw ExitStatus.invalidData
        }
        for name in names { chmod(target.appendingPathComponent(name).path, 0o600) }
        try Backups.disownCommits(in: target)
        let report = try Self.openAndCheck(target, dictionaries: options.dictionaries, secretsKey: options.secretsKeyFile(for: target)) { store in
            try reconcile(store, replica: replica, executable: executable)
        }
        print("Restored from the replica into \(target.path): \(report.summary) in \(String(format: "%.2f", Date().timeIntervalSince(started))) s.")
    }

    /// Repairs a cut that is not one instant (`Backups.reconcileReplicaCut`), then looks for
    /// each case lost in transit in older states of its origin partition's replica (newest
    /// first, level-0 LTX transactions) and puts it back there, its transfer open again.
    private func reconcile(_ store: Store, replica: LitestreamReplica, executable: URL) throws -> String {
        let result = try store.backups.reconcileReplicaCut(as: .localAdministrator)
        var summary = ", \(result.duplicatesRemoved) stale copies of moved cases removed, \(result.transfersSettled) transfers settled"
        guard !result.lostInTransit.isEmpty else { return summary }
        var recovered = 0
        var unrecovered: [String] = []
        for lost in try store.backups.lostTransfers(result.lostInTransit, as: .localAdministrator) {
            let name = "pref-\(lost.originPrefecture).sqlite"
            let transactions = Self.transactions(of: replica.url(of: name), executable: executable)
            var found = false
            for txid in transactions.dropFirst().prefix(50) where !found {
                let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("mimamori-older-\(UUID().uuidString.prefix(8))")
                defer { try? FileManager.default.removeItem(at: scratch) }
                try? FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
                let older = scratch.appendingPathComponent(name)
                guard Self.run(executable, ["restore", "-txid", txid, "-o", older.path, replica.url(of: name)]) != nil else { continue }
                found = try store.backups.restoreLostCase(lost, from: older, as: .localAdministrator)
            }
            if found { recovered += 1 } else { unrecovered.append(lost.transfer) }
        }
        summary += ", \(recovered) transferred cases lost in transit put back at their origin (transfer open again)"
        if !unrecovered.isEmpty {
            printError(
                "warning: \(unrecovered.count) transferred cases are in no partition and in no older state of their origin's replica: transfers \(unrecovered.joined(separator: " "))"
            )
            summary += ", \(unrecovered.count) lost"
        }
        return summary
    }

    /// The level-0 transaction ids of a replica, newest first.
    private static func transactions(of url: String, executable: URL) -> [String] {
        guard let text = run(executable, ["ltx", url]) else { return [] }
        return text.split(separator: "\n").dropFirst().compactMap { line in
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            return fields.count >= 3 && fields[0] == "0" ? String(fields[2]) : nil
        }.reversed()
    }

    /// Runs Litestream; its standard output, or nil when it failed.
    private static func run(_ executable: URL, _ arguments: [String]) -> String? {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return process.terminationStatus == 0 ? text : nil
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
    /// - Parameter repair: run on the opened store before the checks (a replica restore
    ///   reconciles its cut there); returns what it did, for the summary.
    /// - Parameter secretsKey: the key that must open the restored secrets (TOTP and webhook
    ///   secrets); a backup or replica never holds it (docs/operations.md).
    static func openAndCheck(_ target: URL, dictionaries: String?, secretsKey: URL, repair: ((Store) throws -> String)? = nil) throws
        -> Report
    {
        let folder = try DictionaryDirectory.locate(explicit: dictionaries)
        let store: Store
        do {
            store = try Store(dataDirectory: target, dictionaries: folder, logger: DataOptions.logger, secretsKey: secretsKey)
        } catch {
            guard error.kind == .configuration, error.description.contains(secretsKey.path) else { throw error }
            printError(
                "error: the restored store's sealed secrets do not open with the secrets key \(secretsKey.path); the key file is not in a backup or replica: copy the one kept with it there, or name it with --secrets-key. \(error.description)"
            )
            throw ExitStatus.configuration
        }
        let repaired = try repair?(store) ?? ""
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
            summary: "\(cases) cases\(repaired), integrity ok, audit chain verified (\(checkpoints) signed checkpoints), \(persons) persons indexed")
    }
}
