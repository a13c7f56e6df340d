import DemoData

/// Writes queries with ground truth from the demo dataset's truth, the way intake workers
/// type them: each variation class of the search issue, and negatives for people not there.
struct QueryGenerator {
    let cases: [DemoCase]
    var random: EvaluationRandom
    /// Whole names (family, given) of children that no other child has but a guardian does.
    let namesakeChildren: Set<String>

    init(cases: [DemoCase], random: EvaluationRandom) {
        self.cases = cases
        self.random = random
        var children: [String: Int] = [:]
        var guardians = Set<String>()
        for demo in cases {
            children[demo.child.familyName + " " + demo.child.givenName, default: 0] += 1
            for guardian in demo.guardians { guardians.insert(guardian.familyName + " " + guardian.givenName) }
        }
        namesakeChildren = Set(children.filter { $0.value == 1 && guardians.contains($0.key) }.map(\.key))
    }

    /// Standard → variant kanji, to put variants into queries (and to know which records have them).
    static let variants: [Character: Character] = ["高": "髙", "崎": "﨑", "斎": "齋", "辺": "邊", "沢": "澤", "浜": "濱", "国": "國", "桜": "櫻"]

    typealias Target = (authority: String, externalID: String, role: String)

    mutating func queries(perClass count: Int) -> [EvaluationQuery] {
        var result: [EvaluationQuery] = []
        for variation in EvaluationQuery.VariationClass.allCases {
            var made = 0
            var attempts = 0
            while made < count, attempts < count * 400 {
                attempts += 1
                let demo = cases[random.next(below: cases.count)]
                if let query = make(variation, demo) {
                    result.append(query)
                    made += 1
                }
            }
        }
        return result
    }

