extension NameNormalizer {
    /// The strong key of folded text (see `readingKey(_:)`).
    static func strongKey(ofFolded text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        var key = String.UnicodeScalarView()
        var last: Unicode.Scalar?  // the last scalar put into `key`
        func append(_ scalar: Unicode.Scalar) {
            key.append(scalar)
            last = scalar
        }
        /// The kana `ヽ` or `ヾ` can repeat: the last one written, if it is a full-size kana.
        var repeatable: Unicode.Scalar? {
            guard let last, KanaFolding.vowel(of: last) != nil || last == KanaFolding.syllabicN else { return nil }
            return last
        }

        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            let next = index + 1 < scalars.count ? scalars[index + 1] : nil
            index += 1
            switch scalar {
            case "ヴ":
                if let next, let syllable = KanaFolding.vuSyllable(before: next) {
                    append(syllable)  // ヴァ → バ
                    index += 1
                } else if let next, next == "ャ" || next == "ュ" || next == "ョ" {
                    append("ビ")  // ヴュ → ビュ, read on as ビユ
                } else {
                    append("ブ")
                }
            case KanaFolding.prolongedSoundMark:
                if let last, let vowel = KanaFolding.vowel(of: last) {
                    append(KanaFolding.lengthening(vowel))
                }  // after ン, at the start, or after anything else: nothing to lengthen
            case KanaFolding.iterationMark:
                append(repeatable ?? scalar)
            case KanaFolding.voicedIterationMark:
                if let repeatable {
                    append(KanaFolding.voiced(repeatable) ?? repeatable)
                } else {
                    append(scalar)
                }
            case KanaFolding.dakuten, KanaFolding.handakuten:
                // A combining mark NFKC could not compose (ッ゙, ㇷ゚, ア゙): apply it to the folded
                // kana if it has such a form; otherwise drop it, a key has no use for it.
                if let current = last {
                    let marked =
                        scalar == KanaFolding.dakuten ? KanaFolding.voiced(current) : KanaFolding.semiVoiced(current)
                    if let marked {
                        key.removeLast()
                        append(marked)
                    }
                }
            default:
                append(KanaFolding.strong(scalar))
            }
        }
        return String(key)
    }

    /// The loose key of a strong key (see `looseKey(_:)`).
    static func looseKey(ofStrongKey key: String) -> String {
        var loose = String.UnicodeScalarView()
        var lastVowel: KanaFolding.Vowel?
        for scalar in key.unicodeScalars {
            if let lastVowel, KanaFolding.lengthens(scalar, after: lastVowel) { continue }
            loose.append(scalar)
            lastVowel = KanaFolding.vowel(of: scalar)
        }
        return String(loose)
    }
}
