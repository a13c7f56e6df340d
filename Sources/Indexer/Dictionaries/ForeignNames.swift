package import Foundation

/// Latin spellings and katakana transcriptions of foreign names (`dictionaries/foreign-names.tsv`):
/// each row is one name, `NGUYEN` ↔ `グエン|グェン|ニュエン…`, and is known by one key, the
/// transcription key (`NameNormalizer.transcriptionKey(_:)`) of its usual katakana.
///
/// A name part's transcription keys (`NamePartKeys.transcriptions`) add the keys of every row
/// that lists its Latin spelling or a katakana form with its transcription key, so `NGUYEN`,
/// `グエン` and `ニュエン` meet on `グエン`, a record in one script and a query in the other.
package struct ForeignNames: Sendable {
    package static let fileName = "foreign-names.tsv"

    /// Latin spelling (capital ASCII) → the keys of the rows listing it.
    private let byLatin: [String: [String]]
    /// Transcription key of a listed katakana form → the keys of the rows listing it.
    private let byTranscription: [String: [String]]

    /// No names: every lookup is empty.
    package static let empty = ForeignNames(byLatin: [:], byTranscription: [:])

    /// The number of rows (names) read.
    package let count: Int

    private init(byLatin: [String: [String]], byTranscription: [String: [String]], count: Int = 0) {
        self.byLatin = byLatin
        self.byTranscription = byTranscription
        self.count = count
    }

    /// Reads `foreign-names.tsv` from the dictionaries folder.
    /// - Throws: `IndexError` (`.configuration`) naming the file and line of a malformed row.
    package static func load(from dictionaries: URL, normalizer: NameNormalizer) throws(IndexError) -> ForeignNames {
        let file = try TSVFile(fileName, in: dictionaries, columns: ["latin", "katakana", "origin"])
        var byLatin: [String: [String]] = [:]
        var byTranscription: [String: [String]] = [:]
        var count = 0
        try file.forEachRow { (line, fields) throws(IndexError) in
            let spellings = TSVFile.fields(of: fields[0], separator: UInt8(ascii: "|")).map(String.init)
            let katakana = TSVFile.fields(of: fields[1], separator: UInt8(ascii: "|")).map(String.init)
            let rowLatin = spellings.compactMap { normalizer.latinSpelling($0) }
            guard !spellings.isEmpty, rowLatin.count == spellings.count else {
                throw file.error(line: line, "latin must be Latin spellings separated by |, found \"\(fields[0])\"")
            }
            let keys = katakana.map(normalizer.transcriptionKey)
            guard let key = keys.first, !keys.contains(where: \.isEmpty), normalizer.script(of: katakana.joined()) == .kana else {
                throw file.error(line: line, "katakana must be katakana separated by |, found \"\(fields[1])\"")
            }
            for spelling in rowLatin where byLatin[spelling]?.contains(key) != true { byLatin[spelling, default: []].append(key) }
            for form in keys where byTranscription[form]?.contains(key) != true { byTranscription[form, default: []].append(key) }
            count += 1
        }
        return ForeignNames(byLatin: byLatin, byTranscription: byTranscription, count: count)
    }

    /// The keys of the names spelled `latin` (as `NameNormalizer.latinSpelling(_:)` gives it).
    package func keys(ofLatin latin: String) -> [String] {
        byLatin[latin] ?? []
    }

    /// The keys of the names with a katakana form whose transcription key is `transcription`.
    package func keys(ofTranscription transcription: String) -> [String] {
        byTranscription[transcription] ?? []
    }
}
