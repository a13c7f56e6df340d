import Foundation
import HTTPServer
import Spreadsheet
import Store

extension PageRequest {
    /// GET /import: the 一括登録 page (staff of authorities that hold cases).
    func importPage() throws -> HTTPResponse {
        try requireCaseHolder()
        return render("import", "一括登録", ImportPage())
    }

    /// POST /import: a spreadsheet, all or nothing; every problem in Japanese by row and column.
    func importUploadPage() throws -> HTTPResponse {
        try requireCaseHolder()
        guard let file = form.file("file"), !file.content.isEmpty else { throw PageRefusal(400, "CSVファイルを選んでください。") }
        let encoding = try chosenEncoding()
        let dryRun = form["dry_run"] == "1"
        let report = try SheetImport.run(
            file.content, encoding: encoding, authority: authority, store: store, actor: actor, dryRun: dryRun,
            workFolder: store.dataDirectory.appendingPathComponent("tmp", isDirectory: true))
        var view = ImportPage(fileName: file.fileName.isEmpty ? "ファイル" : "「\(file.fileName)」", dryRun: dryRun)
        guard report.issues.isEmpty else {
            view.problems = report.issues.map { ImportPage.Problem(row: $0.row, column: $0.column ?? "（行全体）", message: $0.message) }
            return render("import", "一括登録", view, status: 422)
        }
        let counts = report.counts
        view.done =
            dryRun
            ? "\(report.rows)行（\(report.cases)件のケース）に誤りはありません。登録はしていません。"
            : "\(report.cases)件のケースを登録しました（新規 \(counts.inserted)件、更新 \(counts.updated)件、変更なし \(counts.unchanged)件）。"
        return render("import", "一括登録", view)
    }

    /// The encoding chosen on an upload form (`encoding`): nil for 自動判定.
    func chosenEncoding() throws -> TextEncoding? {
        guard !form["encoding"].isEmpty else { return nil }
        guard let chosen = TextEncoding(name: form["encoding"]) else { throw PageRefusal(400, "文字コードの選択が正しくありません。") }
        return chosen
    }

    /// GET /import/template.csv: the empty sheet with the layout's headings (UTF-8 with a BOM).
    func importTemplate() throws -> HTTPResponse {
        try requireCaseHolder()
        let sheet = try CaseSheetWriter.write([], encoding: .utf8)
        return HTTPResponse(
            status: 200,
            headers: [
                ("Content-Type", "text/csv; charset=utf-8"),
                (
                    "Content-Disposition",
                    "attachment; filename=\"ikkatsu-touroku.csv\"; filename*=UTF-8''%E4%B8%80%E6%8B%AC%E7%99%BB%E9%8C%B2%E6%A7%98%E5%BC%8F.csv"
                ),
            ] + WebApplication.privateDownload,
            body: sheet.bytes)
    }

    /// GET /cases/export?format=csv|jsonl&encoding=utf-8|cp932: the authority's cases (audited).
    func caseExportPage() throws -> HTTPResponse {
        try requireCaseHolder()
        guard let format = CaseExport.Format(rawValue: query["format"] ?? "csv"), let encoding = TextEncoding(name: query["encoding"] ?? "utf-8")
        else {
            throw PageRefusal(400, "書き出しの形式が正しくありません。")
        }
        let records = try store.cases.export(heldBy: authority, as: actor).map(\.record)
        return try WebApplication.exportFile(records, format: format, encoding: encoding, authority: authority)
    }
}
