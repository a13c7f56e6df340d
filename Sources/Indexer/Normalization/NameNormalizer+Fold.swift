import CICU

extension NameNormalizer {
    /// `fold(_:)` without the shortcut for text that is already folded (the tests compare the two).
    func foldWithICU(_ text: String) -> String {
        let transformed = foldTransform(text)
        var result = String.UnicodeScalarView()
        var removed = false
        var afterKatakana = false
        for scalar in transformed.unicodeScalars {
            switch Self.foldAction(scalar) {
            case .keep:
                result.append(scalar)
                if KanaFolding.isKatakana(scalar) {
                    afterKatakana = true
                } else if scalar != KanaFolding.dakuten && scalar != KanaFolding.handakuten {
                    afterKatakana = false
                }
            case .replace(let replacement):
                result.append(replacement)
                afterKatakana = KanaFolding.isKatakana(replacement)
            case .prolongedSoundMark:
                if afterKatakana {
                    result.append(KanaFolding.prolongedSoundMark)
                } else {
                    removed = true
                }
            case .remove:
                removed = true
                afterKatakana = false
            }
        }
        let folded = String(result)
        // Removing a character can bring a base and a combining mark together (`カ ゛` → `カ゛`):
        // compose them as NFKC would, so that folding twice changes nothing.
        return removed ? Self.nfkc(folded) : folded
    }

    /// `text` itself when folding would not change it: only capitals, digits, apostrophes,
    /// katakana (ー right after a katakana) and common kanji. Saves the ICU call for readings and
    /// names that are already clean; nil when the full fold is needed.
    static func alreadyFolded(_ text: String) -> String? {
        var afterKatakana = false
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x30A1...0x30FA, 0x30FD, 0x30FE:  // katakana, ヽ ヾ
                afterKatakana = true
            case 0x30FC:  // ー
                guard afterKatakana else { return nil }
            case 0x41...0x5A, 0x30...0x39, 0x27, 0x3005...0x3007, 0x3400...0x4DBF, 0x4E00...0x9FFF:
                afterKatakana = false
            default:
                return nil
            }
        }
        return text
    }

    /// NFKC-normalised `text`, from the system ICU's normaliser (thread-safe: no lock needed).
    /// See https://unicode-org.github.io/icu/userguide/transforms/normalization/.
    static func nfkc(_ text: String) -> String {
        let source = Array(text.utf16)
        var capacity = max(16, source.count + source.count / 2)
        while true {
            var destination = [UInt16](repeating: 0, count: capacity)
            var status: Int32 = 0
            let needed = cicu_normalize_nfkc(source, Int32(source.count), &destination, Int32(capacity), &status)
            if status == ICUError.bufferOverflow, Int(needed) > capacity {
                capacity = Int(needed)
                continue
            }
            // On any other failure keep the text: folding only derives keys.
            guard status <= 0 else { return text }
            return String(decoding: destination[0..<Int(needed)], as: UTF16.self)
        }
    }

    private enum FoldAction {
        case keep
        case replace(Unicode.Scalar)
        /// ー, or a dash that stands for one after a katakana.
        case prolongedSoundMark
        case remove
    }

    private static func foldAction(_ scalar: Unicode.Scalar) -> FoldAction {
        switch scalar.value {
        case 0x30FC, 0x2D, 0x2010...0x2015, 0x2043, 0x2212, 0x2E3A, 0x2E3B, 0x2500, 0x2501, 0x7E, 0x301C, 0x3030:
            // ー - ‐ ‑ ‒ – — ― ⁃ − ⸺ ⸻ ─ ━ ~ 〜 〰 (the full- and half-width forms are NFKC'd to these)
            return .prolongedSoundMark
        case 0x30FB, 0xB7, 0x2027, 0x2022, 0x2219, 0x22C5, 0x3D, 0x30A0, 0x2E40:
            // ・ · ‧ • ∙ ⋅ (middle dots), = ゠ ⹀ (double-name separators)
            return .remove
        case 0x2018, 0x2019, 0x2032, 0x2BC, 0x60:
            // ‘ ’ ′ ʼ ` → '
            return .replace("'")
        case 0x3095: return .replace("ヵ")  // Hiragana-Katakana leaves the small ゕ ゖ alone.
        case 0x3096: return .replace("ヶ")
        case 0x1B132: return .replace("\u{1B155}")  // small こ
        case 0x1B150...0x1B152: return .replace(Unicode.Scalar(scalar.value + 0x14)!)  // small ゐ ゑ を
        default:
            if scalar.properties.isWhitespace { return .remove }
            switch scalar.properties.generalCategory {
            case .control, .format, .spaceSeparator, .lineSeparator, .paragraphSeparator: return .remove
            default: return .keep
            }
        }
    }
}
