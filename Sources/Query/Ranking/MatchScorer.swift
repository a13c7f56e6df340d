import Indexer
import Store

/// Compares a parsed query with one indexed person: a score, a grade and the reasons.
struct MatchScorer {
    let analyzer: NameAnalyzer
    /// Today in Japan, to tell a child's birthdate from an adult's.
    var today = RecordValidator.todayInJapan()

    struct Outcome {
        var score: Double
        var grade: MatchGrade
        var why: [MatchReason]
    }

    /// How well one query piece matches one name part (0 = not at all), and why.
    struct PartMatch {
        var strength: Double
        var why: MatchReason

        static let exact = 1.0
        static let variant = 0.95
        static let reading = 0.85
        static let romajiReading = 0.8
        static let guessedReading = 0.75
        static let differentKanji = 0.6
        static let looseReading = 0.6
        /// Another transcription of a foreign name (`NGUYEN`, `グエン`, `ニュエン`): fair, as a loose
        /// reading is, so at most a likely hit, and only with a birthdate that fits.
        static let transcription = 0.6
        /// The same guessed reading under different kanji, neither reading written (健 and 見,
        /// both guessed ケン): two guesses agreeing is not enough for a likely hit.
        static let guessedReadingWithDifferentKanji = 0.5
        /// A reading typed for a name in kanji only that reads as its kanji one by one
        /// (`NameReadings.composition`): below a loose reading, so never more than a `possible`
        /// hit, but a match, not an unverifiable piece.
        static let composedReading = 0.55
        static let weakVariant = 0.45
        static let prefix = 0.35
        static let contained = 0.25
        /// A reading typed for a name recorded in kanji only, whose reading the name dictionary
        /// does not know (寿一 read ひさかず): neither a match nor a mismatch.
        static let unverifiable = 0.01
    }

    func match(_ piece: SearchQuery.Name, _ part: NamePartKeys) -> PartMatch? {
        let query = piece.keys
        guard !part.isEmpty, !query.isEmpty else { return nil }
        if !query.folded.isEmpty, query.folded == part.folded {
            return PartMatch(strength: PartMatch.exact, why: .name(part.folded))
        }
        if !query.canonical.isEmpty, query.canonical == part.canonical {
            var changes: [MatchReason.Substitution] = []
            for change in analyzer.variants.substitutions(from: query.folded) + analyzer.variants.substitutions(from: part.folded) {
                let substitution = MatchReason.Substitution(variant: change.variant, canonical: change.canonical)
                if !changes.contains(substitution) { changes.append(substitution) }
            }
            return PartMatch(strength: PartMatch.variant, why: .variantName(part.canonical, changes: changes))
        }
        if let reading = query.readings.first(where: part.readings.contains) {
            let guessed = query.readingsGuessed || part.readingsGuessed
            // The same reading under different kanji (斉藤/齋藤, 佐藤/佐東) is a weaker match:
            // the written names disagree.
            if query.script.hasKanji, part.script.hasKanji, query.canonical != part.canonical {
                let why: MatchReason =
                    if let kanji = weakVariantMatch(query.canonical, part.canonical) {
                        .readingWithSimilarKanji(reading: reading, kanji: kanji)
                    } else {
                        .readingWithDifferentKanji(reading: reading, recorded: part.folded)
                    }
                let bothGuessed = query.readingsGuessed && part.readingsGuessed
                return PartMatch(strength: bothGuessed ? PartMatch.guessedReadingWithDifferentKanji : PartMatch.differentKanji, why: why)
            }
            return PartMatch(
                strength: guessed ? PartMatch.guessedReading : PartMatch.reading,
                why: guessed ? .guessedReading(reading) : .reading(reading))
        }
        if query.script == .kanji || query.script == .mixed, let weak = weakVariantMatch(query.canonical, part.canonical) {
            return PartMatch(strength: PartMatch.weakVariant, why: .similarKanji(weak))
        }
        if let loose = query.looseReadings.first(where: part.looseReadings.contains) {
            let written = part.readings.first ?? loose
            // Romaji as passports write it does not mark long vowels (TARO = タロウ).
            if query.script == .latin {
                return PartMatch(strength: PartMatch.romajiReading, why: .romajiReading(reading: written, romaji: query.folded))
            }
            return PartMatch(strength: PartMatch.looseReading, why: .longVowelReading(query: query.readings.first ?? loose, recorded: written))
        }
        if query.transcriptions.contains(where: part.transcriptions.contains) {
            let recorded = part.script == .kana || part.script == .latin ? part.folded : part.readings.first ?? part.folded
            return PartMatch(strength: PartMatch.transcription, why: .transcription(query: query.folded, recorded: recorded))
        }
        if query.script == .kana || query.script == .latin, !query.readings.isEmpty, part.script == .kanji,
            part.readingsGuessed || part.readings.isEmpty,
            let composed = analyzer.readings.composition(of: part.canonical, readingKeys: query.readings, looseKeys: query.looseReadings)
        {
            let kanji = zip(part.canonical, composed.forms).map { MatchReason.ComposedKanji(kanji: $0, reading: $1) }
            return PartMatch(strength: PartMatch.composedReading, why: .composedReading(reading: composed.reading, kanji: kanji))
        }
        if query.canonical.count < part.canonical.count, !query.canonical.isEmpty, part.canonical.hasPrefix(query.canonical) {
            return PartMatch(strength: PartMatch.prefix, why: .nameStartsWith(query.canonical))
        }
        for reading in query.readings where !reading.isEmpty {
            if let full = part.readings.first(where: { $0.count > reading.count && $0.hasPrefix(reading) }) {
                return PartMatch(strength: PartMatch.prefix, why: .readingStartsWith(reading: full, prefix: reading))
            }
        }
        if query.canonical.count < part.canonical.count, !query.canonical.isEmpty, part.canonical.contains(query.canonical) {
            return PartMatch(strength: PartMatch.contained, why: .nameContains(query.canonical))
        }
        if query.script == .kana || query.script == .latin, !query.readings.isEmpty, part.script.hasKanji,
            part.readingsGuessed || part.readings.isEmpty
        {
            return PartMatch(strength: PartMatch.unverifiable, why: .readingNotRecorded(part.folded))
        }
        return nil
    }

