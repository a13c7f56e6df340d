import Foundation
import SQLiteDB

/// An annual report form the ministry publishes (e.g. the CGC staffing survey: staff counts
/// by job type and qualification), one field per figure.
package struct ReportForm: Sendable, Hashable, Codable {
    package struct Field: Sendable, Hashable, Codable {
        package enum Kind: String, Sendable, Hashable, Codable { case integer, text }
        /// The field's key in submissions and the CSV header (`child_welfare_officers`).
        package let key: String
        /// What the form shows (`児童福祉司数`).
        package let label: String
        package let type: Kind

        package init(key: String, label: String, type: Kind) {
            self.key = key
            self.label = label
            self.type = type
        }
    }

    /// Who answers the form.
    package enum Audience: String, Sendable, Hashable, Codable, CaseIterable {
        /// Municipalities and child guidance centres.
        case all
        /// Child guidance centres (the CGC staffing survey).
        case cgc
        case municipality

        /// Whether an authority of `kind` answers it.
        package func includes(_ kind: Authority.Kind) -> Bool {
            switch self {
            case .all: kind == .childGuidanceCentre || kind == .municipality
            case .cgc: kind == .childGuidanceCentre
            case .municipality: kind == .municipality
            }
        }
    }

    package let id: String
    package let year: Int
    package let title: String
    package let fields: [Field]
    package let publishedAt: String
    /// The last day to submit (`YYYY-MM-DD`, a day in Japan); nil: none.
    package var deadline: String?
    package var audience: Audience = .all

    enum CodingKeys: String, CodingKey { case id, year, title, fields, publishedAt = "published_at", deadline, audience }
}

/// One authority's answers to a form.
package struct ReportSubmission: Sendable, Hashable, Encodable {
    package let authority: String
    /// Field key → value (a whole number or a text, as the field's type says).
    package let answers: [String: String]
    package let submittedBy: String
    package let submittedAt: String

    enum CodingKeys: String, CodingKey { case authority, answers, submittedBy = "submitted_by", submittedAt = "submitted_at" }
}

