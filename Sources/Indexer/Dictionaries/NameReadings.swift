package import Foundation

/// Readings of Japanese family and given names, from `dictionaries/name-readings.tsv`: kanji →
/// katakana (a kana query finds a record stored in kanji only), katakana → kanji (the other
/// way), and splitting a full name typed without a space.
///
/// Names are looked up as written and, failing that, after `KanjiVariants.canonical(_:)`; every
/// name is also stored under its canonical spelling, readings merged (`齋藤` and `斎藤` both give
/// `サイトウ`). Callers normally pass the canonical form. Readings are katakana; hiragana passed
/// in is read as katakana. Names in the file come from mecab-ipadic (2007): many names common
/// among children born since then (`陽翔`, `大翔`, `陽菜`, `結愛`) are missing.
package struct NameReadings: Sendable {
    /// The file this type reads, in the dictionaries folder.
    package static let fileName = "name-readings.tsv"
    /// At most this many names are returned by `kanji(forFamilyReading:)` and `kanji(forGivenReading:)`.
    package static let reverseLimit = 20
    /// At most this many splits are returned by `splits(ofFullName:)`.
    package static let splitLimit = 5

    private let family: Table
    private let given: Table
    private let variants: KanjiVariants

    /// The number of family and given names in the file.
    package var counts: (family: Int, given: Int) { (family.nameCount, given.nameCount) }

    /// Reads `name-readings.tsv` and, for canonical spellings, `kanji-variants.tsv`, from the
    /// dictionaries folder.
    /// - Throws: `IndexError` (`.configuration`) naming the file and line of a malformed row.
    package static func load(from dictionaries: URL) throws(IndexError) -> NameReadings {
        try load(from: dictionaries, variants: KanjiVariants.load(from: dictionaries))
    }

    /// Reads `name-readings.tsv` from the dictionaries folder, with `variants` already loaded.
    /// - Throws: `IndexError` (`.configuration`) naming the file and line of a malformed row.
    package static func load(from dictionaries: URL, variants: KanjiVariants) throws(IndexError) -> NameReadings {
        let file = try TSVFile(fileName, in: dictionaries, columns: ["kind", "name", "readings", "weight"])
        var family = Table.Builder()
        var given = Table.Builder()
        try file.forEachRow { (line, fields) throws(IndexError) in
            let name = String(fields[1])
            guard !name.isEmpty else { throw file.error(line: line, "the name is empty") }
            guard let weight = Int(fields[3]), weight > 0 else {
                throw file.error(line: line, "weight must be a positive integer, found \"\(fields[3])\"")
            }
            let readings = TSVFile.fields(of: fields[2], separator: UInt8(ascii: "|")).map(String.init)
            guard !readings.contains(where: { $0.isEmpty || !Self.isKatakana($0) }) else {
                throw file.error(line: line, "readings must be katakana separated by |, found \"\(fields[2])\"")
            }
            let entry = Table.Entry(name: name, canonical: variants.canonical(name), readings: readings, weight: weight)
            switch fields[0] {
            case "family": family.add(entry)
            case "given": given.add(entry)
            default: throw file.error(line: line, "kind must be family or given, found \"\(fields[0])\"")
            }
        }
        return NameReadings(family: family.build(), given: given.build(), variants: variants)
    }

    private init(family: Table, given: Table, variants: KanjiVariants) {
        self.family = family
        self.given = given
        self.variants = variants
    }

    // MARK: Lookups

    /// The katakana readings of a family name, most common first; empty if unknown.
    package func readings(ofFamilyName name: String) -> [String] {
        family.readings(of: name, variants: variants)
    }

    /// The katakana readings of a given name, most common first; empty if unknown.
    package func readings(ofGivenName name: String) -> [String] {
        given.readings(of: name, variants: variants)
    }

    /// The family names (as written) that can be read `reading`, most common first, at most
    /// `reverseLimit`: `サトウ` → `佐藤`, `佐東`, ….
    package func kanji(forFamilyReading reading: String) -> [String] {
        family.names(read: Self.katakana(reading))
    }

    /// The given names (as written) that can be read `reading`, most common first, at most
    /// `reverseLimit`.
    package func kanji(forGivenReading reading: String) -> [String] {
        given.names(read: Self.katakana(reading))
    }

    /// The ways to split a full name typed without a space into family and given name: every
    /// split whose first part is a known family name (as written or canonical) or a known family
    /// reading (katakana), and whose second part is not empty. Most plausible first, at most
    /// `splitLimit`: splits whose second part is a known given name or reading come first, then
    /// by the family name's weight, then the longer family name.
    ///
    /// `山田太郎` → `(山田, 太郎)` first; `ヤマダタロウ` → `(ヤマダ, タロウ)` first; `佐藤` → none.
    /// Pass kana as katakana (hiragana is also understood) in the spelling of the dictionary:
    /// small kana as small kana (`ショウ`), not a phonetic key with them enlarged (`シヨウ`).
    package func splits(ofFullName text: String) -> [(family: String, given: String)] {
        let characters = Array(text)
        guard characters.count >= 2 else { return [] }
        var candidates: [(family: String, given: String, givenKnown: Bool, weight: Int)] = []
        for length in 1...min(characters.count - 1, family.longestKey) {
            let head = String(characters[..<length])
            let weight = max(family.weight(ofName: head, variants: variants), family.weight(ofReading: Self.katakana(head)))
            guard weight > 0 else { continue }
            let tail = String(characters[length...])
            let givenKnown =
                given.weight(ofName: tail, variants: variants) > 0 || given.weight(ofReading: Self.katakana(tail)) > 0
            candidates.append((head, tail, givenKnown, weight))
        }
        candidates.sort { a, b in
            if a.givenKnown != b.givenKnown { return a.givenKnown }
            if a.weight != b.weight { return a.weight > b.weight }
            return a.family.count > b.family.count
        }
        return candidates.prefix(Self.splitLimit).map { ($0.family, $0.given) }
    }

    // MARK: Helpers

    /// Hiragana (ぁ–ゖ, ゝゞ) as katakana; everything else unchanged.
    private static func katakana(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { (0x3041...0x309E).contains($0.value) }) else { return text }
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if (0x3041...0x3096).contains(scalar.value) || (0x309D...0x309E).contains(scalar.value),
                let shifted = Unicode.Scalar(scalar.value + 0x60)
            {
                scalars.append(shifted)
            } else {
                scalars.append(scalar)
            }
        }
        return String(scalars)
    }

    /// Whether `text` is all katakana (ァ–ヺ, ー, ヽヾ).
    private static func isKatakana(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { (0x30A1...0x30FE).contains($0.value) }
    }
}

