package import Foundation
package import Store

/// Imports a case spreadsheet all or nothing, the same way from the CLI, the API and the page:
/// the sheet is read and every record validated first, each problem named by row and column;
/// only a sheet without problems goes to the JSON Lines importer (the one path that stages,
/// commits crash-safely and audits imports), whose own refusals are mapped back to rows.
package enum SheetImport {
    package struct Report: Sendable {
        package var encoding: TextEncoding?
        /// Data rows and the cases they make.
        package var rows = 0
        package var cases = 0
        package var issues: [RowIssue] = []
        package var counts = ApplyCounts()
        package var committed = false
    }

    /// Runs the import. `workFolder` holds the intermediate JSON Lines file for the moment of
    /// the import (private to the data folder, removed afterwards).
    /// - Throws: `StoreError` only for failures of the store itself; bad rows are in the report.
    package static func run(
        _ bytes: [UInt8], encoding: TextEncoding?, authority: String?, store: Store, actor: Actor, dryRun: Bool, workFolder: URL
    ) throws(StoreError) -> Report {
        var report = Report()
        let sheet: CaseSheet
        do { sheet = try CaseSheet(bytes, encoding: encoding, authority: authority, directory: store.directory) } catch {
            report.issues = [RowIssue(row: error.line, column: nil, error.japanese)]
            return report
        }
        report.encoding = sheet.encoding
        report.rows = sheet.rows
        report.cases = sheet.cases.count
        report.issues = sheet.issues + sheet.validate(with: RecordValidator(directory: store.directory))
        guard report.issues.isEmpty else { return report }
        let file = workFolder.appendingPathComponent("sheet-\(UUID().uuidString.lowercased()).jsonl")
        do {
            try FileManager.default.createDirectory(at: workFolder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            try Data(sheet.jsonLines).write(to: file, options: [.withoutOverwriting])
        } catch {
            throw StoreError(.storage, "the sheet could not be staged for import in \(workFolder.path): \(error.localizedDescription)")
        }
        defer { try? FileManager.default.removeItem(at: file) }
        let imported = try JSONLinesImporter(store: store, actor: actor).run(file, dryRun: dryRun)
        for error in imported.errors {
            let row = sheet.cases.indices.contains(error.line - 1) ? sheet.cases[error.line - 1].row : error.line
            report.issues.append(RowIssue(row: row, column: nil, japanese(error.message)))
        }
        report.counts = imported.counts
        report.committed = imported.committed
        return report
    }

    /// The importer's refusals that a sheet can meet, in Japanese (others as they are).
    static func japanese(_ message: String) -> String {
        if message.contains("may not register cases") || message.contains("permission") {
            return "この機関のケースを登録する権限がありません（機関コードを確認してください）。"
        }
        if message.contains("already appears on line") { return "同じ記録番号のケースが別の機関コードで重複しています。" }
        return message
    }
}