    private mutating func make(_ variation: EvaluationQuery.VariationClass, _ demo: DemoCase) -> EvaluationQuery? {
        let child = demo.child
        let target: Target = (demo.authority, demo.externalID, "child")
        let japanese = !child.isForeignNational
        let plain = japanese && !child.written.variantKanji && child.written.familyName == child.familyName
        let iso = child.birthdateISO
        let date = child.birthdate
        func query(_ q: String, _ to: Target? = target) -> EvaluationQuery { EvaluationQuery(variation: variation, q: q, target: to) }
        switch variation {
        case .nameOnly:
            return plain ? query("\(child.familyName) \(child.givenName)") : nil
        case .exactKanjiBirthdate:
            return plain ? query("\(child.familyName) \(child.givenName) \(iso)") : nil
        case .noSpace:
            return plain ? query("\(child.familyName)\(child.givenName) \(iso)") : nil
        case .fullWidthSpace:
            return plain ? query("\(child.familyName)\u{3000}\(child.givenName)\u{3000}\(iso)") : nil
        case .hiragana:
            return japanese ? query("\(KanaForm.hiragana(child.familyNameKana)) \(KanaForm.hiragana(child.givenNameKana)) \(iso)") : nil
        case .katakana:
            return japanese ? query("\(child.familyNameKana) \(child.givenNameKana) \(iso)") : nil
        case .halfWidthKatakana:
            return japanese ? query("\(KanaForm.halfWidth(child.familyNameKana)) \(KanaForm.halfWidth(child.givenNameKana)) \(iso)") : nil
        case .romajiHepburn:
            guard japanese else { return nil }
            let hepburn = (PassportRomaji.spell(child.familyNameKana) + " " + PassportRomaji.spell(child.givenNameKana)).lowercased()
            return query("\(hepburn) \(iso)")
        case .romajiPassport:
            guard japanese else { return nil }
            return query("\(PassportRomaji.spell(child.familyNameKana)) \(PassportRomaji.spell(child.givenNameKana)) \(iso)")
        case .variantInQuery:
            guard plain, let variant = Self.withVariant(child.familyName) else { return nil }
            return query("\(variant) \(child.givenName) \(iso)")
        case .variantInRecord:
            guard japanese, child.written.variantKanji else { return nil }
            return query("\(child.familyName) \(child.givenName) \(iso)")
        case .familyBirthdate:
            return plain ? query("\(child.familyName) \(iso)") : nil
        case .givenBirthdate:
            return plain ? query("\(child.givenName) \(iso)") : nil
        case .partialBirthdate:
            guard plain, child.givenName.count >= 2 else { return nil }
            return query("\(child.familyName) \(child.givenName.prefix(1)) \(iso)")
        case .dateSlashes:
            return plain ? query("\(child.familyName) \(child.givenName) \(date.year)/\(date.month)/\(date.day)") : nil
        case .dateCompact:
            return plain ? query("\(child.familyName) \(child.givenName) \(iso.filter { $0 != "-" })") : nil
        case .dateWarekiLetters:
            guard plain, let wareki = date.warekiLetters else { return nil }
            return query("\(child.familyName) \(child.givenName) \(wareki)")
        case .dateWarekiKanji:
            guard plain, let wareki = date.warekiKanji else { return nil }
            return query("\(child.familyName) \(child.givenName) \(wareki)")
        case .dateFullWidth:
            guard plain else { return nil }
            return query("\(child.familyName) \(child.givenName) \(Self.fullWidthDigits(iso))")
        case .dateYearMonth:
            return plain ? query("\(child.familyName) \(child.givenName) \(date.year)年\(date.month)月") : nil
        case .swappedOrder:
            return plain ? query("\(child.givenName) \(child.familyName) \(iso)") : nil
        case .longVowel:
            guard japanese, let changed = Self.longVowelVariant(child.familyNameKana + "\u{1F}" + child.givenNameKana) else { return nil }
            let parts = changed.split(separator: "\u{1F}")
            guard parts.count == 2 else { return nil }
            return query("\(parts[0]) \(parts[1]) \(iso)")
        case .guardian:
            guard
                let guardian = demo.guardians.first(where: {
                    !$0.isForeignNational && $0.written.birthdate != nil && !$0.written.variantKanji && $0.written.familyName == $0.familyName
                })
            else { return nil }
            return query("\(guardian.familyName) \(guardian.givenName) \(guardian.birthdateISO)", (demo.authority, demo.externalID, "guardian"))
        case .kanaOnlyRecord:
            guard japanese, KanaForm.isHiragana(child.givenName) else { return nil }
            return query("\(child.familyNameKana) \(child.givenNameKana) \(iso)")
        case .kanjiOnlyRecord:
            guard plain, child.written.readingForm == .missing else { return nil }
            return query("\(KanaForm.hiragana(child.familyNameKana)) \(KanaForm.hiragana(child.givenNameKana)) \(iso)")
        case .foreignKatakana:
            guard child.isForeignNational, child.written.readingForm != .missing else { return nil }
            return query("\(child.familyNameKana) \(child.givenNameKana) \(iso)")
        case .foreignRomaji:
            guard child.isForeignNational, !child.written.katakanaOnly, let romaji = child.romaji else { return nil }
            return query("\(romaji) \(iso)")
        case .heldOutNoReading:
            guard plain, child.written.heldOutName, child.written.readingForm == .missing else { return nil }
            switch random.next(below: 3) {
            case 0: return query("\(KanaForm.hiragana(child.familyNameKana)) \(KanaForm.hiragana(child.givenNameKana)) \(iso)")
            case 1: return query("\(child.familyNameKana) \(child.givenNameKana) \(iso)")
            default: return query("\(PassportRomaji.spell(child.familyNameKana)) \(PassportRomaji.spell(child.givenNameKana)) \(iso)")
            }
        case .foreignLatinForKatakana:
            guard child.isForeignNational, child.written.katakanaOnly, let romaji = child.romaji else { return nil }
            return query("\(random.next(below: 2) == 0 ? romaji : romaji.lowercased()) \(iso)")
        case .foreignKatakanaForLatin:
            guard child.isForeignNational, !child.written.katakanaOnly, child.written.readingForm == .missing else { return nil }
            return query("\(child.familyNameKana) \(child.givenNameKana) \(iso)")
        case .foreignTranscription:
            guard child.isForeignNational, let romaji = child.romaji else { return nil }
            let latin = romaji.split(separator: " ").map(String.init)
            guard latin.count == 2 else { return nil }
            let family = ForeignTranscriptions.variants(latin: latin[0], reading: child.familyNameKana)
            let given = ForeignTranscriptions.variants(latin: latin[1], reading: child.givenNameKana)
            // At least one part in another transcription; the other as usual or changed too.
            guard !family.isEmpty || !given.isEmpty else { return nil }
            let familyText =
                family.isEmpty || (!given.isEmpty && random.next(below: 2) == 0) ? child.familyNameKana : family[random.next(below: family.count)]
            let givenText =
                given.isEmpty || familyText != child.familyNameKana && random.next(below: 2) == 0
                ? child.givenNameKana : given[random.next(below: given.count)]
            return query("\(familyText) \(givenText) \(iso)")
        case .childGuardianNamesake:
            guard plain, namesakeChildren.contains(child.familyName + " " + child.givenName) else { return nil }
            return query("\(child.familyName) \(child.givenName)")
        case .romajiLongVowels:
            guard japanese else { return nil }
            let reading = child.familyNameKana + child.givenNameKana
            let hasLong = ["オウ", "オオ", "ウウ", "ョウ", "ュウ", "ー"].contains { reading.contains($0) }
            let hasNasal = ["ンバ", "ンビ", "ンブ", "ンベ", "ンボ", "ンパ", "ンピ", "ンプ", "ンペ", "ンポ", "ンマ", "ンミ", "ンム", "ンメ", "ンモ"].contains {
                reading.contains($0)
            }
            let hasKunrei = ["シ", "チ", "ツ", "フ", "ジ"].contains { reading.contains($0) }
            guard hasLong || hasNasal || hasKunrei else { return nil }
            let longVowels = PassportRomaji.Style.LongVowel.allCases
            let style = PassportRomaji.Style(
                longVowel: longVowels[random.next(below: longVowels.count)], kunrei: random.next(below: 2) == 0,
                mBeforeLabial: random.next(below: 2) == 0)
            let text = PassportRomaji.spell(child.familyNameKana, style: style) + " " + PassportRomaji.spell(child.givenNameKana, style: style)
            return query("\(random.next(below: 2) == 0 ? text : text.lowercased()) \(iso)")
        case .negative:
            return negative()
        }
    }

