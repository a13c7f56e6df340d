import ArgumentParser
import Dispatch
import Foundation
import Logging
import Store

/// Where the audit key and the exported checkpoints live (serve, audit checkpoint, audit verify).
/// Both default to places under `--data`, which protects against nothing a thief of the data
/// folder could not also do: docs/security.md asks the operator to put them on other storage.
struct AuditKeyOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "The Ed25519 key that signs audit checkpoints (created with mode 0600 on first use, its public key beside it as .pub); keep it off the data storage. Default: <data>/keys/audit-ed25519.key",
            valueName: "file"))
    var auditKey: String?

    @Option(
        help: ArgumentHelp(
            "The folder audit checkpoints are exported to (JSON lines, appended); put it on other storage than --data. Default: <data>/audit-checkpoints",
            valueName: "folder"))
    var auditCheckpoints: String?

    /// The key file.
    func keyFile(_ data: DataOptions) -> URL {
        auditKey.map { URL(fileURLWithPath: $0) } ?? URL(fileURLWithPath: data.data).appendingPathComponent("keys/audit-ed25519.key")
    }

    /// The checkpoint folder.
    func folder(_ data: DataOptions) -> AuditCheckpointFolder {
        AuditCheckpointFolder(
            auditCheckpoints.map { URL(fileURLWithPath: $0) } ?? URL(fileURLWithPath: data.data).appendingPathComponent("audit-checkpoints"))
    }
}

/// `serve`'s checkpoints: one every minute when the log grew (the first at start, covering
/// what commands wrote meanwhile), and one at a clean stop. A failure is logged (no personal
/// data: row numbers and paths) and retried a minute later.
final class AuditCheckpointer {
    private let store: Store
    private let key: AuditSigningKey
    private let folder: AuditCheckpointFolder
    private let queue = DispatchQueue(label: "mimamori.audit-checkpoints", qos: .utility)
    private let timer: any DispatchSourceTimer

    /// Loads (or creates) the key, so a key others can read stops `serve` before it serves, and starts the timer.
    init(store: Store, options: AuditKeyOptions, data: DataOptions) throws {
        self.store = store
        key = try AuditSigningKey.loadOrCreate(options.keyFile(data))
        folder = options.folder(data)
        timer = DispatchSource.makeTimerSource(queue: queue)
        timer.schedule(deadline: .now(), repeating: .seconds(60))
        timer.setEventHandler { [store, key, folder] in Self.write(store, key, folder) }
        timer.resume()
    }

    /// Stops the timer and writes a last checkpoint if the log grew (after a checkpoint in progress).
    func stop() {
        timer.cancel()
        queue.sync { Self.write(store, key, folder) }
    }

    private static func write(_ store: Store, _ key: AuditSigningKey, _ folder: AuditCheckpointFolder) {
        do {
            if let checkpoint = try store.auditLog.checkpoint(signingWith: key, exportTo: folder, onlyIfGrown: true, as: .localAdministrator) {
                store.logger.info("audit checkpoint written", metadata: ["row": "\(checkpoint.sequence)"])
            }
        } catch {
            store.logger.error("audit checkpoint failed; retrying in a minute", metadata: ["error": "\(error)"])
        }
    }
}
