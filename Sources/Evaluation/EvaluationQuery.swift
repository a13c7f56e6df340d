/// A query with its ground truth: the case and role of the person it must find.
package struct EvaluationQuery: Sendable, Hashable {
    package enum VariationClass: String, Sendable, Hashable, CaseIterable {
        /// Name only, no birthdate. With more than ten namesakes nationally the true record
        /// cannot be told apart by name alone, so a namesake (the same name, which is all the
        /// query says) ranked above it does not count against it: its rank is the number of
        /// other people above it, in a page of 100 (`SearchEvaluation.run`).
        case nameOnly = "name only (namesakes count)"
        case exactKanjiBirthdate = "exact kanji + birthdate"
        case noSpace = "no space"
        case fullWidthSpace = "full-width space"
        case hiragana
        case katakana
        case halfWidthKatakana = "half-width katakana"
        case romajiHepburn = "romaji (Hepburn, lower case)"
        case romajiPassport = "romaji (passport, capitals)"
        case variantInQuery = "variant kanji in the query"
        case variantInRecord = "variant kanji in the record"
        case familyBirthdate = "family + birthdate"
        case givenBirthdate = "given + birthdate"
        case partialBirthdate = "partial given + birthdate"
        case dateSlashes = "date 2018/4/1"
        case dateCompact = "date 20180401"
        case dateWarekiLetters = "date H30.4.1"
        case dateWarekiKanji = "date 平成30年4月1日"
        case dateFullWidth = "date full-width digits"
        case dateYearMonth = "date year-month"
        case swappedOrder = "swapped order"
        case longVowel = "long-vowel variant"
        case guardian = "guardian name"
        case kanaOnlyRecord = "kana-only record"
        case kanjiOnlyRecord = "kanji-only record"
        case foreignKatakana = "foreign national, katakana"
        case foreignRomaji = "foreign national, romaji"
        /// Issue 16 item 4: a child recorded in kanji only under a modern given name drawn from the
        /// held-out list (`HeldOutNames`), sought by its reading in kana or romaji.
        case heldOutNoReading = "modern name, no reading recorded"
        /// A foreign child recorded in katakana only, sought by the Latin name.
        case foreignLatinForKatakana = "foreign, Latin for a kana record"
        /// A foreign child recorded in Latin (or kanji) without a reading, sought in katakana.
        case foreignKatakanaForLatin = "foreign, kana for a Latin record"
        /// A foreign child sought by another katakana transcription of the name (held out:
        /// `ForeignTranscriptions`).
        case foreignTranscription = "foreign, another transcription"
        /// A child's name, no birthdate, where guardians elsewhere share the whole name: the
        /// child must come first.
        case childGuardianNamesake = "child vs guardian namesake"
        /// Romaji with long vowels and ン as Hepburn (macrons), Kunrei, passports (OH, M) write them.
        case romajiLongVowels = "romaji long vowels / ン variants"
        case negative = "negative (not there)"
    }

    package var variation: VariationClass
    package var q: String
    /// The holder and external id of the case the query must find, and the person's role; nil for negatives.
    package var target: (authority: String, externalID: String, role: String)?

    package static func == (lhs: EvaluationQuery, rhs: EvaluationQuery) -> Bool {
        lhs.variation == rhs.variation && lhs.q == rhs.q && lhs.target?.externalID == rhs.target?.externalID
    }

    package func hash(into hasher: inout Hasher) { hasher.combine(q) }
}
