import ArgumentParser
import Foundation
import Store

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import case records from a JSON Lines file, all or nothing.",
        discussion: """
            Every line is validated first; each bad line is reported with its number and reason and
            nothing is written unless every line is good. Records are upserted by (authority,
            external_id): importing the same file twice changes nothing.
            Exit status: 0 imported, 65 invalid data (nothing imported), 70 store failure.
            """
    )

    @OptionGroup var options: DataOptions

    @Flag(name: .long, help: "Validate only; write nothing.")
    var dryRun = false

    @Argument(help: "The JSON Lines file (one record per line, UTF-8).")
    var file: String

    func run() throws {
        let url = URL(fileURLWithPath: file)
        guard FileManager.default.isReadableFile(atPath: url.path) else {
            throw ValidationError("cannot read \(file)")
        }
        let store: Store
        do { store = try options.openStore() } catch {
            printError("error: \(error)")
            throw ExitStatus.storeFailure
        }
        let started = Date()
        let report: JSONLinesImporter.Report
        do {
            report = try JSONLinesImporter(store: store, actor: .localAdministrator).run(url, dryRun: dryRun) { progress in
                guard standardErrorIsTerminal, progress.totalBytes > 0 else { return }
                let percent = progress.bytesRead * 100 / progress.totalBytes
                FileHandle.standardError.write(Data("\r\(percent)% \(progress.lines) lines".utf8))
            }
        } catch {
            printError("\nerror: \(error) — nothing was imported")
            throw ExitStatus.storeFailure
        }
        if standardErrorIsTerminal { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        for error in report.errors { printError(error.description) }
        if report.unreportedErrors > 0 { printError("… and \(report.unreportedErrors) more invalid lines") }
        let seconds = Date().timeIntervalSince(started)
        guard report.errorCount == 0 else {
            printError("Nothing was imported: \(report.errorCount) of \(report.records) records in \(url.lastPathComponent) are invalid.")
            throw ExitStatus.invalidData
        }
        if dryRun {
            print("\(report.records) records in \(url.lastPathComponent) are valid (dry run: nothing was written).")
            return
        }
        let rate = seconds > 0 ? Int(Double(report.records) / seconds) : report.records
        let counts = report.counts
        print(
            "Imported \(report.records) records from \(url.lastPathComponent): \(counts.inserted) new, \(counts.updated) updated, \(counts.unchanged) unchanged (\(String(format: "%.1f", seconds)) s, \(rate) records/s)."
        )
    }
}
