import ArgumentParser
import Foundation
import SQLiteDB
import Store

struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy the store into a new folder while it serves, at one consistent instant, with a manifest (sizes, SHA-256, audit head).",
        discussion: """
            Every database file (the catalogue and each prefecture's partition) is copied with SQLite's online \
            backup API at one instant at which no transaction is in progress, so the copy is what the files \
            would be after a power cut then: `mimamori restore` finishes or undoes a cross-prefecture commit \
            that was in flight, as the store does after a crash (docs/operations.md). The audit checkpoints up \
            to the copied audit head and the audit public key are copied too; the private key is not, nor the \
            secrets key (--secrets-key, <data>.key) that seals the TOTP and webhook secrets: back it up \
            separately, restore needs it. The search index is not copied: restore rebuilds it.
            """
    )

    @OptionGroup var options: DataOptions
    @OptionGroup var audit: AuditKeyOptions
    @Option(help: ArgumentHelp("The folder to write the backup to (new or empty).", valueName: "folder")) var to: String

    func run() throws {
        // A backup never checkpoints: beside a replicating serve, checkpoints are Litestream's.
        let store = try Store(
            dataDirectory: URL(fileURLWithPath: options.data), dictionaries: try DictionaryDirectory.locate(explicit: options.dictionaries),
            logger: DataOptions.logger, checkpoints: .external, secretsKey: options.secretsKeyFile(for: URL(fileURLWithPath: options.data)))
        let started = Date()
        let manifest = try store.backups.write(
            to: URL(fileURLWithPath: to), checkpoints: audit.folder(options),
            publicKey: AuditPublicKey.file(besideKey: audit.keyFile(options)), as: .localAdministrator)
        let bytes = manifest.files.reduce(0) { $0 + $1.size }
        print(
            "Backed up \(manifest.databaseNames.count) database files (\(bytes) bytes) to \(to) in \(String(format: "%.2f", Date().timeIntervalSince(started))) s; audit head row \(manifest.auditHead?.sequence ?? 0)."
        )
    }
}
