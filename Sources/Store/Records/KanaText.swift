/// Which characters a reading (ふりがな) may hold.
package enum KanaText {
    /// Hiragana, katakana (full- and half-width), the prolonged sound mark, voicing marks,
    /// the middle dot and spaces: everything a kana reading is written with.
    package static func isReadingScalar(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x3041...0x3096, 0x3099...0x309F,  // hiragana, voicing marks, ゝゞ
            0x30A0...0x30FF,  // katakana incl. ・ー ヽヾ
            0x31F0...0x31FF,  // small katakana extension
            0xFF65...0xFF9F,  // half-width katakana incl. ･ ｰ ﾞ ﾟ
            0x20, 0x3000:  // spaces
            true
        default: false
        }
    }

    package static func isKanji(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isIdeographic || scalar == "々" || scalar == "〆"
    }
}
