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

/// The elements of `values` without repeats, in first-seen order.
package func unique(_ values: [String]) -> [String] {
    var seen = Set<String>()
    return values.filter { seen.insert($0).inserted }
}
