import CSV
package import Foundation
package import Store

/// A problem with one row of a spreadsheet, named the way a clerk finds it in Excel: the row
/// number (the heading row is 1) and the column heading; the message is Japanese.
package struct RowIssue: Error, Sendable, Hashable, Encodable, CustomStringConvertible {
    package let row: Int
    /// Nil when the problem is the row as a whole.
    package let column: String?
    package let message: String

    package init(row: Int, column: String?, _ message: String) {
        self.row = row
        self.column = column
        self.message = message
    }

    /// 「12行目 生年月日: …」
    package var japanese: String { "\(row)行目" + (column.map { " \($0)" } ?? "") + ": " + message }

    package var description: String { "row \(row)" + (column.map { ", \($0)" } ?? "") + ": " + message }
}

/// A spreadsheet of case records in the national layout (`CaseSheetLayout`), read into the
/// import format: one JSON record per case, each with the cells it came from so that whatever
/// the validator says of a field names its row and column.
package struct CaseSheet: Sendable {
    /// One case: its record in the import format, and where each field came from.
    package struct Case: Sendable {
        /// The row of its first line.
        package let row: Int
        package let externalID: String
        package let json: [UInt8]
        /// JSON path (`child.birthdate`, `guardians[0].relation`) → (row, heading).
        let cells: [String: Cell]

        /// Where a field named by a validator's issue came from: the path itself, else its
        /// nearest enclosing path, else the case's first row.
        func cell(for path: String) -> Cell {
            var path = path
            while !path.isEmpty {
                if let cell = cells[path] { return cell }
                guard let cut = path.lastIndex(where: { $0 == "." || $0 == "[" }) else { break }
                path = String(path[..<cut])
            }
            return Cell(row: row, heading: nil)
        }
    }

    struct Cell: Sendable, Hashable {
        let row: Int
        let heading: String?
    }

    package let encoding: TextEncoding
    /// Data rows read (empty rows not counted).
    package private(set) var rows = 0
    package private(set) var cases: [Case] = []
    /// Problems of the sheet itself (headings, rows that contradict each other); the records'
    /// own problems come from `validate`.
    package private(set) var issues: [RowIssue] = []

    /// The most rows a sheet may have: far beyond any authority's caseload, and a bound on memory.
    package static let maxRows = 200_000

    /// Reads a sheet.
    /// - Parameters:
    ///   - encoding: nil to detect it (a BOM or valid UTF-8, else CP932).
    ///   - authority: the holder of rows without a 機関コード (the signed-in user's authority).
    /// - Throws: `EncodingProblem` when the bytes are not text in the encoding.
    package init(
        _ bytes: [UInt8], encoding: TextEncoding? = nil, authority: String?, directory: AuthorityDirectory
    ) throws(EncodingProblem) {
        let encoding = encoding ?? TextEncoding.detect(bytes)
        self.encoding = encoding
        let text = try encoding.decode(bytes)
        let reader: CSVReader
        do { reader = try CSVReader(string: text, hasHeaderRow: false) } catch {
            issues.append(RowIssue(row: 1, column: nil, "CSVとして読み取れません。"))
            return
        }
        guard let header = reader.next() else {
            issues.append(RowIssue(row: 1, column: nil, "見出しの行がありません。1行目に列の見出し（記録番号、児童氏名…）を入れてください。"))
            return
        }
        let fields = readHeadings(header)
        guard issues.isEmpty else { return }
        var builders: [String: Builder] = [:]
        var order: [String] = []
        var rowNumber = 1
        while let values = reader.next() {
            rowNumber += 1
            let cells = values.map(Self.cellText)
            guard cells.contains(where: { !$0.isEmpty }) else { continue }  // an empty row (Excel's last line)
            rows += 1
            guard rows <= Self.maxRows else {
                issues.append(RowIssue(row: rowNumber, column: nil, "行が多すぎます（1ファイル\(Self.maxRows)行まで）。ファイルを分けてください。"))
                return
            }
            if cells.count > fields.count, cells[fields.count...].contains(where: { !$0.isEmpty }) {
                issues.append(RowIssue(row: rowNumber, column: nil, "見出しのない列に値があります（\(fields.count + 1)列目以降）。見出しを付けるか、値を消してください。"))
                continue
            }
            var row: [CaseSheetLayout.Field: (heading: String, value: String)] = [:]
            for (index, field) in fields.enumerated() where index < cells.count && !cells[index].isEmpty {
                row[field.field] = (field.heading, cells[index])
            }
            guard let externalID = row[.externalID]?.value else {
                issues.append(RowIssue(row: rowNumber, column: "記録番号", "記録番号を入力してください（自機関で管理している番号です）。"))
                continue
            }
            if builders[externalID] == nil {
                builders[externalID] = Builder(row: rowNumber, externalID: externalID)
                order.append(externalID)
            }
            builders[externalID]!.add(row, at: rowNumber, authority: authority, directory: directory, issues: &issues)
        }
        if reader.error != nil {
            issues.append(RowIssue(row: rowNumber, column: nil, "CSVとして読み取れません（引用符「\"」が閉じられていない可能性があります）。"))
        }
        for externalID in order {
            if let builder = builders[externalID] { cases.append(builder.finish(issues: &issues)) }
        }
    }

    /// The headings as fields; unknown or repeated headings are issues of row 1.
    private mutating func readHeadings(_ header: [String]) -> [(heading: String, field: CaseSheetLayout.Field)] {
        var fields: [(heading: String, field: CaseSheetLayout.Field)] = []
        var seen: [CaseSheetLayout.Field: String] = [:]
        for (index, raw) in header.enumerated() {
            var heading = Self.cellText(raw)
            if index == 0, heading.hasPrefix("\u{FEFF}") { heading.removeFirst() }
            guard !heading.isEmpty else {
                issues.append(RowIssue(row: 1, column: nil, "\(index + 1)列目に見出しがありません。"))
                continue
            }
            guard let field = CaseSheetLayout.field(of: heading) else {
                issues.append(
                    RowIssue(
                        row: 1, column: heading,
                        "この見出しは一括登録の様式にありません。様式（テンプレート）の見出しに合わせるか、この列を削除してください。"))
                continue
            }
            if let earlier = seen[field] {
                issues.append(RowIssue(row: 1, column: heading, "「\(earlier)」と同じ項目の列が重複しています。"))
                continue
            }
            seen[field] = heading
            fields.append((heading, field))
        }
        if issues.isEmpty, seen[.externalID] == nil {
            issues.append(RowIssue(row: 1, column: nil, "「記録番号」の列がありません。"))
        }
        return fields
    }

    /// A cell as typed: trimmed, line breaks inside it as LF (Excel's Alt+Enter); a leading
    /// apostrophe that kept a formula-looking value as text (how exports write `=…`, `+…`,
    /// `-…`, `@…`) removed.
    static func cellText(_ raw: String) -> String {
        let text = raw.trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: "\r\n", with: "\n")
            .replacingOccurrences(of: "\r", with: "\n")
        if text.hasPrefix("'"), let next = text.dropFirst().first, "=+-@".contains(next) { return String(text.dropFirst()) }
        return text
    }

    /// Validates every case as the import will; each issue named by row and column, in Japanese.
    package func validate(with validator: RecordValidator) -> [RowIssue] {
        var found: [RowIssue] = []
        for sheetCase in cases {
            guard case .failure(let invalid) = validator.validate(json: sheetCase.json) else { continue }
            for issue in invalid.issues {
                let cell = sheetCase.cell(for: issue.path)
                found.append(RowIssue(row: cell.row, column: cell.heading, issue.japanese(label: cell.heading ?? "記録")))
            }
        }
        return found.sorted { ($0.row, $0.column ?? "") < ($1.row, $1.column ?? "") }
    }

    /// The cases as JSON Lines, for the importer (line *n* is `cases[n - 1]`).
    package var jsonLines: [UInt8] {
        var bytes: [UInt8] = []
        for sheetCase in cases {
            bytes += sheetCase.json
            bytes.append(0x0A)
        }
        return bytes
    }
}
