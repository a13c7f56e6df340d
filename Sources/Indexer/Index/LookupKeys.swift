package import Store

/// The exact keys of the `person_keys` table: each person is stored under every key of its
/// name (below) paired with its birthdate as an integer, so that "this name, born on this
/// day" is one B-tree seek whatever the number of namesakes. Both sides — the keys stored for
/// a person and the keys a query looks up — are built here, so they cannot drift apart.
///
/// | prefix | key |
/// |---|---|
/// | `p` | a name part's canonical form (family, given, or an extra part: romaji, a dictionary split) |
/// | `r` | a name part's strong reading |
/// | `l` | a name part's loose reading, where it differs from every strong reading |
/// | `n` | the whole name: the canonical parts joined without a space, family first (`n山田太郎`) |
/// | `w` | the whole loose reading: the parts' loose readings joined (`wヤマダタロ`), each combination |
/// | `t` | a name part's transcription key, where it differs from every reading and loose reading |
/// | `u` | the whole transcription key: the parts' transcription keys joined, where not already a `w` key |
package enum LookupKeys {
    /// Whole-reading combinations kept per person or query order (guessed readings multiply).
    static let combinationLimit = 9

    /// A birthdate as the table stores it: `yyyymmdd`, with `00` for an unknown month or day,
    /// and 0 for no birthdate (2018-04-01 → 20180401, 2018-04 → 20180400, none → 0).
    package static func birth(_ date: PartialDate?) -> Int {
        guard let date else { return 0 }
        return date.year * 10_000 + (date.month ?? 0) * 100 + (date.day ?? 0)
    }

    /// The keys of one name part, as a query piece looks them up: its canonical form, its
    /// readings, and its loose readings under both `r` and `l` (a person stores a loose
    /// reading that equals a strong one only as `r`).
    package static func partKeys(of part: NamePartKeys) -> [String] {
        var keys: [String] = []
        if !part.canonical.isEmpty { keys.append("p" + part.canonical) }
        keys += part.readings.map { "r" + $0 }
        for loose in part.looseReadings { keys += ["r" + loose, "l" + loose] }
        // A person holds a transcription key as `r` or `l` when it is one of its readings.
        for key in part.transcriptions { keys += ["t" + key, "r" + key, "l" + key] }
        return unique(keys)
    }

    /// The whole-name keys of name parts taken in this order (a query's pieces, or a person's
    /// family and given names): the canonical forms joined, and each combination of loose
    /// readings joined.
    package static func wholeKeys(of parts: [NamePartKeys]) -> [String] {
        guard !parts.isEmpty else { return [] }
        var keys: [String] = []
        if parts.allSatisfy({ !$0.canonical.isEmpty }) { keys.append("n" + parts.map(\.canonical).joined()) }
        if parts.allSatisfy({ !$0.looseReadings.isEmpty }) {
            keys += combinations(parts.map(\.looseReadings)).map { "w" + $0 }
        }
        // A query looks a whole transcription up under both prefixes (see `keys(of:)`).
        if parts.allSatisfy({ !$0.transcriptions.isEmpty }) {
            keys += combinations(parts.map(\.transcriptions)).flatMap { ["u" + $0, "w" + $0] }
        }
        return unique(keys)
    }

    /// Every key a person is stored under (each paired with `birth(person.identity.birthdate)`).
    package static func keys(of person: IndexedPerson) -> [String] {
        var keys: [String] = []
        for part in person.nameParts {
            if !part.canonical.isEmpty { keys.append("p" + part.canonical) }
            keys += part.readings.map { "r" + $0 }
            keys += part.looseReadings.filter { !part.readings.contains($0) }.map { "l" + $0 }
            keys += part.transcriptions.filter { !part.readings.contains($0) && !part.looseReadings.contains($0) }.map { "t" + $0 }
        }
        let written = [person.family, person.given].filter { !$0.isEmpty }
        if written.count == 2 { keys += storedWholeKeys(of: written) }
        // Romaji parts, or a whole name split by the dictionary, make a whole name too.
        if person.extraParts.count >= 2 { keys += storedWholeKeys(of: person.extraParts) }
        return unique(keys)
    }

    /// The whole-name keys a person is stored under: `wholeKeys(of:)`, with each whole
    /// transcription only once: as `w` when it is a whole loose reading, else as `u`.
    private static func storedWholeKeys(of parts: [NamePartKeys]) -> [String] {
        var keys: [String] = []
        if parts.allSatisfy({ !$0.canonical.isEmpty }) { keys.append("n" + parts.map(\.canonical).joined()) }
        var loose: [String] = []
        if parts.allSatisfy({ !$0.looseReadings.isEmpty }) {
            loose = combinations(parts.map(\.looseReadings))
            keys += loose.map { "w" + $0 }
        }
        if parts.allSatisfy({ !$0.transcriptions.isEmpty }) {
            keys += combinations(parts.map(\.transcriptions)).filter { !loose.contains($0) }.map { "u" + $0 }
        }
        return keys
    }

    /// Each choice of one item per list, joined, at most `combinationLimit` (first items first).
    static func combinations(_ lists: [[String]]) -> [String] {
        var result = [""]
        for list in lists {
            var next: [String] = []
            for prefix in result {
                for item in list where next.count < combinationLimit { next.append(prefix + item) }
            }
            result = next
        }
        return result
    }
}

/// One exact-key lookup of `SearchIndex.persons(matching:limitEach:budget:)`: a key of
/// `LookupKeys` and the birth values to seek (`LookupKeys.birth`), or a range of them.
package struct KeyLookup: Sendable, Hashable {
    package enum Births: Sendable, Hashable {
        /// One seek per value.
        case values([Int])
        /// One range scan, newest birth first.
        case range(ClosedRange<Int>)
    }

    package var key: String
    package var births: Births
    /// Rows read at most for this lookup, below the search's own bound (for the weakest ones).
    package var limit: Int?

    package init(key: String, births: Births, limit: Int? = nil) {
        self.key = key
        self.births = births
        self.limit = limit
    }
}
