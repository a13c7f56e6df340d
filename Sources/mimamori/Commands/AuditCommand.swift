import ArgumentParser
import Foundation
import Store

struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Read, checkpoint and verify the audit log.",
        subcommands: [Verify.self, Checkpoint.self, List.self]
    )

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the audit chain, and the log against the signed checkpoints (exit 65 naming what is missing or changed).",
            discussion: """
                Each checkpoint in the checkpoint folder and in the catalogue must carry a valid signature of the audit key, \
                and at its row the log must still have the signed hash, row count and case-link count. Give the public key \
                from storage the data folder's users cannot write (--audit-public-key); by default the .pub beside --audit-key.
                """)
        @OptionGroup var options: DataOptions
        @OptionGroup var audit: AuditKeyOptions
        @Option(
            help: ArgumentHelp("A public key whose checkpoints to trust (repeat it for keys used before a rotation).", valueName: "file"))
        var auditPublicKey: [String] = []

        func run() throws {
            let result = try options.openStore().auditLog.verify(trusting: try publicKeys(), exported: audit.folder(options))
            for note in result.notes { printError("note: \(note)") }
            guard result.problems.isEmpty else {
                for problem in result.problems { printError("audit log: \(problem)") }
                throw ExitStatus.invalidData
            }
            var summary = "audit log intact: \(result.lastRow) rows"
            if let latest = result.latest {
                summary += ", \(result.checkpoints) signed checkpoints match, the latest (\(latest.at)) covers up to row \(latest.sequence)"
            }
            print(summary)
        }

        /// The keys given, or else the public key beside the audit key (or derived from it); none if neither exists.
        private func publicKeys() throws -> [AuditPublicKey] {
            if !auditPublicKey.isEmpty {
                return try auditPublicKey.map { path throws(StoreError) in try AuditPublicKey.load(URL(fileURLWithPath: path)) }
            }
            let keyFile = audit.keyFile(options)
            let beside = AuditPublicKey.file(besideKey: keyFile)
            if FileManager.default.fileExists(atPath: beside.path) { return [try AuditPublicKey.load(beside)] }
            if FileManager.default.fileExists(atPath: keyFile.path) { return [try AuditSigningKey.load(keyFile).publicKey] }
            return []
        }
    }

    struct Checkpoint: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Sign a checkpoint of the audit log now (serve writes one every minute when the log grew, and at a clean stop).")
        @OptionGroup var options: DataOptions
        @OptionGroup var audit: AuditKeyOptions

        func run() throws {
            let key = try AuditSigningKey.loadOrCreate(audit.keyFile(options))
            let folder = audit.folder(options)
            guard let checkpoint = try options.openStore().auditLog.checkpoint(signingWith: key, exportTo: folder, as: .localAdministrator) else {
                print("the audit log is empty: no checkpoint written")
                return
            }
            print("checkpoint of row \(checkpoint.sequence) (\(checkpoint.count) rows, \(checkpoint.links) case links) written to \(folder.url.path)")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the newest audit entries.")
        @OptionGroup var options: DataOptions
        @Option(help: "How many entries.") var limit = 50

        func run() throws {
            for entry in try options.openStore().auditLog.entries(as: .localAdministrator, limit: limit) {
                print([String(entry.id), entry.at, entry.actor, entry.action, entry.target ?? "-", entry.detail ?? ""].joined(separator: "\t"))
            }
        }
    }
}
