/// Spells a full-width katakana reading in capitals the way a Japanese passport does
/// (ヘボン式): `サトウ` → `SATO`, `オオノ` → `ONO`, `ナンバ` → `NAMBA`, `ハットリ` → `HATTORI`.
///
/// Long vowels are dropped (オウ, オオ → O; ウウ → U; ー ignored), ン before B, M, P is M,
/// ッ doubles the next consonant (ッチ → TCH). Used for the few Japanese children whose record
/// carries a romaji name. Kana the table does not know are skipped.
package enum PassportRomaji {
    package static func spell(_ katakana: String) -> String {
        // First pass: one syllable per kana, digraphs (キャ, ファ) folded into the one before.
        var syllables: [String] = []
        var doubleNext = false
        var pendingN = false
        for scalar in katakana.unicodeScalars {
            let kana = Character(scalar)
            if kana == "ッ" {
                doubleNext = true
                continue
            }
            if kana == "ー" { continue }
            if kana == "ン" {
                pendingN = true
                syllables.append("N")
                continue
            }
            if let vowel = smallVowels[kana], let last = syllables.last, last != "N" {
                // ファ, ティ, ウィ, シェ: the consonant of the syllable before, then the small vowel.
                var consonant = String(last.dropLast())
                if consonant.isEmpty { consonant = "W" }
                if consonant == "Y" { consonant = "" }
                syllables[syllables.count - 1] = consonant + vowel
                continue
            }
            if let glide = smallY[kana], let last = syllables.last, last.hasSuffix("I"), last.count > 1 {
                // キャ → KYA, シャ → SHA, ジャ → JA.
                let consonant = String(last.dropLast())
                let palatal = consonant.hasSuffix("SH") || consonant.hasSuffix("CH") || consonant.hasSuffix("J")
                syllables[syllables.count - 1] = consonant + (palatal ? "" : "Y") + glide
                continue
            }
            guard var syllable = table[kana] ?? smallVowels[kana] ?? smallY[kana].map({ "Y" + $0 }) else { continue }
            if doubleNext {
                syllable = (syllable.hasPrefix("CH") ? "T" : String(syllable.prefix(1))) + syllable
                doubleNext = false
            }
            if pendingN, let first = syllable.first, "BMP".contains(first) {
                syllables[syllables.count - 1] = "M"
            }
            pendingN = false
            syllables.append(syllable)
        }
        // Second pass: passport long vowels.
        var result = ""
        var previous = ""
        for (index, syllable) in syllables.enumerated() {
            // イノウエ → INOUE: ウ before エ is the ウ of 上 or 植, not a long vowel
            // (but コウイチ → KOICHI: which is which needs the kanji; this guess fits most names).
            let beforeE = syllable == "U" && index + 1 < syllables.count && syllables[index + 1] == "E"
            if !beforeE && ((previous.hasSuffix("O") && (syllable == "U" || syllable == "O")) || (previous.hasSuffix("U") && syllable == "U")) {
                previous = ""  // オオウチ → OUCHI: one long vowel folded, not two
                continue
            }
            result += syllable
            previous = syllable
        }
        return result
    }

    private static let smallVowels: [Character: String] = ["ァ": "A", "ィ": "I", "ゥ": "U", "ェ": "E", "ォ": "O"]
    private static let smallY: [Character: String] = ["ャ": "A", "ュ": "U", "ョ": "O"]

    private static let table: [Character: String] = {
        var table: [Character: String] = [:]
        let rows: [(String, [String])] = [
            ("アイウエオ", ["A", "I", "U", "E", "O"]),
            ("カキクケコ", ["KA", "KI", "KU", "KE", "KO"]),
            ("ガギグゲゴ", ["GA", "GI", "GU", "GE", "GO"]),
            ("サシスセソ", ["SA", "SHI", "SU", "SE", "SO"]),
            ("ザジズゼゾ", ["ZA", "JI", "ZU", "ZE", "ZO"]),
            ("タチツテト", ["TA", "CHI", "TSU", "TE", "TO"]),
            ("ダヂヅデド", ["DA", "JI", "ZU", "DE", "DO"]),
            ("ナニヌネノ", ["NA", "NI", "NU", "NE", "NO"]),
            ("ハヒフヘホ", ["HA", "HI", "FU", "HE", "HO"]),
            ("バビブベボ", ["BA", "BI", "BU", "BE", "BO"]),
            ("パピプペポ", ["PA", "PI", "PU", "PE", "PO"]),
            ("マミムメモ", ["MA", "MI", "MU", "ME", "MO"]),
            ("ヤユヨ", ["YA", "YU", "YO"]),
            ("ラリルレロ", ["RA", "RI", "RU", "RE", "RO"]),
            ("ワヰヱヲヴ", ["WA", "I", "E", "O", "VU"]),
        ]
        for (kana, spellings) in rows {
            for (character, spelling) in zip(kana, spellings) { table[character] = spelling }
        }
        return table
    }()
}
