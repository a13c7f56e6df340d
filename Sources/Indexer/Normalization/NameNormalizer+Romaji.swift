extension NameNormalizer {
    /// Romaji as the lower-case Hepburn that ICU's `Latin-Katakana` reads as Japanese, words
    /// separated by one space and syllables by `'`; nil when `text` has letters of another script
    /// or no Latin letter at all.
    func romajiWords(_ text: String) -> String? {
        romajiLetters(text).map { Self.hepburnWords($0, foreignT: false) }
    }

    /// `words` respelled by `hepburn(_:foreignT:)` and joined by spaces.
    static func hepburnWords(_ words: [[UInt8]], foreignT: Bool) -> String {
        words.map { String(decoding: hepburn($0, foreignT: foreignT), as: UTF8.self) }.joined(separator: " ")
    }

    /// The words of romaji text as lower-case ASCII letters, `'` between syllables; nil when the
    /// text has letters of another script or no Latin letter at all.
    func romajiLetters(_ text: String) -> [[UInt8]]? {
        var normalized = Self.nfkc(text)
        if normalized.unicodeScalars.contains(where: { $0.value >= 0x80 }) {
            normalized = String(String.UnicodeScalarView(normalized.unicodeScalars.flatMap(Self.expandingLongVowel)))
            if normalized.unicodeScalars.contains(where: Self.isNonASCIILatinLetter) {
                normalized = latinASCIITransform(normalized)  // æ → ae, ø → o, ñ → n
            }
        }

        var words: [[UInt8]] = []
        var word: [UInt8] = []
        var hasLetter = false
        func endWord() {
            if word.contains(where: { $0 != UInt8(ascii: "'") }) { words.append(word) }
            word = []
        }
        for scalar in normalized.unicodeScalars {
            switch scalar.value {
            case 0x41...0x5A:
                word.append(UInt8(scalar.value) + 0x20)
                hasLetter = true
            case 0x61...0x7A:
                word.append(UInt8(scalar.value))
                hasLetter = true
            case 0x27, 0x2D, 0x60, 0xB4, 0x2BC, 0x2010...0x2015, 0x2018, 0x2019, 0x2032, 0x2212, 0x30FC:
                // ' - ` ´ ʼ ‐ ‑ ‒ – — ― ‘ ’ ′ − ー: a syllable break inside the word
                word.append(UInt8(ascii: "'"))
            default:
                if Self.isNonASCIILatinLetter(scalar) { continue }  // a Latin letter without an ASCII spelling (ʃ, ƛ)
                let properties = scalar.properties
                if properties.isAlphabetic {
                    switch properties.generalCategory {
                    case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .otherLetter:
                        return nil  // kana, kanji, Cyrillic…: not romaji
                    default:
                        continue  // a modifier letter or combining mark left over: ignore it
                    }
                }
                if properties.generalCategory == .nonspacingMark || properties.generalCategory == .enclosingMark {
                    continue
                }
                endWord()  // spaces, digits, other punctuation
            }
        }
        endWord()
        guard hasLetter else { return nil }
        return words
    }

    /// The katakana words of ICU's output: anything ICU left that is not katakana (an apostrophe,
    /// `。` for a full stop) is dropped, and words stay separated by one space.
    static func katakanaWords(_ transliterated: String) -> String? {
        var result = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in transliterated.unicodeScalars {
            if scalar == " " {
                pendingSpace = !result.isEmpty
            } else if (0x30A1...0x30FA).contains(scalar.value) || scalar.value == 0x30FC {
                if pendingSpace { result.append(" ") }
                pendingSpace = false
                result.append(scalar)
            }
        }
        return result.isEmpty ? nil : String(result)
    }

    /// `word` with each `OH` before a vowel, after the first letter, read as a long O
    /// (`shohei` → `shou'ei`): passports that mark long vowels write `OH` there too, although
    /// Hepburn reads `OHA` as オハ.
    static func longOBeforeVowel(_ word: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var index = 0
        while index < word.count {
            let letter = word[index]
            let next = index + 1 < word.count ? word[index + 1] : nil
            let afterNext = index + 2 < word.count ? word[index + 2] : nil
            index += 1
            if letter == o, next == h, let afterNext, [a, e, i, o, u].contains(afterNext), !out.isEmpty {
                out += [o, u, apostrophe]
                index += 1
            } else {
                out.append(letter)
            }
        }
        return out
    }

    /// `words` (from `romajiWords(_:)`) and its respellings with an `n'` for each `n` that sits
    /// after a vowel and before a vowel or y (at most three of them), with the number of `n`s
    /// changed, fewest first.
    static func syllabicNSpellings(of words: String) -> [(changes: Int, spelling: String)] {
        let letters = Array(words.utf8)
        func isVowel(_ index: Int) -> Bool {
            guard index >= 0, index < letters.count else { return false }
            return [a, e, i, o, u].contains(letters[index])
        }
        let positions = Array(
            letters.indices.filter { index in
                letters[index] == n && isVowel(index - 1)
                    && (isVowel(index + 1) || (index + 1 < letters.count && letters[index + 1] == y))
            }.prefix(3))
        let masks = (0..<(1 << positions.count)).sorted { ($0.nonzeroBitCount, $0) < ($1.nonzeroBitCount, $1) }
        return masks.map { mask in
            var spelling: [UInt8] = []
            for (index, letter) in letters.enumerated() {
                spelling.append(letter)
                if let bit = positions.firstIndex(of: index), mask & (1 << bit) != 0 {
                    spelling.append(apostrophe)
                }
            }
            return (mask.nonzeroBitCount, String(decoding: spelling, as: UTF8.self))
        }
    }

    // MARK: - Romaji spelling

    /// A Latin letter outside ASCII (é, ø, ß…) that `Latin-ASCII` should spell in ASCII.
    private static func isNonASCIILatinLetter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0xC0...0x24F, 0x1E00...0x1EFF, 0x2C60...0x2C7F, 0xA720...0xA7FF, 0xAB30...0xAB6F, 0x250...0x2AF:
            scalar.properties.isAlphabetic
        default:
            false
        }
    }

    /// A vowel with a macron or circumflex (Hepburn and Kunrei long vowels) written as two:
    /// ā â → aa, ī î → ii, ū û → uu, ē ê → ee, ō ô → ou (おう is the commoner long O in names).
    private static func expandingLongVowel(_ scalar: Unicode.Scalar) -> [Unicode.Scalar] {
        switch scalar {
        case "ā", "â": ["a", "a"]
        case "Ā", "Â": ["A", "A"]
        case "ī", "î": ["i", "i"]
        case "Ī", "Î": ["I", "I"]
        case "ū", "û": ["u", "u"]
        case "Ū", "Û": ["U", "U"]
        case "ē", "ê": ["e", "e"]
        case "Ē", "Ê": ["E", "E"]
        case "ō", "ô": ["o", "u"]
        case "Ō", "Ô": ["O", "U"]
        default: [scalar]
        }
    }

    /// One lower-case romaji word respelled as the Hepburn ICU reads as Japanese:
    ///
    /// - passport `oh` before a consonant (not y) or at the end → `ou` (`ohno` → `ouno`;
    ///   `ohashi` stays: the h starts a syllable);
    /// - `m` before b, m, p → `n` (`homma` → `honma`; ICU reads `mm` as ッマ);
    /// - `nn` before a vowel or y → `n'n` (`junnichi` → ジュンニチ; ICU reads `nn` as ッン); `nn`
    ///   elsewhere → `n` (wāpuro `kenn`);
    /// - Kunrei and Nihon-shiki `si zi ti tu hu` → `shi ji chi tsu fu`, `sy zy jy ty` + vowel →
    ///   `sh j j ch`, and the wāpuro `shy chy` → `sh ch` (ICU reads `si` as セィ, `tu` as テゥ).
    ///
    /// - foreign syllables ICU misreads, with a full-size vowel that gives the same reading key as
    ///   the small one: `wi we wo` → ウイ ウエ ウオ (not ヰ ヱ ヲ), `tsa tsi tse tso` → ツア ツイ ツエ
    ///   ツオ, `du` → ドウ, `ye` → イエ.
    ///
    /// Doubled consonants (`hattori`, `matcha`), `n'` and the rest are left to ICU. `ti` and `tu`
    /// are read as Kunrei (チ, ツ) unless `foreignT` asks for the foreign ティ, トゥ (spelled テイ,
    /// トウ, which give the same reading keys).
    private static func hepburn(_ word: [UInt8], foreignT: Bool) -> [UInt8] {
        func at(_ index: Int) -> UInt8? { index < word.count ? word[index] : nil }
        func isVowel(_ letter: UInt8?) -> Bool {
            guard let letter else { return false }
            return letter == a || letter == e || letter == i || letter == o || letter == u
        }
        func isConsonant(_ letter: UInt8?) -> Bool {
            guard let letter, letter >= a, letter <= z else { return false }
            return !isVowel(letter)
        }
        var out: [UInt8] = []
        out.reserveCapacity(word.count + 4)
        var index = 0
        while index < word.count {
            let letter = word[index]
            let next = at(index + 1)
            let afterNext = at(index + 2)
            index += 1
            switch letter {
            case o
            where next == h
                && (afterNext == nil || afterNext == apostrophe || (isConsonant(afterNext) && afterNext != y)):
                out += [o, u]  // OHNO, SATOH
                index += 1
            case m where next == b || next == m || next == p:
                out.append(n)  // HOMMA, NAMBA
            case n where next == n:
                if isVowel(afterNext) || afterNext == y {
                    out += [n, apostrophe]  // JUNNICHI: ン, then the next n starts ニ
                } else {
                    out.append(n)  // KENN: ン
                    index += 1
                }
            case s where next == y && isVowel(afterNext), t where next == y && isVowel(afterNext):
                out += letter == s ? [s, h] : [c, h]  // SYA → SHA, TYA → CHA
                index += 1
            case z where next == y && isVowel(afterNext), j where next == y && isVowel(afterNext):
                out.append(j)  // ZYA, JYA → JA
                index += 1
            case s where next == h && afterNext == y && isVowel(at(index + 2)),
                c where next == h && afterNext == y && isVowel(at(index + 2)):
                out += [letter, h]  // SHYA → SHA, CHYA → CHA
                index += 2
            case s where next == i && out.last != t:
                out += [s, h]  // SI → SHI
            case z where next == i:
                out.append(j)  // ZI → JI
            case t where next == i:
                out += foreignT ? [t, e, apostrophe] : [c, h]  // TI → CHI (or ティ)
            case t where next == u:
                out += foreignT ? [t, o, apostrophe] : [t, s]  // TU → TSU (or トゥ)
            case h where next == u && (out.isEmpty || isVowel(out.last) || out.last == n || out.last == apostrophe):
                out.append(f)  // HU → FU (not the h of SHU, CHU)
            // Foreign syllables ICU has no spelling for, written with a full-size vowel, which reads
            // the same in the reading keys as the small one would (ウィ and ウイ both give ウイ).
            case w where next == i || next == e || next == o:
                out += [u, apostrophe]  // WI → ウイ, not ICU's ヰ (ウィ)
            case t where next == s && (afterNext == a || afterNext == i || afterNext == e || afterNext == o):
                out += [t, s, u, apostrophe]  // TSA → ツア, not ICU's テサ (ツァ)
                index += 1
            case d where next == u:
                out += [d, o, apostrophe]  // DU → ドウ, not ICU's デゥ (ドゥ)
            case y where next == e:
                out += [i, apostrophe]  // YE → イエ, not ICU's エ (イェ)
            default:
                out.append(letter)
            }
        }
        return out
    }

    private static let a = UInt8(ascii: "a"), b = UInt8(ascii: "b"), c = UInt8(ascii: "c"), d = UInt8(ascii: "d")
    private static let e = UInt8(ascii: "e")
    private static let f = UInt8(ascii: "f"), h = UInt8(ascii: "h"), i = UInt8(ascii: "i"), j = UInt8(ascii: "j")
    private static let m = UInt8(ascii: "m"), n = UInt8(ascii: "n"), o = UInt8(ascii: "o"), p = UInt8(ascii: "p")
    private static let s = UInt8(ascii: "s"), t = UInt8(ascii: "t"), u = UInt8(ascii: "u"), y = UInt8(ascii: "y")
    private static let w = UInt8(ascii: "w"), z = UInt8(ascii: "z"), apostrophe = UInt8(ascii: "'")
}