    /// A name and birthdate made of parts of two different people and a shifted date:
    /// realistic, and (checked by the caller) nobody in the dataset.
    private mutating func negative() -> EvaluationQuery? {
        let a = cases[random.next(below: cases.count)].child
        let b = cases[random.next(below: cases.count)].child
        guard !a.isForeignNational, !b.isForeignNational, a.familyName != b.familyName else { return nil }
        let year = 2008 + random.next(below: 18)
        let month = 1 + random.next(below: 12)
        let day = 1 + random.next(below: 28)
        let iso = "\(year)-\(month < 10 ? "0" : "")\(month)-\(day < 10 ? "0" : "")\(day)"
        return EvaluationQuery(variation: .negative, q: "\(a.familyName) \(b.givenName) \(iso)", target: nil)
    }

    static func withVariant(_ name: String) -> String? {
        guard let index = name.firstIndex(where: { variants[$0] != nil }) else { return nil }
        var changed = name
        changed.replaceSubrange(index...index, with: String(variants[name[index]]!))
        return changed
    }

    /// ウ/イ lengthening a syllable written as ー (ユウキ → ユーキ), or ー written out.
    static func longVowelVariant(_ reading: String) -> String? {
        let scalars = Array(reading)
        for index in scalars.indices.dropFirst() where scalars[index] == "ウ" || scalars[index] == "ー" {
            let previous = scalars[index - 1]
            guard "オコソトノホモヨロゴゾドボポョュクスツヌフムユルグズブプ".contains(previous) else { continue }
            var changed = scalars
            changed[index] = scalars[index] == "ウ" ? "ー" : "ウ"
            return String(changed)
        }
        return nil
    }

    static func fullWidthDigits(_ text: String) -> String {
        String(
            text.unicodeScalars.map { scalar -> Character in
                if ("0"..."9").contains(scalar) { return Character(Unicode.Scalar(scalar.value + 0xFEE0)!) }
                if scalar == "-" { return "－" }
                return Character(scalar)
            })
    }
}

/// A seeded generator (SplitMix64), so an evaluation is repeatable.
struct EvaluationRandom {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func next(below bound: Int) -> Int { Int(next() % UInt64(bound)) }
}
