import ArgumentParser
import Foundation
import Indexer
import Query
import Store

@main
struct Mimamori: AsyncParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "mimamori",
        abstract: "Nationwide sharing of child-protection case records (見守り).",
        version: version,
        subcommands: [
            ServeCommand.self, ImportCommand.self, ExportCommand.self, UserCommand.self, TokenCommand.self, DemoLoginsCommand.self, AuditCommand.self,
            SearchCommand.self,
            BackupCommand.self, RestoreCommand.self, ReindexCommand.self, EvalCommand.self, BenchCommand.self, CaseCommand.self, CheckCommand.self,
            RetentionCommand.self, VoidedCasesCommand.self,
            AuthoritiesCommand.self, DemoDataCommand.self, VersionCommand.self,
        ]
    )

    /// Runs the command; a Store error (or a search index error, as one) that escapes it ends
    /// the process with the status of `ExitStatus.code(for:)`, the same table for every command.
    static func main() async {
        do {
            // serve --config FILE: the file's settings first, so the command line overrides them.
            var command = try parseAsRoot(try ServeConfigurationFile.expand(Array(CommandLine.arguments.dropFirst())))
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as StoreError {
            printError("error: \(error)")
            exit(withError: ExitStatus.code(for: error))
        } catch let error as IndexError {
            // The search index's errors end a command as the Store's do (`StoreError(_:)`).
            let error = StoreError(error)
            printError("error: \(error)")
            exit(withError: ExitStatus.code(for: error))
        } catch {
            exit(withError: error)
        }
    }
}
