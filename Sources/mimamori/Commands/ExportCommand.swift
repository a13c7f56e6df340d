import ArgumentParser
import Foundation
import Spreadsheet
import Store

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export the cases an authority holds as a CSV spreadsheet or JSON Lines (audited).",
        discussion: """
            The CSV is the spreadsheet layout of docs/csv-format.md (UTF-8 with a BOM, or CP932 with
            --encoding cp932: characters CP932 cannot hold are written as 〓 and reported); JSON Lines
            is the import format. Either imports back unchanged with `mimamori import`.
            """
    )

    @OptionGroup var options: DataOptions

    @Option(help: "The authority whose cases are exported (municipality or CGC code).")
    var authority: String

    @Option(help: "csv or jsonl.")
    var format: CaseExport.Format = .csv

    @Option(help: "For CSV: utf-8 (with a BOM, default) or cp932.")
    var encoding = "utf-8"

    @Option(help: "Where to write (default: standard output).")
    var output: String?

    func run() throws {
        guard let chosen = TextEncoding(name: encoding) else { throw ValidationError("--encoding must be utf-8 or cp932") }
        let store: Store
        do { store = try options.openStore() } catch {
            printError("error: \(error)")
            throw ExitStatus.storeFailure
        }
        guard store.directory[authority]?.holdsCases == true else {
            throw ValidationError("\(authority) is not an authority that holds cases (a municipality or a child guidance centre)")
        }
        let cases: [StoredCase]
        do { cases = try store.cases.export(heldBy: authority, as: .localAdministrator) } catch {
            printError("error: \(error)")
            throw ExitStatus.storeFailure
        }
        let written = try CaseExport.write(cases.map(\.record), format: format, encoding: chosen)
        for issue in written.issues { printError(issue.description) }
        let bytes = written.bytes
        if let output {
            do { try Data(bytes).write(to: URL(fileURLWithPath: output), options: .atomic) } catch {
                throw ValidationError("cannot write \(output): \(error.localizedDescription)")
            }
            printError("Exported \(cases.count) cases of \(authority) to \(output).")
        } else {
            FileHandle.standardOutput.write(Data(bytes))
        }
    }
}

extension CaseExport.Format: ExpressibleByArgument {}
