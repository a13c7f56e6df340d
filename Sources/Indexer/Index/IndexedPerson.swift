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

    /// The FTS5 document of the person (set when built for indexing; empty when read back, see
    /// `derivedTerms`).
    package var terms = ""

    /// The keys the person is stored under in `person_keys` (`LookupKeys.keys(of:)`), set
    /// when built for indexing (on the builder's core, not the index writer's); empty when read back.
    package var lookupKeys: [String] = []

    /// Every name part to compare a query part with.
    package var nameParts: [NamePartKeys] { [family, given].filter { !$0.isEmpty } + extraParts }
}

// MARK: Storage of the keys

/// The keys of a person's name parts in the compact form of `persons.keys` (a BLOB, index
/// migration 7), read back without parsing text. Per part one flags byte (bits 0–2 the
/// script, bits 3–4 how the readings were guessed, 0 for written ones; bit 5 the canonical
/// form equals the folded one; bit 6 the loose readings equal the strong ones), then each
/// string as its UTF-8 length (one byte, or 0xFF and two bytes) and bytes, each list as its
/// count and strings; bit 7 says a list of foreign-name transcription keys follows. The whole
/// value starts with the number of parts.
///
/// What derives terms or exact keys from stored keys (`IndexTerms`, `LookupKeys`, this
/// encoding) may change only with a migration that empties the index: a person's FTS5 terms
/// and exact keys are deleted by deriving them again from these bytes.
package enum CompactKeys {
    private static let guessShift: UInt8 = 3
    private static let canonicalIsFolded: UInt8 = 0x20
    private static let looseAreStrong: UInt8 = 0x40
    private static let hasTranscriptions: UInt8 = 0x80

    /// The bytes of `parts` (family, given, then the extra parts).
    package static func encode(_ parts: [NamePartKeys]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(64)
        bytes.append(UInt8(min(parts.count, 255)))
        func string(_ text: String) {
            let count = min(text.utf8.count, 0xFFFF)
            if count < 0xFF {
                bytes.append(UInt8(count))
            } else {
                bytes += [0xFF, UInt8(count >> 8), UInt8(count & 0xFF)]
            }
            bytes += text.utf8.prefix(count)
        }
        func list(_ items: [String]) {
            bytes.append(UInt8(min(items.count, 255)))
            for item in items.prefix(255) { string(item) }
        }
        for part in parts.prefix(255) {
            var flags = part.script.number
            if part.readingsGuessed { flags |= UInt8(max(part.readingGuess, .name).rawValue) << guessShift }
            if part.canonical == part.folded { flags |= canonicalIsFolded }
            if part.looseReadings == part.readings { flags |= looseAreStrong }
            if !part.transcriptions.isEmpty { flags |= hasTranscriptions }
            bytes.append(flags)
            string(part.folded)
            if flags & canonicalIsFolded == 0 { string(part.canonical) }
            list(part.readings)
            if flags & looseAreStrong == 0 { list(part.looseReadings) }
            if flags & hasTranscriptions != 0 { list(part.transcriptions) }
        }
        return bytes
    }

    /// The name parts of `bytes` as `encode` wrote them (whatever is malformed reads as empty).
    package static func decode(_ bytes: UnsafeRawBufferPointer) -> [NamePartKeys] {
        var offset = 0
        func byte() -> UInt8 {
            guard offset < bytes.count else { return 0 }
            defer { offset += 1 }
            return bytes[offset]
        }
        func string() -> String {
            var count = Int(byte())
            if count == 0xFF { count = Int(byte()) << 8 | Int(byte()) }
            let end = min(offset + count, bytes.count)
            defer { offset = end }
            return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[offset..<end]), as: UTF8.self)
        }
        func list() -> [String] {
            let count = Int(byte())
            return count == 0 ? [] : (0..<count).map { _ in string() }
        }
        let count = Int(byte())
        var parts: [NamePartKeys] = []
        parts.reserveCapacity(count)
        for _ in 0..<count {
            let flags = byte()
            let folded = string()
            let canonical = flags & canonicalIsFolded != 0 ? folded : string()
            let readings = list()
            let loose = flags & looseAreStrong != 0 ? readings : list()
            let transcriptions = flags & hasTranscriptions != 0 ? list() : []
            let guess = ReadingGuess(rawValue: Int((flags >> guessShift) & 0x03)) ?? .none
            parts.append(
                NamePartKeys(
                    folded: folded, canonical: canonical, readings: readings, readingsGuessed: guess != .none, readingGuess: guess,
                    looseReadings: loose, script: NameScript(number: flags & 0x07), transcriptions: transcriptions))
        }
        return parts
    }

    /// The name parts of `bytes` (see `decode(_:)`).
    package static func decode(_ bytes: [UInt8]) -> [NamePartKeys] {
        bytes.withUnsafeBytes { decode($0) }
    }
}

extension IndexedPerson {
    /// The compact keys of every name part, as `persons.keys` stores them (family and given
    /// always first, even if empty).
    var compactKeys: [UInt8] { CompactKeys.encode([family, given] + extraParts) }

    /// The person's FTS5 document derived again from its keys: what `terms` was when the
    /// person was built (deleting it from the contentless `person_terms` needs it).
    var derivedTerms: String { IndexTerms.document(for: self, partTerms: nameParts.map(IndexTerms.terms(of:))) }
}

extension NameScript {
    var number: UInt8 {
        switch self {
        case .empty: 0
        case .kanji: 1
        case .kana: 2
        case .latin: 3
        case .mixed: 4
        }
    }

    init(number: UInt8) {
        switch number {
        case 1: self = .kanji
        case 2: self = .kana
        case 3: self = .latin
        case 4: self = .mixed
        default: self = .empty
        }
    }
}
