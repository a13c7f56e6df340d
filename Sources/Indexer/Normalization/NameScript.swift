/// The writing system of a name as folded by `NameNormalizer.fold(_:)`.
package enum NameScript: Sendable, Hashable {
    /// Only kanji (々, 〆, 〇 count as kanji): `佐々木`.
    case kanji
    /// Only kana (ー and the kana iteration marks ヽヾ count as kana): `サクラ`.
    case kana
    /// Only Latin letters: `NGUYEN`.
    case latin
    /// Letters of more than one of these, or letters of any other script (Hangul, Cyrillic…):
    /// `佐藤サクラ`, `김민준`.
    case mixed
    /// No letters at all: empty, or only digits, punctuation and symbols.
    case empty
}

extension NameScript {
    /// The script of already folded text. Characters that are not letters (digits,
    /// punctuation, symbols, combining marks) are ignored.
    init(classifying folded: String) {
        var seenKanji = false
        var seenKana = false
        var seenLatin = false
        var seenOther = false
        for scalar in folded.unicodeScalars {
            switch LetterClass(scalar) {
            case .kanji: seenKanji = true
            case .kana: seenKana = true
            case .latin: seenLatin = true
            case .other: seenOther = true
            case .none: break
            }
        }
        let count = [seenKanji, seenKana, seenLatin, seenOther].count(where: \.self)
        if count == 0 {
            self = .empty
        } else if count > 1 || seenOther {
            self = .mixed
        } else if seenKanji {
            self = .kanji
        } else if seenKana {
            self = .kana
        } else {
            self = .latin
        }
    }
}

/// What one character contributes to a `NameScript`.
private enum LetterClass {
    case kanji, kana, latin, other

    init?(_ scalar: Unicode.Scalar) {
        let value = scalar.value
        switch value {
        case 0x41...0x5A, 0x61...0x7A:
            self = .latin
        case 0x3005...0x3007, 0x303B, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0x2E80...0x2FDF,
            0x20000...0x323AF:
            // 々 〆 〇 〻, CJK unified ideographs and extensions, compatibility ideographs, radicals.
            self = .kanji
        case 0x3041...0x3096, 0x309D...0x309F, 0x30A1...0x30FA, 0x30FC...0x30FF, 0x31F0...0x31FF, 0xFF66...0xFF9D,
            0x1B000...0x1B16F:
            // Hiragana, katakana, ー, ヽヾ, small katakana extension, half-width, kana supplements.
            self = .kana
        case 0xAA, 0xBA, 0xC0...0x24F, 0x250...0x2AF, 0x1D00...0x1DBF, 0x1E00...0x1EFF, 0x2C60...0x2C7F,
            0xA720...0xA7FF, 0xAB30...0xAB6F, 0xFB00...0xFB06, 0xFF21...0xFF3A, 0xFF41...0xFF5A:
            guard scalar.properties.isAlphabetic else { return nil }  // × and ÷ sit among the letters
            self = .latin
        default:
            switch scalar.properties.generalCategory {
            case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .otherLetter:
                self = .other
            default:
                return nil  // modifier letters (ʼ ʻ), combining marks, digits, punctuation, symbols
            }
        }
    }
}
