extension NameNormalizer {
    /// The transcription key of a katakana name: the loose key (`looseKey(_:)`) after the folds
    /// that only tell apart ways of writing a foreign sound in katakana, so that transcription
    /// variants of one name collide (`グエン`, `グェン`, `グウェン` → `グエン`; `ルーカス`, `ルカス` →
    /// `ルカス`):
    ///
    /// - `ティ` → `チ`, `ディ` → `ジ`, `テュ` → `チュ`, `デュ` → `ジュ`, `トゥ` → `ト`, `ドゥ` → `ド`,
    ///   `ブァ ブィ ブェ ブォ` as `ヴァ ヴィ ヴェ ヴォ` (`バ ビ ベ ボ`);
    /// - `ッ` dropped (`ゴック`, `ゴク`; `ラリッサ`, `ラリサ`);
    /// - then the strong key's folds (`ヴ` → `ブ` row, small vowels full size, `ー` → a vowel) and
    ///   the loose key's (lengthening vowels dropped: `ー`, `ウ` after the o row…);
    /// - a final `ズ` → `ス` (`ジェームズ`, `ジェームス`).
    ///
    /// The key merges names that differ only in such a sound, so a match on it says no more than
    /// "another transcription of the same name": the ranking keeps it below a written reading.
    /// Empty when `kana` has no kana.
    package func transcriptionKey(_ kana: String) -> String {
        let folded = Array(fold(kana).unicodeScalars)
        guard folded.contains(where: KanaFolding.isKatakana) else { return "" }
        var written = String.UnicodeScalarView()
        var index = 0
        while index < folded.count {
            let scalar = folded[index]
            let next = index + 1 < folded.count ? folded[index + 1] : nil
            index += 1
            switch (scalar, next) {
            case ("ッ", _):
                continue
            case ("テ", "ィ"), ("デ", "ィ"):
                written.append(scalar == "テ" ? "チ" : "ジ")
                index += 1
            case ("テ", "ュ"), ("デ", "ュ"):
                written.append(scalar == "テ" ? "チ" : "ジ")
                written.append("ュ")
                index += 1
            case ("ト", "ゥ"), ("ド", "ゥ"):
                written.append(scalar)
                index += 1
            case ("ブ", "ァ"), ("ブ", "ィ"), ("ブ", "ェ"), ("ブ", "ォ"):
                // ブィ typed for ヴィ: read as the strong key reads ヴィ (ビ).
                written.append("ヴ")
                written.append(next ?? scalar)
                index += 1
            default:
                written.append(scalar)
            }
        }
        var key = Array(Self.looseKey(ofStrongKey: Self.strongKey(ofFolded: String(written))).unicodeScalars)
        if key.count > 1, key.last == "ズ" { key[key.count - 1] = "ス" }
        return String(String.UnicodeScalarView(key))
    }

    /// A name in Latin letters as the foreign-name dictionary spells it: capital ASCII letters
    /// only (`Nguyễn` → `NGUYEN`, `MIN-JUN` → `MINJUN`); nil when `text` has letters of another
    /// script or no Latin letter.
    package func latinSpelling(_ text: String) -> String? {
        guard let words = romajiLetters(text) else { return nil }
        let letters = words.joined().filter { $0 != UInt8(ascii: "'") }.map { $0 - 0x20 }
        return letters.isEmpty ? nil : String(decoding: letters, as: UTF8.self)
    }
}
