import CSV
package import Foundation

/// A list of children to check against the national index (e.g. children whose whereabouts
/// are unknown, 居所不明児童), as a spreadsheet: one child per row with a name, a reading, a
/// birthdate, and optionally a sex, a guardian's name and the sender's own number for the row.
package struct ChildList: Sendable {
    /// One child to look for.
    package struct Entry: Sendable, Hashable {
        /// The sheet's row (the heading row is 1).
        package let row: Int
        /// The sender's own reference for the row (番号), echoed in the answer.
        package var reference: String?
        package var name: String?
        package var kana: String?
        package var birthdate: String?
        package var sex: String?
        package var guardian: String?
    }

    /// The most rows a list may have: each row is a search, audited.
    package static let maxRows = 2_000

    static var headings: [(field: WritableKeyPath<Entry, String?>, names: [String])] {
        [
            (\.reference, ["番号", "整理番号", "No", "No."]), (\.name, ["氏名", "児童氏名", "名前"]),
            (\.kana, ["ふりがな", "フリガナ", "よみがな", "児童ふりがな"]), (\.birthdate, ["生年月日", "児童生年月日"]), (\.sex, ["性別"]),
            (\.guardian, ["保護者氏名", "保護者", "保護者1氏名"]),
        ]
    }

    package let encoding: TextEncoding
    package private(set) var entries: [Entry] = []
    package private(set) var issues: [RowIssue] = []

    /// Reads a list (UTF-8 or CP932, detected unless chosen).
    package init(_ bytes: [UInt8], encoding: TextEncoding? = nil) throws(EncodingProblem) {
        let encoding = encoding ?? TextEncoding.detect(bytes)
        self.encoding = encoding
        let text = try encoding.decode(bytes)
        guard let reader = try? CSVReader(string: text, hasHeaderRow: false), let header = reader.next() else {
            issues.append(RowIssue(row: 1, column: nil, "見出しの行がありません。1行目に「氏名」「ふりがな」「生年月日」などの見出しを入れてください。"))
            return
        }
        var columns: [(Int, WritableKeyPath<Entry, String?>)] = []
        for (index, raw) in header.enumerated() {
            let heading = CaseSheetLayout.normalized(CaseSheet.cellText(raw).replacingOccurrences(of: "\u{FEFF}", with: ""))
            guard !heading.isEmpty else { continue }
            guard let known = Self.headings.first(where: { $0.names.map(CaseSheetLayout.normalized).contains(heading) }) else {
                issues.append(RowIssue(row: 1, column: heading, "照合の一覧にない見出しです（番号、氏名、ふりがな、生年月日、性別、保護者氏名）。"))
                continue
            }
            columns.append((index, known.field))
        }
        guard issues.isEmpty else { return }
        guard columns.contains(where: { $0.1 == \Entry.name || $0.1 == \Entry.kana }) else {
            issues.append(RowIssue(row: 1, column: nil, "「氏名」か「ふりがな」の列が必要です。"))
            return
        }
        var number = 1
        while let values = reader.next() {
            number += 1
            let cells = values.map(CaseSheet.cellText)
            guard cells.contains(where: { !$0.isEmpty }) else { continue }
            guard entries.count < Self.maxRows else {
                issues.append(RowIssue(row: number, column: nil, "一覧は\(Self.maxRows)行までです。ファイルを分けてください。"))
                return
            }
            var entry = Entry(row: number)
            for (index, field) in columns where index < cells.count && !cells[index].isEmpty { entry[keyPath: field] = cells[index] }
            if entry.name == nil && entry.kana == nil {
                issues.append(RowIssue(row: number, column: "氏名", "氏名かふりがなを入力してください。"))
                continue
            }
            entries.append(entry)
        }
    }
}
