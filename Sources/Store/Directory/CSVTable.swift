import Foundation

/// A small CSV reader for the project's own dictionary files: UTF-8, a header line, no
/// quoted fields. Checks the header names the expected columns.
struct CSVTable {
    struct Row {
        let file: String
        let line: Int
        let fields: [String: String]

        subscript(column: String) -> String { fields[column] ?? "" }

        func error(_ message: String) -> StoreError {
            StoreError(.configuration, "\(file):\(line): \(message)")
        }
    }

    let rows: [Row]

    init(contentsOf url: URL, columns: [String]) throws(StoreError) {
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw StoreError(.configuration, "cannot read \(url.path): \(error.localizedDescription)")
        }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.hasSuffix("\r") ? String($0.dropLast()) : String($0)
        }
        while lines.last?.isEmpty == true { lines.removeLast() }
        guard let header = lines.first?.split(separator: ",", omittingEmptySubsequences: false).map(String.init),
            Set(columns).isSubset(of: header)
        else {
            throw StoreError(.configuration, "\(url.path): the header must name the columns \(columns.joined(separator: ","))")
        }
        rows = try lines.dropFirst().enumerated().map { (offset, line) throws(StoreError) -> Row in
            let values = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard values.count == header.count else {
                throw StoreError(.configuration, "\(url.path):\(offset + 2): expected \(header.count) fields, found \(values.count)")
            }
            return Row(file: url.path, line: offset + 2, fields: Dictionary(uniqueKeysWithValues: zip(header, values)))
        }
    }
}
