import Foundation

/// A reader for the project's own tab-separated dictionary files (`dictionaries/*.tsv`):
/// UTF-8, LF line endings (a CR before the LF is ignored), a header line that names the
/// columns, no quoting and no tabs inside fields. Blank lines at the end are ignored.
///
/// Lines and fields are cut on the UTF-8 bytes of LF and TAB, without grapheme breaking or
/// regular expressions, so that a 30,000-line file loads in milliseconds.
struct TSVFile {
    /// The file's path, for error messages.
    let path: String
    private let text: String
    /// Where the first data line (after the header) starts.
    private let bodyStart: String.Index
    private let columnCount: Int

    /// Reads `name` in `dictionaries` and checks that its header is exactly `columns`.
    /// - Throws: `IndexError` (`.configuration`) naming the file when it cannot be read or its
    ///   header differs.
    init(_ name: String, in dictionaries: URL, columns: [String]) throws(IndexError) {
        let url = dictionaries.appendingPathComponent(name)
        path = url.path
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw IndexError(
                .configuration,
                "cannot read \(url.path): \(error.localizedDescription); regenerate it with the script named in dictionaries/README.md")
        }
        let utf8 = text.utf8
        let headerEnd = utf8.firstIndex(of: Self.newline) ?? utf8.endIndex
        bodyStart = headerEnd == utf8.endIndex ? headerEnd : utf8.index(after: headerEnd)
        let header = Self.fields(of: Self.line(utf8[utf8.startIndex..<headerEnd]), separator: Self.tab).map(String.init)
        guard header == columns else {
            throw IndexError(
                .configuration, "\(path):1: the header must be \(columns.joined(separator: "<TAB>")), found \(header.joined(separator: "<TAB>"))")
        }
        columnCount = columns.count
    }

    /// Calls `body` with the line number (1-based, the header is line 1) and the fields of each
    /// data line, checking that every line has as many fields as the header.
    func forEachRow(_ body: (_ line: Int, _ fields: [Substring]) throws(IndexError) -> Void) throws(IndexError) {
        let utf8 = text.utf8
        var start = bodyStart
        var number = 1
        var blank: Int?  // first of a run of blank lines: an error unless only blank lines follow
        while start < utf8.endIndex {
            number += 1
            let end = utf8[start...].firstIndex(of: Self.newline) ?? utf8.endIndex
            let line = Self.line(utf8[start..<end])
            start = end == utf8.endIndex ? end : utf8.index(after: end)
            if line.isEmpty {
                blank = blank ?? number
                continue
            }
            if let blank { throw error(line: blank, "blank line inside the file") }
            let fields = Self.fields(of: line, separator: Self.tab)
            guard fields.count == columnCount else {
                throw error(line: number, "expected \(columnCount) tab-separated fields, found \(fields.count)")
            }
            try body(number, fields)
        }
    }

    /// An error that names this file and `line`.
    func error(line: Int, _ message: String) -> IndexError {
        IndexError(.configuration, "\(path):\(line): \(message)")
    }

    /// Splits `text` at every `separator` byte (an ASCII character), keeping empty fields.
    static func fields(of text: Substring, separator: UInt8) -> [Substring] {
        var result: [Substring] = []
        let utf8 = text.utf8
        var start = utf8.startIndex
        while let end = utf8[start...].firstIndex(of: separator) {
            result.append(Substring(utf8[start..<end]))
            start = utf8.index(after: end)
        }
        result.append(Substring(utf8[start...]))
        return result
    }

    private static let newline = UInt8(ascii: "\n")
    private static let tab = UInt8(ascii: "\t")

    /// A line without its trailing CR.
    private static func line(_ bytes: Substring.UTF8View) -> Substring {
        if bytes.last == UInt8(ascii: "\r") { return Substring(bytes.dropLast()) }
        return Substring(bytes)
    }
}
