import ArgumentParser
import Store

struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Read and verify the audit log.",
        subcommands: [Verify.self, List.self]
    )

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check that no audit row was changed, inserted or deleted (exit 65 and the row if one was).")
        @OptionGroup var options: DataOptions

        func run() throws {
            if let broken = try options.openStore().auditLog.verify() {
                printError("audit log row \(broken.id) \(broken.problem)")
                throw ExitStatus.invalidData
            }
            print("audit log intact")
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
