package import Store

/// The FTS5 terms of an indexed person, and of the corresponding query pieces. Both sides
/// are built here so that they cannot drift apart.
package enum IndexTerms {
    /// A term: an ASCII prefix naming its kind and a payload with every ASCII character that
    /// the `ascii` tokenizer would split on removed.
    package static func term(_ prefix: String, _ payload: String) -> String? {
        func kept(_ byte: UInt8) -> Bool {
            byte >= 0x80 || (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
        }
        if payload.utf8.allSatisfy(kept) { return payload.isEmpty ? nil : prefix + payload }
        let cleaned = String(decoding: payload.utf8.filter(kept), as: UTF8.self)
        return cleaned.isEmpty ? nil : prefix + cleaned
    }

    /// Terms of one name part: canonical form, grams, readings, reading prefixes.
    package static func terms(of part: NamePartKeys) -> [String] {
        var terms: [String] = []
        if let canonical = term("kf", part.canonical) { terms.append(canonical) }
        if part.script == .kanji || part.script == .kana || part.script == .mixed {
            // A gram equal to the whole part would repeat `kf`.
            terms += grams(part.canonical).filter { $0 != part.canonical }.compactMap { term("kg", $0) }
        }
        for reading in part.readings {
            terms += [term("rf", reading)].compactMap { $0 }
            terms += readingPrefixes(reading).compactMap { term("rp", $0) }
        }
        // A loose reading equal to a strong one is already there as `rf` (queries look for
        // their loose key under both prefixes).
        terms += part.looseReadings.filter { !part.readings.contains($0) }.compactMap { term("rl", $0) }
        return terms
    }

    /// Unigrams and bigrams inside one name part (never across family and given).
    package static func grams(_ text: String) -> [String] {
        let characters = Array(text)
        guard characters.count > 1 else { return [] }
        var grams = characters.map { String($0) }
        for index in 0..<(characters.count - 1) { grams.append(String(characters[index...index + 1])) }
        return grams
    }

    /// The first one and two characters of a reading, for partial kana queries.
    package static func readingPrefixes(_ reading: String) -> [String] {
        let characters = Array(reading)
        return [1, 2].filter { $0 < characters.count }.map { String(characters.prefix($0)) }
    }

    /// Birthdate terms: `by2018`, `bm201804`, `bd20180401`, or `bu` when unknown; a partial
    /// date also says how precise it is (`bq1` year only, `bq2` year and month), so a search
    /// can ask for exactly the records whose partial birthdate fits a full one.
    package static func dateTerms(_ date: PartialDate?) -> [String] {
        guard let date else { return ["bu"] }
        var terms = ["by\(date.year)"]
        guard let month = date.month else { return terms + ["bq1"] }
        terms.append(monthTerm(date.year, month))
        guard let day = date.day else { return terms + ["bq2"] }
        terms.append("bd\(date.year)\(month < 10 ? "0" : "")\(month)\(day < 10 ? "0" : "")\(day)")
        return terms
    }

    package static func monthTerm(_ year: Int, _ month: Int) -> String { "bm\(year)\(month < 10 ? "0" : "")\(month)" }

    static func sexTerm(_ sex: Sex?) -> String {
        switch sex {
        case .male: "sxm"
        case .female: "sxf"
        default: "sxu"
        }
    }

    /// All terms of a person, space-separated: its document in `person_terms`.
    /// - Parameter partTerms: the terms of each of `person.nameParts`, in order (see `terms(of:)`).
    static func document(for person: IndexedPerson, partTerms: [[String]]) -> String {
        var terms = partTerms.flatMap { $0 }
        if !person.family.canonical.isEmpty, !person.given.canonical.isEmpty,
            let whole = term("kw", person.family.canonical + person.given.canonical)
        {
            terms.append(whole)
        }
        if let family = person.family.readings.first, let given = person.given.readings.first,
            let whole = term("rw", family + given)
        {
            terms.append(whole)
        }
        terms += dateTerms(person.identity.birthdate)
        terms.append(sexTerm(person.identity.sex))
        return unique(terms).joined(separator: " ")
    }
}
