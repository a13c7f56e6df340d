/// Rewrites full-width katakana readings the ways real records hold them.
package enum KanaForm {
    /// `サトウ　ガク` → `ｻﾄｳ ｶﾞｸ`: half-width katakana, voiced and semi-voiced kana split into a
    /// base and a combining mark (ｶﾞ, ﾊﾟ), small kana and the long-vowel mark mapped, the
    /// full-width space made half-width. Characters without a half-width form are kept.
    package static func halfWidth(_ katakana: String) -> String {
        var result = String.UnicodeScalarView()
        for scalar in katakana.unicodeScalars {
            if let half = halfWidthTable[scalar] {
                result.append(contentsOf: half.unicodeScalars)
            } else {
                result.append(scalar)
            }
        }
        return String(result)
    }

    /// `サトウ` → `さとう`: katakana (ァ…ヶ) shifted to hiragana; ー and everything else kept.
    package static func hiragana(_ katakana: String) -> String {
        var result = String.UnicodeScalarView()
        for scalar in katakana.unicodeScalars {
            if (0x30A1...0x30F6).contains(scalar.value), let shifted = Unicode.Scalar(scalar.value - 0x60) {
                result.append(shifted)
            } else {
                result.append(scalar)
            }
        }
        return String(result)
    }

    /// True when every character is full-width katakana, ー, ・ or a full-width space.
    static func isFullWidthKatakana(_ text: String) -> Bool {
        !text.isEmpty && text.unicodeScalars.allSatisfy { (0x30A1...0x30FC).contains($0.value) || $0 == "\u{3000}" }
    }

    /// True when every character is hiragana (ぁ…ゖ) or ー: a given name such as `さくら`.
    package static func isHiragana(_ text: String) -> Bool {
        !text.isEmpty && text.unicodeScalars.allSatisfy { (0x3041...0x3096).contains($0.value) || $0 == "ー" }
    }

    private static let halfWidthTable: [Unicode.Scalar: String] = {
        var table: [Unicode.Scalar: String] = [:]
        let plainFull = Array("ヲァィゥェォャュョッーアイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン・".unicodeScalars)
        let plainHalf = Array("ｦｧｨｩｪｫｬｭｮｯｰｱｲｳｴｵｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾅﾆﾇﾈﾉﾊﾋﾌﾍﾎﾏﾐﾑﾒﾓﾔﾕﾖﾗﾘﾙﾚﾛﾜﾝ･".unicodeScalars)
        for (full, half) in zip(plainFull, plainHalf) { table[full] = String(half) }
        let voicedFull = Array("ガギグゲゴザジズゼゾダヂヅデドバビブベボヴ".unicodeScalars)
        let voicedBase = Array("ｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾊﾋﾌﾍﾎｳ".unicodeScalars)
        for (full, base) in zip(voicedFull, voicedBase) { table[full] = String(base) + "ﾞ" }
        let semiVoicedFull = Array("パピプペポ".unicodeScalars)
        let semiVoicedBase = Array("ﾊﾋﾌﾍﾎ".unicodeScalars)
        for (full, base) in zip(semiVoicedFull, semiVoicedBase) { table[full] = String(base) + "ﾟ" }
        // Small and archaic kana without a half-width form of their own.
        table["ヮ"] = "ﾜ"
        table["ヰ"] = "ｲ"
        table["ヱ"] = "ｴ"
        table["ヵ"] = "ｶ"
        table["ヶ"] = "ｹ"
        table["ヷ"] = "ﾜﾞ"
        table["ヺ"] = "ｦﾞ"
        table["\u{3000}"] = " "
        return table
    }()
}
