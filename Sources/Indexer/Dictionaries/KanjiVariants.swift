package import Foundation

/// Variant kanji (異体字) for name matching, from `dictionaries/kanji-variants.tsv`.
///
/// Two strengths (see `dictionaries/README.md`, "kanji-variants.tsv"):
/// - **same**: old/new forms and 異体字 of one character (`齋` → `斎`, `髙` → `高`, `邉` → `辺`):
///   `canonical(_:)` replaces them, so that the spellings compare equal;
/// - **weak**: different characters that are commonly confused in names (`斎`/`斉`, `竜`/`龍`):
///   never folded, only offered by `weakAlternatives(of:)` for low-ranked candidates.
///
/// The table assumes NFKC-normalised text: CJK compatibility ideographs that NFKC maps to a
/// unified ideograph (U+FA4F `祐` → `祐`) are not listed. Besides the table, `canonical(_:)`
/// drops variation selectors after an ideograph (`辻󠄀` = `辻` U+E0100 → `辻`, `葛󠄀` → `葛`): they
/// only choose a glyph.
package struct KanjiVariants: Sendable {
    /// The file this type reads, in the dictionaries folder.
    package static let fileName = "kanji-variants.tsv"

    /// Variant → canonical, for the `same` rows. No canonical is itself a key.
    private let canonicals: [Character: Character]
    /// Canonical → its weak partners (both directions), in file order.
    private let weakPartners: [Character: [Character]]

    /// The number of `same` variants and of `weak` pairs.
    package var counts: (same: Int, weak: Int) {
        (canonicals.count, weakPartners.values.reduce(0) { $0 + $1.count } / 2)
    }

    /// Reads `kanji-variants.tsv` from the dictionaries folder.
    /// - Throws: `IndexError` (`.configuration`) naming the file and line of a malformed row, a
    ///   variant listed twice, or a canonical character that is also a variant.
    package static func load(from dictionaries: URL) throws(IndexError) -> KanjiVariants {
        let file = try TSVFile(fileName, in: dictionaries, columns: ["variant", "canonical", "strength"])
        var canonicals: [Character: Character] = [:]
        var canonicalLines: [Character: Int] = [:]
        var weakPairs: [(Character, Character, line: Int)] = []
        try file.forEachRow { (line, fields) throws(IndexError) in
            guard let variant = Self.character(fields[0]), let canonical = Self.character(fields[1]) else {
                throw file.error(line: line, "variant and canonical must each be one character, found \"\(fields[0])\" and \"\(fields[1])\"")
            }
            guard variant != canonical else {
                throw file.error(line: line, "\(variant) is listed as a variant of itself")
            }
            switch fields[2] {
            case "same":
                if let earlier = canonicals[variant] {
                    throw file.error(line: line, "\(variant) already maps to \(earlier); a variant has exactly one canonical")
                }
                canonicals[variant] = canonical
                canonicalLines[canonical] = canonicalLines[canonical] ?? line
            case "weak":
                weakPairs.append((variant, canonical, line))
            default:
                throw file.error(line: line, "strength must be same or weak, found \"\(fields[2])\"")
            }
        }
        for (canonical, line) in canonicalLines.sorted(by: { $0.value < $1.value }) {
            if let further = canonicals[canonical] {
                throw file.error(line: line, "canonical \(canonical) is itself a variant of \(further); chains must be resolved in the file")
            }
        }
        var weakPartners: [Character: [Character]] = [:]
        for (a, b, line) in weakPairs {
            if canonicals[a] != nil || canonicals[b] != nil {
                throw file.error(line: line, "a weak pair must link canonical characters, but \(canonicals[a] != nil ? a : b) is a variant")
            }
            if weakPartners[a]?.contains(b) != true { weakPartners[a, default: []].append(b) }
            if weakPartners[b]?.contains(a) != true { weakPartners[b, default: []].append(a) }
        }
        return KanjiVariants(canonicals: canonicals, weakPartners: weakPartners)
    }

    private init(canonicals: [Character: Character], weakPartners: [Character: [Character]]) {
        self.canonicals = canonicals
        self.weakPartners = weakPartners
    }

    /// `text` with every `same` variant replaced by its canonical character (and variation
    /// selectors after ideographs dropped); everything else is left as it is. Idempotent.
    package func canonical(_ text: String) -> String {
        guard Self.mayContainKanji(text) else { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count)
        var changed = false
        for character in text {
            let mapped = canonical(character)
            changed = changed || mapped != character
            result.append(mapped)
        }
        return changed ? result : text
    }

    /// The canonical form of one character: itself unless it is a `same` variant (or an
    /// ideograph with a variation selector).
    package func canonical(_ character: Character) -> Character {
        let base = Self.droppingVariationSelectors(character)
        return canonicals[base] ?? base
    }

    /// The characters linked to `character` by a `weak` pair, after canonicalising it, in both
    /// directions: `斎` → `[斉]`, `斉` → `[斎]`, `齋` → `[斉]`. Empty for most characters.
    package func weakAlternatives(of character: Character) -> [Character] {
        weakPartners[canonical(character)] ?? []
    }

    /// What `canonical(_:)` changes in `text`, each change once, in order of appearance: for
    /// explanations such as `齋→斎`.
    package func substitutions(from text: String) -> [(variant: Character, canonical: Character)] {
        guard Self.mayContainKanji(text) else { return [] }
        var result: [(variant: Character, canonical: Character)] = []
        for character in text {
            let mapped = canonical(character)
            if mapped != character, !result.contains(where: { $0.variant == character }) {
                result.append((character, mapped))
            }
        }
        return result
    }

    // MARK: Helpers

    /// A fast rejection for text without any character at or above U+2E80 (the CJK radicals):
    /// ASCII, Latin and kana-free text needs no lookups.
    private static func mayContainKanji(_ text: String) -> Bool {
        text.utf8.contains { $0 >= 0xE2 }  // lead bytes of U+2000 and above
    }

    /// `character` without variation selectors (U+FE00–FE0F, U+E0100–E01EF) when it is an
    /// ideograph followed only by them; otherwise unchanged (emoji keep their U+FE0F).
    private static func droppingVariationSelectors(_ character: Character) -> Character {
        let scalars = character.unicodeScalars
        guard scalars.count > 1, let first = scalars.first, first.properties.isIdeographic,
            scalars.dropFirst().allSatisfy(isVariationSelector)
        else { return character }
        return Character(first)
    }

    private static func isVariationSelector(_ scalar: Unicode.Scalar) -> Bool {
        (0xFE00...0xFE0F).contains(scalar.value) || (0xE0100...0xE01EF).contains(scalar.value)
    }

    /// The field as a single character, or nil.
    private static func character(_ field: Substring) -> Character? {
        field.count == 1 ? field.first : nil
    }
}
