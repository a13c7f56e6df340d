import Foundation
import HTTPServer
import Store

extension WebApplication {
    /// POST /api/v1/import: JSON Lines, all or nothing, exactly as `mimamori import`.
    func importRecords(_ request: HTTPRequest, _ caller: Caller) -> HTTPResponse {
        respond {
            let store = try requireStore()
            try request.requireType(["application/x-ndjson", "application/jsonl", "application/json-lines"])
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
