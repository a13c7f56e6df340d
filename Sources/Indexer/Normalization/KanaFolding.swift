/// The katakana tables behind `NameNormalizer.readingKey(_:)` and `looseKey(_:)`: which kana
/// sound alike, which vowel each kana ends in, and the voiced form of each.
///
/// ICU has no transform for these folds (they are particular to how names are searched, not
/// a script conversion), so they are written here.
enum KanaFolding {
    /// The vowel a kana ends in.
    enum Vowel: Sendable {
        case a, i, u, e, o
    }

    static let dakuten: Unicode.Scalar = "\u{3099}"  // combining voiced sound mark
    static let handakuten: Unicode.Scalar = "\u{309A}"  // combining semi-voiced sound mark
    static let prolongedSoundMark: Unicode.Scalar = "ー"
    static let iterationMark: Unicode.Scalar = "ヽ"
    static let voicedIterationMark: Unicode.Scalar = "ヾ"
    static let syllabicN: Unicode.Scalar = "ン"

    /// Kana written differently but read the same in names, mapped to one of them; small kana
    /// mapped to full size. (ヴ followed by a small vowel is handled by `vuSyllable(before:)`.)
    static func strong(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        strongTable[scalar] ?? scalar
    }

    /// What ヴ and the small vowel after it read as: ヴァ → バ, ヴィ → ビ, ヴゥ → ブ, ヴェ → ベ,
    /// ヴォ → ボ; nil when `next` is not a small vowel.
    static func vuSyllable(before next: Unicode.Scalar) -> Unicode.Scalar? {
        vuTable[next]
    }

    /// The vowel a full-size katakana ends in; nil for ン, other kana marks and everything else.
    static func vowel(of scalar: Unicode.Scalar) -> Vowel? {
        vowelTable[scalar]
    }

    /// The voiced form of a full-size katakana (カ → ガ, ツ → ズ, ウ → ブ), already folded by
    /// `strong(_:)`; nil when it has none.
    static func voiced(_ scalar: Unicode.Scalar) -> Unicode.Scalar? {
        voicedTable[scalar]
    }

    /// The semi-voiced form of a katakana of the ハ row (ハ → パ); nil for every other.
    static func semiVoiced(_ scalar: Unicode.Scalar) -> Unicode.Scalar? {
        semiVoicedTable[scalar]
    }

    /// The kana a prolonged sound mark after a kana ending in `vowel` is spelled as, the way long
    /// vowels are usually written in names: アー → アア, イー → イイ, ウー → ウウ, エー → エイ, オー → オウ.
    static func lengthening(_ vowel: Vowel) -> Unicode.Scalar {
        switch vowel {
        case .a: "ア"
        case .i, .e: "イ"
        case .u, .o: "ウ"
        }
    }

    /// Whether `scalar` is a vowel kana that, after a kana ending in `previous`, only lengthens it:
    /// ア after the a row, イ after the i and e rows, ウ after the u and o rows, エ after the e row,
    /// オ after the o row.
    static func lengthens(_ scalar: Unicode.Scalar, after previous: Vowel) -> Bool {
        switch (scalar, previous) {
        case ("ア", .a), ("イ", .i), ("イ", .e), ("ウ", .u), ("ウ", .o), ("エ", .e), ("オ", .o): true
        default: false
        }
    }

    /// Whether a scalar is a katakana letter, a small katakana, ー, or a katakana iteration mark:
    /// the characters after which a dash is read as ー.
    static func isKatakana(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x30A1...0x30FA, 0x30FC...0x30FE, 0x31F0...0x31FF, 0x1B155, 0x1B164...0x1B167: true
        default: false
        }
    }

    // MARK: - Tables

    private static let strongTable: [Unicode.Scalar: Unicode.Scalar] = {
        var table: [Unicode.Scalar: Unicode.Scalar] = [:]
        let pairs: [(String, String)] = [
            ("ヂヅ", "ジズ"),
            ("ヲヰヱ", "オイエ"),
            ("ヴヷヸヹヺ", "ブバビベボ"),
            ("ァィゥェォャュョッヮヵヶ", "アイウエオヤユヨツワカケ"),
            // Small katakana extension (ㇰ ㇱ ㇲ …, used for Ainu).
            ("ㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ", "クシストヌハヒフヘホムラリルレロ"),
            // Small ヰ ヱ ヲ ン コ of the Small Kana Extension block.
            ("\u{1B164}\u{1B165}\u{1B166}\u{1B167}\u{1B155}", "イエオンコ"),
        ]
        for (from, to) in pairs {
            for (source, target) in zip(from.unicodeScalars, to.unicodeScalars) { table[source] = target }
        }
        return table
    }()

    private static let vuTable: [Unicode.Scalar: Unicode.Scalar] = [
        "ァ": "バ", "ィ": "ビ", "ゥ": "ブ", "ェ": "ベ", "ォ": "ボ",
    ]

    private static let vowelTable: [Unicode.Scalar: Vowel] = {
        var table: [Unicode.Scalar: Vowel] = [:]
        let rows: [(String, Vowel)] = [
            ("アカガサザタダナハバパマヤラワ", .a),
            ("イキギシジチニヒビピミリ", .i),
            ("ウクグスズツヌフブプムユル", .u),
            ("エケゲセゼテデネヘベペメレ", .e),
            ("オコゴソゾトドノホボポモヨロ", .o),
        ]
        for (kana, vowel) in rows {
            for scalar in kana.unicodeScalars { table[scalar] = vowel }
        }
        return table
    }()

    private static let voicedTable: [Unicode.Scalar: Unicode.Scalar] = {
        var table: [Unicode.Scalar: Unicode.Scalar] = [:]
        // チ and ツ voice to ヂ and ヅ, which read as ジ and ズ; ウ to ヴ, read as ブ; ワ to ヷ, read as バ.
        let plain = "カキクケコサシスセソタチツテトハヒフヘホウワ"
        let voiced = "ガギグゲゴザジズゼゾダジズデドバビブベボブバ"
        for (source, target) in zip(plain.unicodeScalars, voiced.unicodeScalars) { table[source] = target }
        return table
    }()

    private static let semiVoicedTable: [Unicode.Scalar: Unicode.Scalar] = [
        "ハ": "パ", "ヒ": "ピ", "フ": "プ", "ヘ": "ペ", "ホ": "ポ",
    ]
}