/// Annual reports: the ministry publishes forms, authorities submit answers, the ministry
/// lists and exports them.
package struct Reports: StoreFeature {
    package let store: Store

    /// The years a form may be published for.
    package static let years = 2000...2200
    /// The whole numbers an integer field may hold.
    package static let answers = 0...10_000_000

    /// The ministry publishes a form for an audience, with an optional deadline (a whole date).
    /// Keys are lower-case ASCII (`a-z`, digits, `_`), unique.
    package func publish(
        year: Int, title: String, fields: [ReportForm.Field], deadline: String? = nil, audience: ReportForm.Audience = .all, as actor: Actor
    ) throws(StoreError) -> ReportForm {
        try store.require(.ministry, as: actor, action: "report.publish")
        var deadlineDate: String?
        if let deadline {
            guard let date = try? PartialDate(parsing: deadline), date.day != nil, Self.years.contains(date.year) else {
                throw StoreError(.invalidInput, "deadline: a whole date (YYYY-MM-DD), not \"\(deadline.prefix(40))\"")
            }
            deadlineDate = date.iso
        }
        guard Self.years.contains(year) else { throw StoreError(.invalidInput, "year: a year such as 2026, not \(year)") }
        let title = title.trimmingSpaces()
        guard !title.isEmpty, title.count <= 200 else { throw StoreError(.invalidInput, "title: 1–200 characters") }
        guard !fields.isEmpty, fields.count <= 200 else { throw StoreError(.invalidInput, "fields: 1–200 fields") }
        for (index, field) in fields.enumerated() {
            guard (1...64).contains(field.key.utf8.count),
                field.key.utf8.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5F })
            else { throw StoreError(.invalidInput, "fields[\(index)].key: lower-case letters, digits and _ (e.g. child_welfare_officers)") }
            guard !field.label.trimmingSpaces().isEmpty, field.label.count <= 200 else {
                throw StoreError(.invalidInput, "fields[\(index)].label: 1–200 characters")
            }
        }
        guard Set(fields.map(\.key)).count == fields.count else { throw StoreError(.invalidInput, "fields: each key may appear once") }
        var form = ReportForm(id: UUID().uuidString.lowercased(), year: year, title: title, fields: fields, publishedAt: Timestamp.now())
        form.deadline = deadlineDate
        form.audience = audience
        let json: String
        do { json = String(decoding: try JSONEncoder().encode(fields), as: UTF8.self) } catch {
            throw StoreError(.invalidInput, "cannot encode the fields: \(error)")
        }
        try catalogue.write { connection throws(StoreError) in
            try connection.run(
                "INSERT INTO report_forms (id, year, title, fields, published_by, published_at, deadline, audience) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [form.id, year, title, json, actor.description, form.publishedAt, deadlineDate, audience.rawValue])
            try store.audit(
                connection, actor: actor, action: "report.publish", target: form.id,
                detail: "year=\(year) fields=\(fields.count) audience=\(audience.rawValue) deadline=\(deadlineDate ?? "none")")
        }
        return form
    }

    /// Every published form, newest year first.
    package func forms() throws(StoreError) -> [ReportForm] {
        try catalogue.read { connection throws(StoreError) in
            try connection.query(
                "SELECT \(Self.formColumns) FROM report_forms ORDER BY year DESC, published_at DESC", [], Self.reportForm(row:))
        }
    }

    package func form(_ id: String) throws(StoreError) -> ReportForm {
        let form = try catalogue.read { connection throws(StoreError) in
            try connection.first("SELECT \(Self.formColumns) FROM report_forms WHERE id = ?", [id], Self.reportForm(row:))
        }
        guard let form else { throw StoreError(.notFound, "no report form \(id.prefix(64))") }
        return form
    }

    /// An authority submits (or replaces) its answers: every field, each of its type.
    package func submit(_ formID: String, answers: [String: String], as actor: Actor) throws(StoreError) {
        try store.require(.submitReport, as: actor, action: "report.submit", target: formID)
        let form = try form(formID)
        guard let authority = actor.authority, let kind = directory[authority]?.kind else {
            throw StoreError(.invalidInput, "reports are submitted by the users of a municipality or CGC")
        }
        guard form.audience.includes(kind) else {
            try store.refuse(
                actor, "report.submit", target: formID,
                "this form is answered by \(form.audience == .cgc ? "child guidance centres" : "municipalities") only")
        }
        var problems: [String] = []
        for field in form.fields {
            guard let value = answers[field.key] else {
                problems.append("\(field.key) (\(field.label)): missing")
                continue
            }
            switch field.type {
            case .integer:
                if Int(value).map({ Self.answers.contains($0) }) != true {
                    problems.append("\(field.key) (\(field.label)): a whole number 0 or more, not \"\(value.prefix(20))\"")
                }
            case .text:
                if value.count > 2_000 { problems.append("\(field.key) (\(field.label)): at most 2,000 characters") }
            }
        }
        for key in answers.keys.sorted() where !form.fields.contains(where: { $0.key == key }) {
            problems.append("\(key.prefix(64)): not a field of this form")
        }
        guard problems.isEmpty else { throw StoreError(.invalidInput, problems.joined(separator: "; ")) }
        let json: String
        do { json = String(decoding: try JSONEncoder().encode(answers), as: UTF8.self) } catch {
            throw StoreError(.invalidInput, "cannot encode the answers: \(error)")
        }
        try catalogue.write { connection throws(StoreError) in
            try connection.run(
                """
                INSERT INTO report_submissions (form_id, authority, answers, submitted_by, submitted_at) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (form_id, authority) DO UPDATE SET answers = excluded.answers, submitted_by = excluded.submitted_by,
                    submitted_at = excluded.submitted_at
                """, [formID, authority, json, actor.description, Timestamp.now()])
            try store.audit(connection, actor: actor, action: "report.submit", target: formID, detail: nil)
        }
    }

    /// The submissions to a form: the ministry sees all, an authority its own.
    package func submissions(_ formID: String, as actor: Actor) throws(StoreError) -> [ReportSubmission] {
        _ = try form(formID)
        // The ministry sees every submission, an authority its own.
        let only: String? = store.allows(.ministry, actor) ? nil : actor.authority
        return try catalogue.read { connection throws(StoreError) in
            try connection.query(
                """
                SELECT authority, answers, submitted_by, submitted_at FROM report_submissions
                WHERE form_id = ?1 AND (?2 IS NULL OR authority = ?2) ORDER BY authority
                """, [formID, only]
            ) { row in
                let answers = (try? JSONDecoder().decode([String: String].self, from: Data(row.text(1).utf8))) ?? [:]
                return ReportSubmission(authority: row.text(0), answers: answers, submittedBy: row.text(2), submittedAt: row.text(3))
            }
        }
    }

    /// The submissions as CSV for the ministry (UTF-8 with a byte-order mark, so Excel reads
    /// the Japanese): authority code and name, submission time, then one column per field.
    package func csv(_ formID: String, as actor: Actor) throws(StoreError) -> String {
        try store.require(.ministry, as: actor, action: "report.export", target: formID)
        let form = try form(formID)
        let rows = try submissions(formID, as: actor)
        func cell(_ text: String) -> String {
            // A leading =, +, -, @, tab or carriage return would make (or hide) a spreadsheet
            // formula: such a value is kept as text.
            let safe = text.first.map { "=+-@\t\r".contains($0) } == true ? "'" + text : text
            guard safe.contains(where: { ",\"\n\r".contains($0) }) else { return safe }
            return "\"" + safe.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        var lines = [(["authority_code", "authority_name", "submitted_at"] + form.fields.map(\.key)).map(cell).joined(separator: ",")]
        for row in rows {
            let values = [row.authority, directory[row.authority]?.name ?? "", row.submittedAt] + form.fields.map { row.answers[$0.key] ?? "" }
            lines.append(values.map(cell).joined(separator: ","))
        }
        try store.audit(actor: actor, action: "report.export", target: formID, detail: "rows=\(rows.count)")
        return "\u{FEFF}" + lines.joined(separator: "\r\n") + "\r\n"
    }

    static let formColumns = "id, year, title, fields, published_at, deadline, audience"

    static func reportForm(row: Statement) -> ReportForm {
        let fields = (try? JSONDecoder().decode([ReportForm.Field].self, from: Data(row.text(3).utf8))) ?? []
        var form = ReportForm(id: row.text(0), year: row.int(1), title: row.text(2), fields: fields, publishedAt: row.text(4))
        form.deadline = row.optionalText(5)
        form.audience = ReportForm.Audience(rawValue: row.text(6)) ?? .all
        return form
    }
}
