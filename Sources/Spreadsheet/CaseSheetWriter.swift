import CSV
package import Foundation
package import Store

/// Writes case records in the spreadsheet layout that `CaseSheet` reads, so that an export
/// imports back unchanged: one row per consultation (at least one per case), the case's cells
/// repeated on each row so that the sheet can be sorted and filtered in Excel.
package enum CaseSheetWriter {
    /// The file and what could not be written as it is.
    package struct Output: Sendable {
        package let bytes: [UInt8]
        /// For CP932: each character it cannot hold, replaced by 〓, named by row and column.
        package let issues: [RowIssue]
    }

    /// The replacement for a character the encoding cannot hold (げた記号, as Japanese printing does).
    static let substitute = "〓"

    /// The sheet of `records`: UTF-8 with a BOM (Excel opens it as UTF-8), or CP932. CRLF line ends.
    package static func write(_ records: [CaseRecord], encoding: TextEncoding) throws(EncodingProblem) -> Output {
        let guardians = max(2, records.map(\.guardians.count).max() ?? 0)
        let household = max(1, records.map(\.household.count).max() ?? 0)
        let institutions = records.map(\.institutions.count).max() ?? 0
        let headings = CaseSheetLayout.templateHeadings(guardians: guardians, household: household, institutions: institutions)
        var rows: [[String]] = []
        var issues: [RowIssue] = []
        for record in records {
            let caseCells = cells(of: record)
            for consultation in record.consultations.isEmpty ? [nil] : record.consultations.map(Optional.some) {
                var row = caseCells
                if let consultation {
                    row["相談日"] = consultation.date?.iso
                    row["相談経路"] = consultation.source?.label
                    row["虐待種別"] = consultation.abuseTypes.map(\.label).joined(separator: "・")
                    row["相談状況"] = consultation.status.label
                    row["アセスメント"] = consultation.assessment
                    row["対応"] = consultation.response
                }
                rows.append(headings.map { guarded(row[$0] ?? "") })
            }
        }
        if encoding == .cp932 {
            for index in rows.indices {
                for (column, value) in rows[index].enumerated() {
                    let missing = try encoding.unrepresentable(in: value)
                    guard !missing.isEmpty else { continue }
                    var replaced = value
                    for character in missing {
                        replaced = replaced.replacingOccurrences(of: String(character), with: substitute)
                    }
                    rows[index][column] = replaced
                    issues.append(
                        RowIssue(
                            row: index + 2, column: headings[column],
                            "「\(String(missing))」はShift_JIS（CP932）で表せないため「\(substitute)」に置き換えました。UTF-8で出力すると元の文字のまま出力されます。"))
                }
            }
        }
        let text = csv([headings] + rows)
        let bytes = encoding == .utf8 ? TextEncoding.byteOrderMark + Array(text.utf8) : try encoding.encode(text)
        return Output(bytes: bytes, issues: issues)
    }

    /// Any table as a UTF-8 sheet with a BOM (Excel opens it as UTF-8), formula-looking cells
    /// guarded: for answers such as a list check's.
    package static func utf8Sheet(_ rows: [[String]]) -> [UInt8] {
        TextEncoding.byteOrderMark + Array(csv(rows.map { $0.map(guarded) }).utf8)
    }

    /// The sheet's text (CSV.swift quotes cells with commas, quotes or line breaks).
    static func csv(_ rows: [[String]]) -> String {
        let stream = OutputStream(toMemory: ())
        do {
            let writer = try CSVWriter(stream: stream, newline: .crlf)
            for row in rows { try writer.write(row: row) }
            stream.close()
        } catch {
            // Writing to memory does not fail; an empty sheet would show it.
            return ""
        }
        let data = stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data ?? Data()
        return String(decoding: data, as: UTF8.self) + "\r\n"
    }

    /// A value a spreadsheet would run as a formula (=, +, -, @) kept as text with a leading
    /// apostrophe, which the reader removes again.
    static func guarded(_ value: String) -> String {
        guard let first = value.first, "=+-@".contains(first) else { return value }
        return "'" + value
    }

    /// The case's cells, by heading.
    static func cells(of record: CaseRecord) -> [String: String] {
        var cells: [String: String] = [
            "記録番号": record.externalID, "状態": record.status.label, "機関コード": record.authority,
        ]
        func name(_ family: String?, _ given: String?) -> String? {
            guard family != nil || given != nil else { return nil }
            return [family ?? "", given].compactMap { $0 }.joined(separator: " ")
        }
        let child = record.child
        cells["児童氏名"] = name(child.familyName, child.givenName)
        cells["ふりがな"] = name(child.familyNameKana, child.givenNameKana)
        cells["ローマ字"] = child.romaji
        cells["生年月日"] = child.birthdate?.iso
        cells["性別"] = child.sex?.label
        cells["国籍"] = child.nationality
        if let address = record.address {
            cells["住所"] = address.prefecture + (address.municipality ?? "") + (address.line ?? "")
        }
        func person(_ prefix: String, _ number: Int, _ identity: PersonIdentity, relation: String) {
            let group = "\(prefix)\(number)"
            cells[group + "続柄"] = relation
            cells[group + "氏名"] = name(identity.familyName, identity.givenName)
            cells[group + "ふりがな"] = name(identity.familyNameKana, identity.givenNameKana)
            cells[group + "生年月日"] = identity.birthdate?.iso
            cells[group + "性別"] = identity.sex?.label
            cells[group + "ローマ字"] = identity.romaji
            cells[group + "国籍"] = identity.nationality
        }
        for (index, guardian) in record.guardians.enumerated() {
            person("保護者", index + 1, guardian.identity, relation: guardian.relation.label)
        }
        for (index, member) in record.household.enumerated() { person("同居人", index + 1, member.identity, relation: member.relation.label) }
        for (index, institution) in record.institutions.enumerated() {
            func heading(_ part: CaseSheetLayout.InstitutionField) -> String { index == 0 ? part.firstHeading : "所属\(index + 1)\(part.rawValue)" }
            cells[heading(.kind)] = institution.kind.label
            cells[heading(.name)] = institution.name
            cells[heading(.schooling)] = institution.schooling?.label
        }
        cells["家庭の状況"] = record.familySituation
        cells["備考"] = record.notes
        return cells
    }
}

/// An authority's cases as a file that `mimamori import` and `POST /api/v1/import` take back
/// unchanged: the spreadsheet, or JSON Lines of the import format (each line the stored body).
package enum CaseExport {
    package enum Format: String, Sendable, CaseIterable {
        case csv, jsonl
    }

    package static func write(_ records: [CaseRecord], format: Format, encoding: TextEncoding) throws -> CaseSheetWriter.Output {
        switch format {
        case .csv:
            return try CaseSheetWriter.write(records, encoding: encoding)
        case .jsonl:
            var bytes: [UInt8] = []
            for record in records {
                bytes += Array(Cases.encode(record).utf8)
                bytes.append(0x0A)
            }
            return CaseSheetWriter.Output(bytes: bytes, issues: [])
        }
    }
}
