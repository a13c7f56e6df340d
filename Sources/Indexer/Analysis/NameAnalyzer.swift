package import Foundation

/// Derives the search keys of names: the one place that turns what was written into what is
/// compared, used both when indexing records and when parsing queries.
package struct NameAnalyzer: Sendable {
    package let normalizer: NameNormalizer
    package let variants: KanjiVariants
    package let readings: NameReadings
    package let foreignNames: ForeignNames

    package enum Kind: Sendable { case family, given, unknown }

    package init(normalizer: NameNormalizer, variants: KanjiVariants, readings: NameReadings, foreignNames: ForeignNames = .empty) {
        self.normalizer = normalizer
        self.variants = variants
        self.readings = readings
        self.foreignNames = foreignNames
    }

    /// Loads the dictionaries from `dictionaries/` and opens the ICU transforms.
    package init(dictionaries: URL) throws {
        let normalizer = try NameNormalizer()
        try self.init(
            normalizer: normalizer, variants: KanjiVariants.load(from: dictionaries),
            readings: NameReadings.load(from: dictionaries),
            foreignNames: ForeignNames.load(from: dictionaries, normalizer: normalizer))
    }

    /// The keys of a name part and its reading (either may be missing).
    package func keys(name: String?, kana: String?, kind: Kind) -> NamePartKeys {
        let folded = normalizer.fold(name ?? "")
        let script = normalizer.script(of: folded)
        let canonical = expandIterationMarks(variants.canonical(folded))
        var readings: [String] = []
        var guessed = false
        var guess = ReadingGuess.none
        // The kana as written (before the phonetic folds), for the transcription keys.
        var written: [String] = []
        var latinNames: [String] = []
        if let kana, case let key = normalizer.readingKey(kana), !key.isEmpty {
            readings.append(key)
            written.append(kana)
        }
        switch script {
        case .kana:
            readings.append(normalizer.readingKey(folded))
            written.append(folded)
        case .latin:
            // Every plausible reading: passports drop the apostrophe (KENICHI may be ケンイチ).
            readings += normalizer.kanaCandidates(fromRomaji: folded).map(normalizer.readingKey)
            if let spelling = normalizer.latinSpelling(folded) { latinNames = foreignNames.keys(ofLatin: spelling) }
        case .kanji, .mixed:
            if readings.isEmpty {
                let guesses = self.readings.guesses(ofName: canonical, kind: kind)
                readings = guesses.readings.map(normalizer.readingKey)
                written = guesses.readings
                guessed = !readings.isEmpty
                guess = guessed ? guesses.source : .none
            }
        case .empty:
            break
        }
        readings = unique(readings.filter { !$0.isEmpty })
        var transcriptions: [String] = []
        for kana in written {
            let key = normalizer.transcriptionKey(kana)
            guard !key.isEmpty else { continue }
            transcriptions.append(key)
            transcriptions += foreignNames.keys(ofTranscription: key)
        }
        return NamePartKeys(
            folded: folded, canonical: canonical, readings: readings, readingsGuessed: guessed, readingGuess: guess,
            looseReadings: unique(readings.map(normalizer.looseKey)), script: script,
            transcriptions: unique(transcriptions + latinNames))
    }

    /// Replaces 々 (and 〻) by the kanji before it: 佐々木 → 佐佐木.
    private func expandIterationMarks(_ text: String) -> String {
        guard text.contains(where: { $0 == "々" || $0 == "〻" }) else { return text }
        var result = ""
        var previous: Character?
        for character in text {
            if character == "々" || character == "〻", let previous {
                result.append(previous)
            } else {
                result.append(character)
                previous = character
            }
        }
        return result
    }
}

/// The elements of `values` without repeats, in first-seen order. Repeats are strings equal
/// by `==` (Unicode canonical equivalence), as a `Set<String>` finds them.
///
/// Indexing a person calls this several times on short lists of kana, kanji and ASCII keys,
/// where hashing `String` (which normalizes each non-ASCII string to NFC as it hashes) cost
/// more than the rest of the work. When every string is already in NFC by construction (each
/// of its scalars is one that NFC leaves alone: see `NFCByteKey.isStable`), canonically
/// equivalent strings have the same bytes, so comparing UTF-8 bytes finds the same repeats.
package func unique(_ values: [String]) -> [String] {
    guard values.count > 1 else { return values }
    if values.allSatisfy(NFCByteKey.isStable) {
        var seen = Set<NFCByteKey>(minimumCapacity: values.count)
        return values.filter { seen.insert(NFCByteKey($0)).inserted }
    }
    var seen = Set<String>(minimumCapacity: values.count)
    return values.filter { seen.insert($0).inserted }
}

/// A string hashed and compared by its UTF-8 bytes, for strings in NFC (see `unique(_:)`).
struct NFCByteKey: Hashable {
    let string: String

    init(_ string: String) { self.string = string }

    /// Whether every scalar of `string` is one that NFC neither decomposes nor composes with
    /// its neighbours (NFC_Quick_Check = Yes and canonical combining class 0: ASCII, the kana
    /// and CJK unified ideograph blocks, ideographic space and punctuation), so that `string`
    /// is in NFC as it is.
    static func isStable(_ string: String) -> Bool {
        string.unicodeScalars.allSatisfy { scalar in
            switch scalar.value {
            case 0x00...0x7F, 0x3000...0x3029, 0x3041...0x3096, 0x309B...0x30FF, 0x3400...0x4DBF, 0x4E00...0x9FFF: true
            default: false
            }
        }
    }

    func hash(into hasher: inout Hasher) {
        var string = string
        string.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }

    static func == (lhs: NFCByteKey, rhs: NFCByteKey) -> Bool {
        lhs.string.utf8.count == rhs.string.utf8.count && lhs.string.utf8.elementsEqual(rhs.string.utf8)
    }
}
