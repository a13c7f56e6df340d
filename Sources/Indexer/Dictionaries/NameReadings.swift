package import Foundation

/// How the readings of a name part written in kanji were obtained when the record or query gave
/// none: from most to least trustworthy, so that the ranking can tell a dictionary reading of
/// the name from a reading composed of its characters.
package enum ReadingGuess: Int, Sendable, Hashable, Comparable {
    /// The readings were written (or the name is in kana or romaji): nothing was guessed.
    case none = 0
    /// Readings of the name itself, as a name of its kind (a given name's readings as a given name).
    case name = 1
    /// Readings of the name as a name of the other kind (大和 as a given name, read as the family
    /// name ヤマト): weaker.
    case otherKind = 2
    /// Composed from the readings of each kanji (`kanji-readings.tsv`, name readings first): the
    /// weakest guess.
    case kanji = 3

    package static func < (a: ReadingGuess, b: ReadingGuess) -> Bool { a.rawValue < b.rawValue }
}

/// Readings of Japanese family and given names: kanji → katakana (a kana query finds a record
/// stored in kanji only), katakana → kanji (the other way), and splitting a full name typed
/// without a space.
///
/// The names come from three files of the same format: `name-readings.tsv` (mecab-ipadic, 2007)
/// and `modern-name-readings.tsv` (given names common among children born since about 2010),
/// merged per (kind, name), readings of the heavier row first; then, when `make setup` has made
/// it, `name-readings-skk.tsv` (SKK-JISYO.jinmei, read from the installed package because of its
/// licence) for the names of a kind that the first two lack only. `kanji-readings.tsv` (KANJIDIC2) gives per-character readings for the weakest
/// guesses (`guesses(ofName:kind:)`).
///
/// Names are looked up as written and, failing that, after `KanjiVariants.canonical(_:)`; every
/// name is also stored under its canonical spelling, readings merged (`齋藤` and `斎藤` both give
/// `サイトウ`). Callers normally pass the canonical form. Readings are katakana; hiragana passed
/// in is read as katakana.
package struct NameReadings: Sendable {
    /// The main file this type reads, in the dictionaries folder.
    package static let fileName = "name-readings.tsv"
    /// Modern given names, shipped with the project; required.
    package static let modernFileName = "modern-name-readings.tsv"
    /// Names from SKK-JISYO.jinmei, made by `make setup`; read when present.
    package static let skkFileName = "name-readings-skk.tsv"
    /// Per-kanji readings (KANJIDIC2); required.
    package static let kanjiFileName = "kanji-readings.tsv"
    /// At most this many names are returned by `kanji(forFamilyReading:)` and `kanji(forGivenReading:)`.
    package static let reverseLimit = 20
    /// At most this many splits are returned by `splits(ofFullName:)`.
    package static let splitLimit = 5
    /// At most this many readings are guessed for a name part from its own kind's dictionary.
    package static let nameGuessLimit = 3
    /// At most this many readings are guessed from the other kind's dictionary, or composed from kanji.
    package static let weakGuessLimit = 2
    /// Per kanji, at most this many of its readings (name readings first) take part in compositions.
    package static let readingsPerKanji = 3
    /// Compositions are made for names of at most this many kanji.
    package static let longestComposedName = 3
    /// Per kanji, at most this many forms (readings and their truncations, `compositionForms`)
    /// take part in the composition check, before the voiced forms of a kanji after the first.
    package static let formsPerKanji = 24
    /// Per kanji after the first, at most this many forms with the voiced ones (連濁: ハル → バル).
    package static let formsPerLaterKanji = 32

    private let family: Table
    private let given: Table
    private let variants: KanjiVariants
    /// Kanji → its first `readingsPerKanji` readings.
    private let kanjiReadings: [Character: [String]]
    /// Kanji → all its readings, each with where KANJIDIC2 lists it first.
    private let kanjiAllReadings: [Character: [KanjiReading]]

    /// One reading of a kanji in `kanji-readings.tsv`, and where KANJIDIC2 lists it first.
    package struct KanjiReading: Sendable, Hashable {
        package enum Kind: Sendable, Hashable {
            /// A name reading (`nanori`).
            case nanori
            /// A Japanese (kun) reading, without okurigana.
            case kun
            /// A Sino-Japanese (on) reading.
            case on
        }

        package var reading: String
        package var kind: Kind
    }

    /// The number of family and given names in the files (a name in several files counts once per file).
    package var counts: (family: Int, given: Int) { (family.nameCount, given.nameCount) }

    /// Reads the name and kanji reading files and, for canonical spellings, `kanji-variants.tsv`,
    /// from the dictionaries folder.
    /// - Throws: `IndexError` (`.configuration`) naming the file and line of a malformed row.
    package static func load(from dictionaries: URL) throws(IndexError) -> NameReadings {
        try load(from: dictionaries, variants: KanjiVariants.load(from: dictionaries))
    }

    /// Reads the name and kanji reading files from the dictionaries folder, with `variants`
    /// already loaded. `name-readings-skk.tsv` is skipped when absent.
    /// - Throws: `IndexError` (`.configuration`) naming the file and line of a malformed row.
    package static func load(from dictionaries: URL, variants: KanjiVariants) throws(IndexError) -> NameReadings {
        var family = Table.Builder()
        var given = Table.Builder()
        for name in [fileName, modernFileName] {
            try readNames(name, in: dictionaries, variants: variants, family: &family, given: &given)
        }
        if FileManager.default.fileExists(atPath: dictionaries.appendingPathComponent(skkFileName).path) {
            // Gaps only: more readings for a name the shipped files know would make its records
            // match other names read that way (誠 read ノブ or セイ), which costs precision.
            let known = (family: family.names, given: given.names)
            try readNames(skkFileName, in: dictionaries, variants: variants, family: &family, given: &given, skipping: known)
        }
        let kanji = try readKanji(in: dictionaries)
        return NameReadings(
            family: family.build(), given: given.build(), variants: variants,
            kanjiReadings: kanji.mapValues { Array($0.prefix(readingsPerKanji).map(\.reading)) }, kanjiAllReadings: kanji)
    }

    /// Adds the rows of one name-reading file to the builders, except names (as written or
    /// canonical) of a kind in `skipping`.
    private static func readNames(
        _ fileName: String, in dictionaries: URL, variants: KanjiVariants, family: inout Table.Builder, given: inout Table.Builder,
        skipping: (family: Set<String>, given: Set<String>) = ([], [])
    ) throws(IndexError) {
        let file = try TSVFile(fileName, in: dictionaries, columns: ["kind", "name", "readings", "weight"])
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
            case "family":
                if !skipping.family.contains(name) && !skipping.family.contains(entry.canonical) { family.add(entry) }
            case "given":
                if !skipping.given.contains(name) && !skipping.given.contains(entry.canonical) { given.add(entry) }
            default: throw file.error(line: line, "kind must be family or given, found \"\(fields[0])\"")
            }
        }
    }

    /// Reads `kanji-readings.tsv`: each kanji with all its readings and their kinds (`N`
    /// nanori, `K` kun, `O` on, one letter per reading).
    private static func readKanji(in dictionaries: URL) throws(IndexError) -> [Character: [KanjiReading]] {
        let file = try TSVFile(kanjiFileName, in: dictionaries, columns: ["kanji", "readings", "kinds"])
        var result: [Character: [KanjiReading]] = [:]
        result.reserveCapacity(13_000)
        try file.forEachRow { (line, fields) throws(IndexError) in
            guard fields[0].count == 1, let kanji = fields[0].first else {
                throw file.error(line: line, "kanji must be one character, found \"\(fields[0])\"")
            }
            let readings = TSVFile.fields(of: fields[1], separator: UInt8(ascii: "|")).map(String.init)
            guard !readings.isEmpty, !readings.contains(where: { $0.isEmpty || !Self.isKatakana($0) }) else {
                throw file.error(line: line, "readings must be katakana separated by |, found \"\(fields[1])\"")
            }
            var kinds: [KanjiReading.Kind] = []
            for letter in fields[2].utf8 {
                switch letter {
                case UInt8(ascii: "N"): kinds.append(.nanori)
                case UInt8(ascii: "K"): kinds.append(.kun)
                case UInt8(ascii: "O"): kinds.append(.on)
                default: throw file.error(line: line, "kinds must be one of N, K, O per reading, found \"\(fields[2])\"")
                }
            }
            guard kinds.count == readings.count else {
                throw file.error(line: line, "kinds must have one letter per reading, found \"\(fields[2])\"")
            }
            result[kanji] = zip(readings, kinds).map { KanjiReading(reading: $0, kind: $1) }
        }
        return result
    }

    private init(
        family: Table, given: Table, variants: KanjiVariants, kanjiReadings: [Character: [String]],
        kanjiAllReadings: [Character: [KanjiReading]]
    ) {
        self.family = family
        self.given = given
        self.variants = variants
        self.kanjiReadings = kanjiReadings
        self.kanjiAllReadings = kanjiAllReadings
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

    /// The readings to guess for a name part written in kanji without a reading, most likely
    /// first, and how they were found. Tried in order, the first that gives any reading wins:
    /// the name's readings as a name of `kind` (both kinds, family first, for `.unknown`; at most
    /// `nameGuessLimit`), then as a name of the other kind (`.otherKind`, at most
    /// `weakGuessLimit`), then readings composed from its kanji (`.kanji`, at most
    /// `weakGuessLimit`). Empty with `.none` when nothing is known.
    package func guesses(ofName name: String, kind: NameAnalyzer.Kind) -> (readings: [String], source: ReadingGuess) {
        let own: [String] =
            switch kind {
            case .family: readings(ofFamilyName: name)
            case .given: readings(ofGivenName: name)
            case .unknown: unique(readings(ofFamilyName: name) + readings(ofGivenName: name))
            }
        if !own.isEmpty { return (Array(own.prefix(Self.nameGuessLimit)), .name) }
        let other: [String] =
            switch kind {
            case .family: readings(ofGivenName: name)
            case .given: readings(ofFamilyName: name)
            case .unknown: []
            }
        if !other.isEmpty { return (Array(other.prefix(Self.weakGuessLimit)), .otherKind) }
        let composed = composedReadings(of: variants.canonical(name))
        return composed.isEmpty ? ([], .none) : (composed, .kanji)
    }

    /// Readings of a name of one to `longestComposedName` kanji, composed from each kanji's first
    /// `readingsPerKanji` readings (KANJIDIC2's name readings first), at most `weakGuessLimit`:
    /// the compositions of the earliest readings first (by the sum of the positions, then in
    /// order). No sound changes (rendaku) are applied. Empty when any character has no reading.
    package func composedReadings(of name: String) -> [String] {
        let characters = Array(name)
        guard (1...Self.longestComposedName).contains(characters.count) else { return [] }
        var options: [[String]] = []
        for character in characters {
            guard let readings = kanjiReadings[character], !readings.isEmpty else { return [] }
            options.append(readings)
        }
        // Every choice of one reading per kanji, as index tuples (at most 3^3 = 27).
        var choices: [[Int]] = [[]]
        for list in options {
            choices = choices.flatMap { prefix in list.indices.map { prefix + [$0] } }
        }
        choices.sort { a, b in
            let (sumA, sumB) = (a.reduce(0, +), b.reduce(0, +))
            return sumA != sumB ? sumA < sumB : a.lexicographicallyPrecedes(b)
        }
        var result: [String] = []
        for choice in choices {
            let reading = zip(options, choice).map { $0.0[$0.1] }.joined()
            if !result.contains(reading) { result.append(reading) }
            if result.count == Self.weakGuessLimit { break }
        }
        return result
    }

    /// The forms the kanji `kanji` may take in a reading of a name of `count` kanji, at
    /// `position` (0-based), most trustworthy first: the rule of the composition check
    /// (`composition(of:readingKeys:looseKeys:)`), over KANJIDIC2's readings only.
    ///
    /// 1. Every reading of the kanji: nanori, kun, on, in the file's order.
    /// 2. In a name of two or three kanji, the first mora of each nanori or kun reading of two
    ///    morae or more, and its first two morae when it has three or more (心 ココロ → コ, ココ;
    ///    晴 ハル → ハ): the shortened readings modern names use.
    /// 3. In a name of two or three kanji, the last mora of each kun reading of three morae or
    ///    more (絆 キズナ → ナ).
    ///
    /// At most `formsPerKanji` of these; then, for a kanji after the first, its nanori and kun
    /// forms with the first kana voiced (連濁: 晴 ハル → バル), up to `formsPerLaterKanji` in all.
    /// A shortened form never starts with ン, ッ or ー, nor ends with ッ. Empty when the kanji
    /// has no reading.
    package func compositionForms(of kanji: Character, position: Int, count: Int) -> [String] {
        guard let readings = kanjiAllReadings[kanji], !readings.isEmpty else { return [] }
        // Each form, and whether it is a nanori or kun form (voiced after the first kanji).
        var forms: [(form: String, native: Bool)] = readings.map { ($0.reading, $0.kind != .on) }
        func add(_ morae: ArraySlice<String>, native: Bool) {
            let form = morae.joined()
            guard let first = form.first, let last = form.last, !"ンッー".contains(first), last != "ッ" else { return }
            if !forms.contains(where: { $0.form == form }) { forms.append((form, native)) }
        }
        if count >= 2 {
            let split = readings.map { (morae: Self.morae($0.reading), kind: $0.kind) }
            for (morae, kind) in split where kind != .on && morae.count >= 2 {
                add(morae.prefix(1), native: true)
                if morae.count >= 3 { add(morae.prefix(2), native: true) }
            }
            for (morae, kind) in split where kind == .kun && morae.count >= 3 { add(morae.suffix(1), native: true) }
        }
        var result = forms.prefix(Self.formsPerKanji)
        if position > 0 {
            for (form, native) in result where native {
                guard let first = form.first, let voiced = Self.voiced[first] else { continue }
                let changed = String(voiced) + form.dropFirst()
                if !result.contains(where: { $0.form == changed }) { result.append((changed, true)) }
                if result.count == Self.formsPerLaterKanji { break }
            }
        }
        return result.map(\.form)
    }

    /// A katakana reading cut into morae: a kana with the small vowel or y-kana after it
    /// (`キョ`, `ファ`), or one kana (`ン`, `ッ` and `ー` are morae of their own).
    static func morae(_ reading: String) -> [String] {
        var result: [String] = []
        for character in reading {
            if "ァィゥェォャュョヮ".contains(character), !result.isEmpty {
                result[result.count - 1].append(character)
            } else {
                result.append(String(character))
            }
        }
        return result
    }

    /// The voiced kana of an unvoiced one (カ → ガ, ハ → バ), for 連濁.
    private static let voiced: [Character: Character] = [
        "カ": "ガ", "キ": "ギ", "ク": "グ", "ケ": "ゲ", "コ": "ゴ", "サ": "ザ", "シ": "ジ", "ス": "ズ", "セ": "ゼ", "ソ": "ゾ",
        "タ": "ダ", "チ": "ヂ", "ツ": "ヅ", "テ": "デ", "ト": "ド", "ハ": "バ", "ヒ": "ビ", "フ": "ブ", "ヘ": "ベ", "ホ": "ボ",
    ]

    /// How a reading typed for a name written in kanji only reads as its kanji, one form per
    /// kanji (`compositionForms(of:position:count:)`): the reading that composed and each
    /// kanji's form, or nil. For names of one to `longestComposedName` kanji. `readingKeys`
    /// are strong reading keys (`NameNormalizer.readingKey(_:)`), tried first; `looseKeys` loose
    /// keys, compared with the forms' loose keys. Nothing is stored: the check runs when a
    /// query is compared with a record, so the forms bound only its work (at most
    /// `formsPerLaterKanji` per kanji), not the keys of any index.
    package func composition(of name: String, readingKeys: [String], looseKeys: [String]) -> (reading: String, forms: [String])? {
        let characters = Array(variants.canonical(name))
        guard (1...Self.longestComposedName).contains(characters.count) else { return nil }
        var options: [[(form: String, key: [Character])]] = []
        for (position, character) in characters.enumerated() {
            let forms = compositionForms(of: character, position: position, count: characters.count)
            guard !forms.isEmpty else { return nil }
            options.append(forms.map { ($0, Array(NameNormalizer.strongKey(ofFolded: $0))) })
        }
        for reading in readingKeys where !reading.isEmpty {
            if let forms = Self.split(Array(reading), into: options) { return (reading, forms) }
        }
        guard !looseKeys.isEmpty else { return nil }
        let loose = options.map { list in list.map { ($0.form, Array(NameNormalizer.looseKey(ofStrongKey: String($0.key)))) } }
        for reading in looseKeys where !reading.isEmpty {
            if let forms = Self.split(Array(reading), into: loose) { return (reading, forms) }
        }
        return nil
    }

    /// The forms, one of each list in order, whose keys make up `target` exactly (the first
    /// such choice, trying each list's forms in order), or nil.
    private static func split(_ target: [Character], into options: [[(form: String, key: [Character])]]) -> [String]? {
        func search(_ start: Int, _ index: Int) -> [String]? {
            guard index < options.count else { return start == target.count ? [] : nil }
            // Every later kanji needs at least one character.
            let room = target.count - start - (options.count - index - 1)
            for option in options[index] where !option.key.isEmpty && option.key.count <= room {
                guard target[start..<start + option.key.count].elementsEqual(option.key) else { continue }
                if let rest = search(start + option.key.count, index + 1) { return [option.form] + rest }
            }
            return nil
        }
        return search(0, 0)
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
        /// Every name added, as written and canonical.
        private(set) var names: Set<String> = []

        mutating func add(_ entry: Entry) {
            entries.append(entry)
            names.insert(entry.name)
            names.insert(entry.canonical)
        }

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
