package import Store

/// One piece of evidence for a search hit: what in the query agreed (or disagreed) with the
/// record.
///
/// A type rather than prose, so that each front end words it in its own language without
/// parsing the other's: `description` is the English the JSON API's `why` and
/// `mimamori search` print (a contract scripts read: change it only with the API), and the
/// web UI renders its own Japanese (`Reasons` in Web). Name and reading values are the
/// record's or the query's text as the scorer compared them.
package enum MatchReason: Sendable, Hashable, CustomStringConvertible {
    /// The query piece is the name part, once folded (width, case, iteration marks): `name 山田`.
    case name(String)
    /// A name typed as one piece is the record's family and given names together: `name 山田 太郎`.
    case fullName(family: String, given: String)
    /// The same name once variant kanji are made canonical: `name 斎藤 (齋→斎)`. `changes` is
    /// empty when canonicalisation changed nothing visible (then `name 斎藤`).
    case variantName(String, changes: [Substitution])
    /// The query's reading is the record's (given or from its kana): `reading ヤマダ`.
    case reading(String)
    /// The reading agrees, but one side's reading was guessed from kanji through the name
    /// dictionary: `reading ヤマダ (from the name dictionary)`.
    case guessedReading(String)
    /// A name typed as one piece reads as the record's family and given readings together:
    /// `reading ヤマダ タロウ`.
    case fullNameReading(family: String, given: String)
    /// The reading agrees but the kanji are only weak partners (斉 and 斎 are different names):
    /// `reading サイトウ; similar kanji 斉≈斎, a different character`.
    case readingWithSimilarKanji(reading: String, kanji: [KanjiPair])
    /// The reading agrees but the kanji are different names (佐藤, 佐東): `reading サトウ; kanji
    /// differ: 佐東`, with the record's name.
    case readingWithDifferentKanji(reading: String, recorded: String)
    /// No reading to compare, and the kanji are only weak partners: `similar kanji 斉≈斎 (a
    /// different character)`.
    case similarKanji([KanjiPair])
    /// Romaji as passports write it, without long vowels, is the record's reading:
    /// `reading タロウ = TARO`.
    case romajiReading(reading: String, romaji: String)
    /// The readings agree once long vowels are ignored: `reading オオノ ≈ オノ (long vowel)`,
    /// the query's reading first.
    case longVowelReading(query: String, recorded: String)
    /// Another transcription of a foreign name: the query piece and the record's name are the
    /// same name written in another script or another katakana spelling (`foreign-names.tsv`,
    /// or katakana that differ only in how a foreign sound is written):
    /// `NGUYEN ≈ ニュエン (another transcription of a foreign name)`, the query's text first.
    case transcription(query: String, recorded: String)
    /// The record's name begins with the query piece: `name starts with 山`.
    case nameStartsWith(String)
    /// The record's reading begins with the query's: `reading ヤマダタロウ starts with ヤマダ`.
    case readingStartsWith(reading: String, prefix: String)
    /// The record's name contains the query piece: `name contains 太`.
    case nameContains(String)
    /// A reading was typed for a name the record holds in kanji only, with no reading recorded
    /// and none in the name dictionary that agrees, and it reads as the name's kanji one by one
    /// (KANJIDIC2 readings, shortened as modern names shorten them): `reading コハル read from
    /// the kanji 心=コ 晴=ハル (no reading recorded)`. `kanji` pairs each kanji with its form.
    case composedReading(reading: String, kanji: [ComposedKanji])
    /// A reading was typed for a name the record holds in kanji only, with no reading recorded
    /// and none in the name dictionary that agrees: `name 寿一 (no reading recorded to compare)`.
    case readingNotRecorded(String)
    /// The whole birthdate agrees: `birthdate 2018-04-01`.
    case birthdate(PartialDate)
    /// The birthdates agree as far as the less precise one goes: `birthdate 2018-04-01 fits 2018-04`.
    case birthdateFits(recorded: PartialDate, query: PartialDate)
    /// The birthdates disagree: `birthdate differs (2018-04-02)`, with the record's.
    case birthdateDiffers(recorded: PartialDate)
    /// The birthdates differ by a plausible slip of the query's (a mistyped digit, day and month
    /// swapped, a neighbouring year, the same year of another era):
    /// `birthdate 2018-04-07 (one digit differs)`, with the record's.
    case birthdateSlip(recorded: PartialDate, slip: DateSlip)
    /// The query gives a birthdate, the record has none: `birthdate not recorded`.
    case birthdateNotRecorded
    /// The record's birthdate is in the range the query asked for: `birthdate 2018-04-01 in range`.
    case birthdateInRange(PartialDate)
    /// The query gives the other sex than the record: `sex differs`.
    case sexDiffers
    /// A guardian of the case matched the query's guardian, for this reason: `guardian name 山田`.
    indirect case guardian(MatchReason)

    /// A variant kanji and the canonical form the index compares: `齋→斎`.
    package struct Substitution: Sendable, Hashable, CustomStringConvertible {
        package var variant: Character
        package var canonical: Character

        package init(variant: Character, canonical: Character) {
            self.variant = variant
            self.canonical = canonical
        }

        package var description: String { "\(variant)→\(canonical)" }
    }

    /// A kanji of the record's name and the part of the typed reading it was read as: `心=コ`.
    package struct ComposedKanji: Sendable, Hashable, CustomStringConvertible {
        package var kanji: Character
        package var reading: String

        package init(kanji: Character, reading: String) {
            self.kanji = kanji
            self.reading = reading
        }

        package var description: String { "\(kanji)=\(reading)" }
    }

    /// A kanji of the query and the record's different kanji that only looks alike: `斉≈斎`.
    package struct KanjiPair: Sendable, Hashable, CustomStringConvertible {
        package var query: Character
        package var recorded: Character

        package init(query: Character, recorded: Character) {
            self.query = query
            self.recorded = recorded
        }

        package var description: String { "\(query)≈\(recorded)" }
    }

    /// The English of the JSON API and the CLI, exactly as scripts have read it.
    package var description: String {
        switch self {
        case .name(let name): "name \(name)"
        case .fullName(let family, let given): "name \(family) \(given)"
        case .variantName(let name, let changes):
            changes.isEmpty ? "name \(name)" : "name \(name) (\(changes.map(\.description).joined(separator: ", ")))"
        case .reading(let reading): "reading \(reading)"
        case .guessedReading(let reading): "reading \(reading) (from the name dictionary)"
        case .fullNameReading(let family, let given): "reading \(family) \(given)"
        case .readingWithSimilarKanji(let reading, let kanji):
            "reading \(reading); similar kanji \(kanji.map(\.description).joined(separator: ", ")), a different character"
        case .readingWithDifferentKanji(let reading, let recorded): "reading \(reading); kanji differ: \(recorded)"
        case .similarKanji(let kanji): "similar kanji \(kanji.map(\.description).joined(separator: ", ")) (a different character)"
        case .romajiReading(let reading, let romaji): "reading \(reading) = \(romaji)"
        case .longVowelReading(let query, let recorded): "reading \(query) ≈ \(recorded) (long vowel)"
        case .transcription(let query, let recorded): "\(query) ≈ \(recorded) (another transcription of a foreign name)"
        case .nameStartsWith(let prefix): "name starts with \(prefix)"
        case .readingStartsWith(let reading, let prefix): "reading \(reading) starts with \(prefix)"
        case .nameContains(let part): "name contains \(part)"
        case .composedReading(let reading, let kanji):
            "reading \(reading) read from the kanji \(kanji.map(\.description).joined(separator: " ")) (no reading recorded)"
        case .readingNotRecorded(let name): "name \(name) (no reading recorded to compare)"
        case .birthdate(let date): "birthdate \(date.iso)"
        case .birthdateFits(let recorded, let query): "birthdate \(recorded.iso) fits \(query.iso)"
        case .birthdateDiffers(let recorded): "birthdate differs (\(recorded.iso))"
        case .birthdateSlip(let recorded, let slip): "birthdate \(recorded.iso) (\(slip.description))"
        case .birthdateNotRecorded: "birthdate not recorded"
        case .birthdateInRange(let date): "birthdate \(date.iso) in range"
        case .sexDiffers: "sex differs"
        case .guardian(let reason): "guardian \(reason.description)"
        }
    }
}