    /// The differing characters (`斉≈斎`) if the two names differ only in characters the variant
    /// table calls weak partners.
    private func weakVariantMatch(_ query: String, _ name: String) -> [MatchReason.KanjiPair]? {
        let a = Array(query)
        let b = Array(name)
        guard a.count == b.count, a != b else { return nil }
        var pairs: [MatchReason.KanjiPair] = []
        for (x, y) in zip(a, b) where x != y {
            guard analyzer.variants.weakAlternatives(of: x).contains(y) else { return nil }
            pairs.append(MatchReason.KanjiPair(query: x, recorded: y))
        }
        return pairs
    }

    /// The best assignment of query pieces to the person's name parts (either order).
    func nameMatch(_ pieces: [SearchQuery.Name], _ person: IndexedPerson) -> (strength: Double, matched: [Double], why: [MatchReason]) {
        let parts = person.nameParts
        guard !pieces.isEmpty, !parts.isEmpty else { return (0, [], []) }
        // The typed name as one piece against family+given as one (山田太郎 = 山田 太郎).
        if pieces.count == 1, !person.family.canonical.isEmpty, !person.given.canonical.isEmpty {
            let whole = pieces[0].keys
            if whole.canonical == person.family.canonical + person.given.canonical {
                return (1, [1, 1], [.fullName(family: person.family.canonical, given: person.given.canonical)])
            }
            if let family = person.family.readings.first, let given = person.given.readings.first,
                whole.readings.contains(family + given)
            {
                return (0.85, [0.85, 0.85], [.fullNameReading(family: family, given: given)])
            }
        }
        var best: (strength: Double, matched: [Double], why: [MatchReason]) = (0, [], [])
        for order in assignments(pieces.count, parts.count) {
            var total = 0.0
            var matched: [Double] = []
            var why: [MatchReason] = []
            for (piece, partIndex) in zip(pieces, order) {
                let found = match(piece, parts[partIndex])
                matched.append(found?.strength ?? 0)
                total += found?.strength ?? 0
                if let found { why.append(found.why) }
            }
            var strength = total / Double(pieces.count)
            // Typed in the record's order (family first) wins a tie with the swapped order.
            if order.first != 0 { strength -= 0.01 }
            if strength > best.strength { best = (strength, matched, why) }
        }
        return best
    }

    /// Injective maps of `pieces` query pieces onto `parts` name parts.
    private func assignments(_ pieces: Int, _ parts: Int) -> [[Int]] {
        var result: [[Int]] = []
        func extend(_ prefix: [Int]) {
            if prefix.count == pieces || prefix.count == parts {
                result.append(prefix)
                return
            }
            for part in 0..<parts where !prefix.contains(part) { extend(prefix + [part]) }
        }
        extend([])
        return result
    }

    /// How a record's birthdate agrees with the query's. `consistent`: the query gives less
    /// (2018-04 and 2018-04-01); `partialInRecord`: the record holds less than the query gives
    /// (2018-04-01 asked, 2018-04 recorded), which cannot confirm the person.
    enum DateAgreement { case none, unknownInRecord, exact, consistent, partialInRecord, differs }

