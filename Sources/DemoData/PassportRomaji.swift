/// Spells a full-width katakana reading in capitals the way a Japanese passport does
/// (ヘボン式): `サトウ` → `SATO`, `オオノ` → `ONO`, `ナンバ` → `NAMBA`, `ハットリ` → `HATTORI`.
///
/// Long vowels are dropped (オウ, オオ → O; ウウ → U; ー ignored), ン before B, M, P is M,
/// ッ doubles the next consonant (ッチ → TCH). Used for the few Japanese children whose record
/// carries a romaji name. Kana the table does not know are skipped.
package enum PassportRomaji {
    /// How long vowels, ン before B, M, P and the syllables Kunrei spells differently are written:
    /// the passport (the default), Hepburn with macrons, `OH` for a long O, the kana spelled out
    /// (`OU`, `OO`, `UU`), and Kunrei (`SI TI TU HU ZI`, `SYA TYA ZYA`).
    package struct Style: Sendable, Hashable {
        package enum LongVowel: Sendable, Hashable, CaseIterable {
            /// `SATO` (passport).
            case dropped
            /// `SATŌ`, `YŪKI` (Hepburn).
            case macron
            /// `SATOH`, a long U dropped (passport, on request).
            case oh
            /// `SATOU`, `OONO`, `YUUKI` (as the kana are written).
            case spelledOut
        }

        package var longVowel: LongVowel
        /// `SI TI TU HU ZI` instead of `SHI CHI TSU FU JI`.
        package var kunrei: Bool
        /// `M` for ン before B, M, P (`NAMBA`), or `N` (`NANBA`).
        package var mBeforeLabial: Bool

        package init(longVowel: LongVowel = .dropped, kunrei: Bool = false, mBeforeLabial: Bool = true) {
            self.longVowel = longVowel
            self.kunrei = kunrei
            self.mBeforeLabial = mBeforeLabial
        }

        package static let passport = Style()
    }

    package static func spell(_ katakana: String) -> String {
        spell(katakana, style: .passport)
    }

    /// `katakana` in capitals, in `style`.
    package static func spell(_ katakana: String, style: Style) -> String {
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
            if pendingN, style.mBeforeLabial, let first = syllable.first, "BMP".contains(first) {
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
                switch style.longVowel {
                case .dropped:
                    previous = ""  // オオウチ → OUCHI: one long vowel folded, not two
                    continue
                case .macron:
                    let long: Character = previous.hasSuffix("O") ? "Ō" : "Ū"
                    result.removeLast()
                    result.append(long)
                    previous = ""
                    continue
                case .oh:
                    if previous.hasSuffix("O") { result += "H" }
                    previous = ""
                    continue
                case .spelledOut:
                    break
                }
            }
            let spelled = style.kunrei ? kunrei(syllable) : syllable
            result += spelled
            previous = syllable
        }
        return result
    }

    /// A Hepburn syllable in Kunrei: `SHI` → `SI`, `CHI` → `TI`, `TSU` → `TU`, `FU` → `HU`,
    /// `JI` → `ZI`, `SHA` → `SYA`, `CHO` → `TYO`, `JU` → `ZYU` (a doubled `TCH` → `TTY`).
    private static func kunrei(_ syllable: String) -> String {
        var text = syllable
        let rules = [
            ("TCHI", "TTI"), ("TCH", "TTY"), ("JJ", "ZZ"), ("SHI", "SI"), ("CHI", "TI"), ("TSU", "TU"), ("FU", "HU"), ("JI", "ZI"),
            ("SH", "SY"), ("CH", "TY"), ("J", "ZY"),
        ]
        for (hepburn, kunrei) in rules { text = text.replacing(hepburn, with: kunrei) }
        return text
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
