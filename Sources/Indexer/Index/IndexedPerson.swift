package import Store

/// A person as the index holds it: the identity summary any authority may see, and the
/// derived keys the ranking compares.
package struct IndexedPerson: Sendable, Hashable {
    package var caseID: String
    package var ordinal: Int
    package var role: PersonRole
    package var relation: String?
    package var prefectureCode: String
    package var holder: String
    /// The municipality of the child's address, for the access policy's partner relation.
    package var addressMunicipality: String?
    package var externalID: String
    package var status: CaseStatus
    package var identity: PersonIdentity
    package var family: NamePartKeys
    package var given: NamePartKeys
    /// Extra name parts: Latin spellings from the romaji field, or a whole name split by the dictionary.
    package var extraParts: [NamePartKeys]

    /// The FTS5 document of the person (set when built for indexing; empty when read back).
    package var terms = ""

    /// Every name part to compare a query part with.
    package var nameParts: [NamePartKeys] { [family, given].filter { !$0.isEmpty } + extraParts }
}

// MARK: Storage of the keys

extension NamePartKeys {
    private static let field: Character = "\u{1F}"
    private static let item: Character = "|"

    var serialized: String {
        [
            folded, canonical, readings.joined(separator: "|"), readingsGuessed ? String(max(readingGuess, .name).rawValue) : "0",
            looseReadings.joined(separator: "|"), script.code, transcriptions.joined(separator: "|"),
        ].joined(separator: String(Self.field))
    }

    init(serialized text: Substring) {
        let fields = text.split(separator: Self.field, omittingEmptySubsequences: false)
        func list(_ index: Int) -> [String] {
            index < fields.count ? fields[index].split(separator: Self.item).map(String.init) : []
        }
        self.init(
            folded: fields.count > 0 ? String(fields[0]) : "", canonical: fields.count > 1 ? String(fields[1]) : "",
            readings: list(2), readingsGuessed: fields.count > 3 && fields[3] != "0" && !fields[3].isEmpty,
            readingGuess: fields.count > 3 ? Int(fields[3]).flatMap(ReadingGuess.init(rawValue:)) ?? .none : .none, looseReadings: list(4),
            script: fields.count > 5 ? NameScript(code: fields[5]) : .empty, transcriptions: list(6))
    }
}

extension IndexedPerson {
    private static let partSeparator: Character = "\u{1E}"

    var serializedKeys: String {
        ([family, given] + extraParts).map(\.serialized).joined(separator: String(Self.partSeparator))
    }

    /// The name parts of a stored `keys` value (family, given, then the extra parts).
    package static func parts(fromSerialized text: String) -> [NamePartKeys] {
        text.split(separator: partSeparator, omittingEmptySubsequences: false).map(NamePartKeys.init(serialized:))
    }
}

extension NameScript {
    var code: String {
        switch self {
        case .kanji: "k"
        case .kana: "a"
        case .latin: "l"
        case .mixed: "m"
        case .empty: "e"
        }
    }

    init(code: Substring) {
        switch code {
        case "k": self = .kanji
        case "a": self = .kana
        case "l": self = .latin
        case "m": self = .mixed
        default: self = .empty
        }
    }
}