    func dateAgreement(_ query: PartialDate?, _ record: PartialDate?) -> (DateAgreement, MatchReason?) {
        guard let query else { return (.none, nil) }
        guard let record else { return (.unknownInRecord, .birthdateNotRecorded) }
        let same =
            query.year == record.year
            && (query.month == nil || record.month == nil || query.month == record.month)
            && (query.day == nil || record.day == nil || query.day == record.day)
        guard same else { return (.differs, .birthdateDiffers(recorded: record)) }
        if query.day != nil, record.day != nil { return (.exact, .birthdate(record)) }
        let lessInRecord = (record.month == nil && query.month != nil) || (record.day == nil && query.day != nil)
        return (lessInRecord ? .partialInRecord : .consistent, .birthdateFits(recorded: record, query: query))
    }

    func score(_ query: SearchQuery, _ person: IndexedPerson) -> Outcome? {
        let name = nameMatch(query.names, person)
        guard name.strength > 0 else { return nil }
        var why = name.why
        var score = name.strength * 60
        let (date, dateWhy) = dateAgreement(query.birthdate, person.identity.birthdate)
        // A differing whole birthdate counts only as a plausible slip of the query's.
        var slip: DateSlip?
        if date == .differs, let asked = query.birthdate, let recorded = person.identity.birthdate {
            slip = DateSlip.kind(of: recorded, from: asked)
            if let slip { why.append(.birthdateSlip(recorded: recorded, slip: slip)) }
        } else if let dateWhy {
            why.append(dateWhy)
        }
        switch date {
        case .none, .unknownInRecord: break
        case .exact: score += 30
        case .consistent, .partialInRecord: score += 18
        case .differs: score -= 40
        }
        if let range = query.birthdateRange {
            guard let birthdate = person.identity.birthdate else { return nil }
            guard range.contains(birthdate) else { return nil }
            why.append(.birthdateInRange(birthdate))
        }
        if let sex = query.sex, let recorded = person.identity.sex, recorded != .unknown {
            if sex == recorded {
                score += 4
            } else {
                score -= 20
                why.append(.sexDiffers)
            }
        }
        if query.wantsGuardian { score += person.role == .guardian ? 4 : -4 }
        // A birthdate in the query says whether a child or an adult is sought: among records
        // that cannot confirm it (birthdate not recorded), prefer people of that kind.
        if date == .unknownInRecord, let birthdate = query.birthdate {
            let minor = today.year - birthdate.year < 18
            if minor == (person.role != .guardian) { score += 2 }
        }

        // A name typed as one piece that matched family and given counts as two pieces.
        let pieces = max(query.names.count, name.matched.count)
        let allStrong = name.matched.count == pieces && name.matched.allSatisfy { $0 >= PartMatch.guessedReading }
        let allFair = name.matched.count == pieces && name.matched.allSatisfy { $0 >= PartMatch.looseReading }
        let best = name.matched.max() ?? 0
        let grade: MatchGrade
        if pieces >= 2, allStrong, date == .exact {
            grade = .exact
        } else if pieces >= 2, allFair, date == .exact || date == .consistent || (allStrong && date == .none) {
            grade = .likely
        } else if pieces == 1, best >= PartMatch.guessedReading, date == .exact {
            grade = .likely
        } else {
            grade = .possible
        }
        // Weak evidence is not a hit: a partial or loose name needs a fitting birthdate; every
        // piece of a name must match something (山田 花子 is not 山田 太郎 born the same day).
        let dateFits = date == .exact || date == .consistent || date == .partialInRecord
        let everyPieceMatched = name.matched.count == pieces && name.matched.allSatisfy { $0 > 0 }
        guard best >= PartMatch.looseReading || (dateFits && best >= PartMatch.contained) else { return nil }
        guard everyPieceMatched || (pieces == 1 && dateFits) else { return nil }
        // A piece that could not be checked (a reading against a name in kanji only) needs
        // the whole birthdate, and every other piece agreeing.
        let unverified = name.matched.filter { $0 < PartMatch.contained }.count
        if unverified > 0 {
            let othersAgree = name.matched.allSatisfy { $0 < PartMatch.contained || $0 >= PartMatch.looseReading }
            guard date == .exact, unverified < pieces, othersAgree else { return nil }
        }
        // A record without a birthdate cannot confirm a single name: it counts only for a
        // person of the age the query's birthdate gives (a child's, or an adult's).
        if date == .unknownInRecord, pieces == 1, let birthdate = query.birthdate {
            let minor = today.year - birthdate.year < 18
            guard minor ? person.role != .guardian : person.role != .child else { return nil }
        }
        // A differing birthdate counts only as a plausible slip of the query's, for a whole
        // name that agrees. Any other namesake is not the person.
        if date == .differs, slip == nil || pieces < 2 || !allFair { return nil }
        return Outcome(score: score, grade: grade, why: why)
    }
}

extension NameScript {
    var hasKanji: Bool { self == .kanji || self == .mixed }
}
