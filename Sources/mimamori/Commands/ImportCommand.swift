import ArgumentParser
import Foundation
import Spreadsheet
import Store

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import case records from a JSON Lines file or a CSV spreadsheet, all or nothing.",
        discussion: """
            Every line is validated first; each bad line is reported with its number and reason and
            nothing is written unless every line is good. Records are upserted by (authority,
            external_id): importing the same file twice changes nothing.
            A .csv file (or --format csv) is read in the spreadsheet layout of docs/csv-format.md:
            UTF-8 or Shift_JIS (CP932) as Excel writes it, detected unless --encoding is given; each
            bad row is reported by row number and column heading.
            Exit status: 0 imported, 65 invalid data (nothing imported), 70 store failure.
            """
    )

    @OptionGroup var options: DataOptions

    @Flag(name: .long, help: "Validate only; write nothing.")
    var dryRun = false

    @Option(help: "The file's format: jsonl or csv (default: from the file's extension).")
    var format: FileFormat?

    @Option(help: "A CSV file's encoding: utf-8 or cp932 (default: detected).")
    var encoding: String?

    @Option(help: "For a CSV without a 機関コード column: the authority holding its cases.")
    var authority: String?

    @Argument(help: "The JSON Lines file (one record per line, UTF-8) or CSV spreadsheet.")
    var file: String

    enum FileFormat: String, ExpressibleByArgument { case jsonl, csv }

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
        if (format ?? (url.pathExtension.lowercased() == "csv" ? .csv : .jsonl)) == .csv {
            try importSheet(url, into: store, started: started)
            return
        }
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

    /// Imports a CSV spreadsheet (docs/csv-format.md); each problem by row and heading.
    private func importSheet(_ url: URL, into store: Store, started: Date) throws {
        var chosen: TextEncoding?
        if let encoding {
            guard let known = TextEncoding(name: encoding) else { throw ValidationError("--encoding must be utf-8 or cp932") }
            chosen = known
        }
        let bytes: [UInt8]
        do { bytes = Array(try Data(contentsOf: url)) } catch { throw ValidationError("cannot read \(file): \(error.localizedDescription)") }
        let report: SheetImport.Report
        do {
            report = try SheetImport.run(
                bytes, encoding: chosen, authority: authority, store: store, actor: .localAdministrator, dryRun: dryRun,
                workFolder: store.dataDirectory.appendingPathComponent("tmp", isDirectory: true))
        } catch {
            printError("error: \(error) — nothing was imported")
            throw ExitStatus.storeFailure
        }
        for issue in report.issues { printError(issue.description) }
        guard report.issues.isEmpty else {
            printError("Nothing was imported: \(report.issues.count) problems in \(url.lastPathComponent) (\(report.rows) rows).")
            throw ExitStatus.invalidData
        }
        let encoding = report.encoding?.rawValue ?? "?"
        if dryRun {
            print("\(report.cases) cases in \(report.rows) rows of \(url.lastPathComponent) (\(encoding)) are valid (dry run: nothing was written).")
            return
        }
        let seconds = Date().timeIntervalSince(started)
        let counts = report.counts
        print(
            "Imported \(report.cases) cases from \(report.rows) rows of \(url.lastPathComponent) (\(encoding)): \(counts.inserted) new, \(counts.updated) updated, \(counts.unchanged) unchanged (\(String(format: "%.1f", seconds)) s)."
        )
    }
}