/// The names of one kind (family or given) and their readings.
private struct Table: Sendable {
    /// Name (as written, and canonical) → readings, most common first.
    private let readingsByName: [String: [String]]
    /// Name (as written, and canonical) → weight (the highest of the spellings folded into it).
    private let weightByName: [String: Int]
    /// Reading → names as written, most common first, at most `NameReadings.reverseLimit`.
    private let namesByReading: [String: [String]]
    /// Reading → the weight of its most common name (a tenth of it when that name usually
    /// reads otherwise: `タカバシ` does not weigh as much as `タカハシ`).
    private let weightByReading: [String: Int]
    /// The longest name or reading, in characters: splits look no further.
    let longestKey: Int
    let nameCount: Int

    struct Entry {
        let name: String
        let canonical: String
        let readings: [String]
        let weight: Int
    }

    struct Builder {
        private var entries: [Entry] = []

        mutating func add(_ entry: Entry) { entries.append(entry) }

        func build() -> Table {
            // Heaviest first (stable), so that merged readings and reverse lists come out in order.
            let ordered = entries.enumerated().sorted { a, b in
                a.element.weight != b.element.weight ? a.element.weight > b.element.weight : a.offset < b.offset
            }.map(\.element)
            var readingsByName: [String: [String]] = [:]
            var weightByName: [String: Int] = [:]
            var readers: [String: [(name: String, weight: Int)]] = [:]
            var longest = 0
            readingsByName.reserveCapacity(entries.count * 2)
            weightByName.reserveCapacity(entries.count * 2)
            for entry in ordered {
                for key in entry.canonical == entry.name ? [entry.name] : [entry.name, entry.canonical] {
                    var readings = readingsByName[key] ?? []
                    for reading in entry.readings where !readings.contains(reading) { readings.append(reading) }
                    readingsByName[key] = readings
                    weightByName[key] = max(weightByName[key] ?? 0, entry.weight)
                }
                longest = max(longest, entry.name.count)
                for (index, reading) in entry.readings.enumerated() {
                    let weight = index == 0 ? entry.weight : max(1, entry.weight / 10)
                    readers[reading, default: []].append((entry.name, weight))
                    longest = max(longest, reading.count)
                }
            }
            var namesByReading: [String: [String]] = [:]
            var weightByReading: [String: Int] = [:]
            namesByReading.reserveCapacity(readers.count)
            weightByReading.reserveCapacity(readers.count)
            for (reading, list) in readers {
                // Stable: equal weights keep the heavier-name-first order of `ordered`.
                let sorted = list.enumerated().sorted { a, b in
                    a.element.weight != b.element.weight ? a.element.weight > b.element.weight : a.offset < b.offset
                }.map(\.element)
                var names: [String] = []
                for item in sorted where !names.contains(item.name) {
                    names.append(item.name)
                    if names.count == NameReadings.reverseLimit { break }
                }
                namesByReading[reading] = names
                weightByReading[reading] = sorted.first?.weight ?? 0
            }
            return Table(
                readingsByName: readingsByName, weightByName: weightByName, namesByReading: namesByReading,
                weightByReading: weightByReading, longestKey: longest, nameCount: entries.count)
        }
    }

    func readings(of name: String, variants: KanjiVariants) -> [String] {
        if let readings = readingsByName[name] { return readings }
        let canonical = variants.canonical(name)
        return canonical == name ? [] : readingsByName[canonical] ?? []
    }

    func weight(ofName name: String, variants: KanjiVariants) -> Int {
        if let weight = weightByName[name] { return weight }
        let canonical = variants.canonical(name)
        return canonical == name ? 0 : weightByName[canonical] ?? 0
    }

    func names(read reading: String) -> [String] {
        namesByReading[reading] ?? []
    }

    func weight(ofReading reading: String) -> Int {
        weightByReading[reading] ?? 0
    }
}
