import Foundation
import HTTPServer
import Spreadsheet
import Store

extension WebApplication {
    /// POST /api/v1/import: JSON Lines, or a CSV spreadsheet (`text/csv`, docs/csv-format.md),
    /// all or nothing, exactly as `mimamori import`.
    func importRecords(_ request: HTTPRequest, _ caller: Caller) -> HTTPResponse {
        respond {
            let store = try requireStore()
            try request.requireType(["application/x-ndjson", "application/jsonl", "application/json-lines", "text/csv"])
            if request.mediaType == "text/csv" { return try importSheet(request, caller, store) }
            // The importer reads files (line by line, with its limits): the body goes to a private temporary file.
            let folder = store.dataDirectory.appendingPathComponent("tmp", isDirectory: true)
            let file = folder.appendingPathComponent("import-\(UUID().uuidString.lowercased()).jsonl")
            do {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
                try Data(request.body).write(to: file, options: [.withoutOverwriting])
            } catch {
                throw Refusal(500, "Internal error", "the upload could not be stored for import; try again")
            }
            defer { try? FileManager.default.removeItem(at: file) }
            let report = try JSONLinesImporter(store: store, actor: caller.actor).run(file, dryRun: request.query["dry_run"] == "true")
            struct Answer: Encodable {
                let committed: Bool
                let records: Int
                let inserted: Int
                let updated: Int
                let unchanged: Int
                let errors: [JSONLinesImporter.LineError]
                let unreportedErrors: Int

                enum CodingKeys: String, CodingKey {
                    case committed, records, inserted, updated, unchanged, errors, unreportedErrors = "unreported_errors"
                }
            }
            let answer = Answer(
                committed: report.committed, records: report.records, inserted: report.counts.inserted, updated: report.counts.updated,
                unchanged: report.counts.unchanged, errors: report.errors, unreportedErrors: report.unreportedErrors)
            return .encoded(report.errorCount == 0 ? 200 : 422, answer)
        }
    }

    /// POST /api/v1/import with `text/csv`: the charset parameter chooses the encoding
    /// (utf-8, shift_jis/cp932), else it is detected; each problem by row and column, in Japanese.
    private func importSheet(_ request: HTTPRequest, _ caller: Caller, _ store: Store) throws -> HTTPResponse {
        let report = try SheetImport.run(
            request.body, encoding: try request.sheetEncoding(), authority: caller.actor.authority, store: store, actor: caller.actor,
            dryRun: request.query["dry_run"] == "true", workFolder: store.dataDirectory.appendingPathComponent("tmp", isDirectory: true))
        struct Answer: Encodable {
            let committed: Bool
            let encoding: String?
            let rows: Int
            let cases: Int
            let inserted: Int
            let updated: Int
            let unchanged: Int
            let errors: [RowIssue]
        }
        let answer = Answer(
            committed: report.committed, encoding: report.encoding?.rawValue, rows: report.rows, cases: report.cases,
            inserted: report.counts.inserted, updated: report.counts.updated, unchanged: report.counts.unchanged, errors: report.issues)
        return .encoded(report.issues.isEmpty ? 200 : 422, answer)
    }

    /// GET /api/v1/export?format=csv|jsonl&encoding=utf-8|cp932: the caller's authority's cases
    /// (audited), as a download that `POST /api/v1/import` takes back unchanged.
    func exportCases(_ request: HTTPRequest, _ caller: Caller) -> HTTPResponse {
        respond {
            let store = try requireStore()
            guard let authority = caller.actor.authority else { throw Refusal(403, "Forbidden", "no authority") }
            guard let format = CaseExport.Format(rawValue: request.query["format"] ?? "csv") else {
                throw Refusal(400, "Invalid parameter", "format must be csv or jsonl")
            }
            guard let encoding = TextEncoding(name: request.query["encoding"] ?? "utf-8") else {
                throw Refusal(400, "Invalid parameter", "encoding must be utf-8 or cp932")
            }
            let records = try store.cases.export(heldBy: authority, as: caller.actor).map(\.record)
            return try Self.exportFile(records, format: format, encoding: encoding, authority: authority)
        }
    }

    /// The export as a download: the file, and for CP932 how many cells lost a character.
    static func exportFile(_ records: [CaseRecord], format: CaseExport.Format, encoding: TextEncoding, authority: String) throws -> HTTPResponse {
        let written = try CaseExport.write(records, format: format, encoding: encoding)
        let type = format == .jsonl ? "application/jsonl" : "text/csv; charset=\(encoding == .utf8 ? "utf-8" : "shift_jis")"
        var headers = [("Content-Type", type), ("Content-Disposition", "attachment; filename=\"cases-\(authority).\(format.rawValue)\"")]
        if format == .csv { headers.append(("X-Mimamori-Replaced-Characters", String(written.issues.count))) }
        return HTTPResponse(status: 200, headers: headers + Self.privateDownload, body: written.bytes)
    }

    /// Case data as a download: never run by the browser, never kept in a shared computer's cache.
    static let privateDownload: [(String, String)] = [
        ("Content-Security-Policy", "sandbox; default-src 'none'"), ("Cache-Control", "private, no-store"),
    ]

    /// GET /api/v1/audit: the caller's authority's audit trail (administrators).
    func auditTrail(_ request: HTTPRequest, _ caller: Caller) -> HTTPResponse {
        respond {
            let store = try requireStore()
            guard let authority = caller.actor.authority else { throw Refusal(403, "Forbidden", "no authority") }
            let limit = try request.integer("limit", in: 1...1000) ?? 100
            let before = try request.integer("before", in: 1...Int.max)
            struct Trail: Encodable { let entries: [AuditEntry] }
            return .encoded(200, Trail(entries: try store.auditLog.auditTrail(of: authority, as: caller.actor, limit: limit, before: before)))
        }
    }
}

extension HTTPRequest {
    /// The encoding a `text/csv` body declares in its charset parameter; nil to detect it.
    func sheetEncoding() throws(Refusal) -> TextEncoding? {
        guard let charset = mediaTypeParameter("charset") else { return nil }
        guard let known = TextEncoding(name: charset) else {
            throw Refusal(415, "Unsupported media type", "charset \(charset.prefix(40)) is not utf-8 or shift_jis (cp932)")
        }
        return known
    }
}
