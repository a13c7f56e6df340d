/// Derives the search keys of names and their readings: the display-independent form of any
/// name text, the strong and loose phonetic keys of a kana reading, and kana from romaji.
///
/// ```
/// fold("ｻﾄｳ　ﾕｳｷ")             == "サトウユウキ"
/// readingKey("さとー ゆーき")  == "サトウユウキ"
/// looseKey("オオノ")           == "オノ"   (== looseKey("オウノ"), looseKey(kana(fromRomaji: "OHNO")!))
/// kana(fromRomaji: "SATOH")    == "サトウ"
/// ```
///
/// Script conversions are ICU transforms from the system ICU (`Any-NFKC`, `Hiragana-Katakana`,
/// `Any-Upper`, `Latin-Katakana`, `Latin-ASCII`); what ICU has no transform for (the phonetic
/// folds, passport and Kunrei romaji) is written in Swift beside this file.
///
/// Every result is composed (NFC: `ガ` is U+30AC, never `カ` + U+3099), so keys can be compared
/// byte by byte, as SQLite does; Swift's `==` would hide the difference.
///
/// Safe to share between threads: each ICU transform is a small pool of transliterators, each
/// used under its own lock (`SharedTransliterator`). Opening them takes about 25 ms, so make
/// one normaliser and keep it. Text that is already folded (clean katakana, capitals, common
/// kanji) skips ICU altogether.
///
/// See https://unicode-org.github.io/icu/userguide/transforms/general/ for the transforms.
package struct NameNormalizer: Sendable {
    /// NFKC (widths, ㍻ → 平成, ｶﾞ → ガ), hiragana to katakana (ゝ → ヽ), Latin letters to capitals.
    let foldTransform: SharedTransliterator
    /// ICU's reading of romaji as katakana, after `romajiWords(_:)` has prepared it.
    let romajiTransform: SharedTransliterator
    /// Latin letters with diacritics to ASCII (æ → ae, ø → o), for the rare romaji that needs it.
    let latinASCIITransform: SharedTransliterator

    /// Opens the ICU transliterators (about 25 ms).
    /// - Throws: `ICUError` when the system ICU lacks one of the transforms.
    package init() throws {
        foldTransform = try SharedTransliterator("Any-NFKC; Hiragana-Katakana; [:Latin:] Any-Upper")
        romajiTransform = try SharedTransliterator("Latin-Katakana")
        latinASCIITransform = try SharedTransliterator("Latin-ASCII", copies: 1)
    }

    /// The display-independent form of any name text, for comparing what was written.
    ///
    /// - NFKC: full-width Latin and digits to ASCII, half-width katakana to full-width with the
    ///   voiced marks composed (`ｶﾞ` → `ガ`, `ﾊﾟ` → `パ`, `ｳﾞ` → `ヴ`), `㍻` → `平成`, a lone `゛` joined
    ///   to the kana before it.
    /// - Hiragana to katakana (`ゝゞ` → `ヽヾ`, `ゕゖ` → `ヵヶ`); Latin letters to capitals.
    /// - Removed: every space (any width, tabs, line breaks, zero-width ones), control and format
    ///   characters, middle dots (`・ ･ ·`), `=` and `゠` (double-name separators).
    /// - The prolonged sound mark: `ー` (and `ｰ`) is kept after a katakana. A dash or wave that
    ///   directly follows a katakana (`-`, `－`, `‐`, `–`, `—`, `―`, `−`, `─`, `~`, `～`, `〜`) is read
    ///   as a mistyped `ー`, since that is by far its commonest use in a reading (`サト－` → `サトー`);
    ///   anywhere else (between Latin letters, after kanji, at the start) a dash or `ー` is a
    ///   separator and is removed (`JEAN-PIERRE`, `ＪＥＡＮーＰＩＥＲＲＥ` → `JEANPIERRE`). A hyphen
    ///   separating two katakana names (`ジャン－ピエール`) thus becomes `ー`; the reading keys drop it
    ///   after `ン` and the loose key drops the vowel it becomes, so such names still match loosely.
    /// - Apostrophes (`’ ‘ ʼ ＇ \``) become `'` and are kept: in romaji `KEN'ICHI` is `ケンイチ`.
    /// - Kept as they are: kanji (variants are folded elsewhere, though NFKC maps CJK compatibility
    ///   ideographs to their unified forms), iteration marks (`々 ヽ ヾ`), digits, other punctuation.
    package func fold(_ text: String) -> String {
        if let folded = Self.alreadyFolded(text) { return folded }
        return foldWithICU(text)
    }

    /// The strong phonetic key of a reading (any kana, any width, or mixed): folded, then
    ///
    /// - `ヂ` → `ジ`, `ヅ` → `ズ`, `ヲ` → `オ`, `ヰ` → `イ`, `ヱ` → `エ`;
    /// - `ヴァ ヴィ ヴゥ ヴェ ヴォ` → `バ ビ ブ ベ ボ`, `ヴ` → `ブ` (and `ヷ ヸ ヹ ヺ` → `バ ビ ベ ボ`);
    /// - small kana to full size (`ァィゥェォ ャュョ ッ ヮ ヵヶ ㇰ…ㇿ`): `シュ` → `シユ`, `キャ` → `キヤ`;
    /// - `ヽ` repeats the kana before it, `ヾ` repeats it voiced (`スヾ` → `スズ`); `々` is left alone;
    /// - `ー` becomes the vowel it lengthens, spelled as long vowels usually are in names: after
    ///   the a row `ア`, the i and e rows `イ` (`セーラ` → `セイラ`), the u and o rows `ウ`
    ///   (`サトー` → `サトウ`); after `ン`, at the start, or after anything not kana it is dropped.
    ///
    /// So `ユーキ` and `ユウキ`, `サトー` and `サトウ` share a key; `オオノ` and `オウノ` do not.
    /// Characters that are not kana (kanji, Latin letters) are kept as folded.
    package func readingKey(_ kana: String) -> String {
        Self.strongKey(ofFolded: fold(kana))
    }

    /// The weak phonetic key of a reading, for long-vowel differences: `readingKey(_:)` without
    /// each vowel kana that only lengthens the kana before it (`ア` after the a row, `イ` after the
    /// i and e rows, `ウ` after the u and o rows, `エ` after the e row, `オ` after the o row).
    ///
    /// `ユウキ`, `ユーキ`, `ユキ` → `ユキ`; `オオノ`, `オウノ`, `オーノ`, `オノ` → `オノ`; `コウイチ` →
    /// `コイチ`. It also merges names that differ only in such a vowel (`ケイ` → `ケ`, `サトウ` and
    /// `サト`): the loose key is for ranking weaker matches and for passport romaji, which drops
    /// long vowels, never for deciding two names are the same.
    package func looseKey(_ kana: String) -> String {
        Self.looseKey(ofStrongKey: readingKey(kana))
    }

    /// Katakana for a name in romaji (Hepburn, Kunrei, passport spellings, any case or width), or
    /// nil when the text has letters of another script or no letters at all.
    ///
    /// Before ICU's `Latin-Katakana` reads it, the romaji is brought to the Hepburn it expects:
    /// passport `OH` before a consonant or at the end is a long O (`OHNO` → `オウノ`, `SATOH` →
    /// `サトウ`; `OHASHI` stays `オハシ`), `M` before B, M, P is `ン` (`HOMMA` → `ホンマ`), `NN`
    /// before a vowel is `ン` + N (`JUNNICHI` → `ジュンニチ`), Kunrei and wāpuro spellings become
    /// Hepburn (`SI ZI TI TU HU` → `SHI JI CHI TSU FU`, `SYA TYA ZYA JYA` → `SHA CHA JA JA`), macrons
    /// and circumflexes double the vowel (`YŪKI` → `ユウキ`, `Ō` → `オウ`), and the few foreign
    /// syllables ICU misreads get a full-size vowel with the same reading key (`WI` → `ウイ`, not
    /// `ヰ`; `TSA` → `ツア`; `DU` → `ドウ`; `YE` → `イエ`). A hyphen or apostrophe
    /// separates syllables (`KEN'ICHI`, `KEN-ICHI` → `ケンイチ`); without one, `N` before a vowel
    /// starts a syllable (`KENICHI` → `ケニチ`, `SHINYA` → `シニャ`), as in Hepburn.
    ///
    /// Words stay separated by one space (`SATO YUKI` → `サト ユキ`). Passport romaji loses long
    /// vowels (`ONO` may be `オオノ`), so compare its kana through `looseKey(_:)`.
    package func kana(fromRomaji text: String) -> String? {
        guard let words = romajiWords(text) else { return nil }
        return Self.katakanaWords(romajiTransform(words))
    }

    /// The katakana readings romaji may stand for, most likely first: `kana(fromRomaji:)`, then
    /// readings that differ in one ambiguous spelling, then in two, up to `limit` readings:
    ///
    /// - an `N` after a vowel and before a vowel or Y read as `ン` (Hepburn would write `N'`, but
    ///   passports never do): `KENICHI` → `[ケニチ, ケンイチ]`, `SHINYA` → `[シニャ, シンヤ]`;
    /// - `TI`, `TU` read as the foreign ティ, トゥ (spelled テイ, トウ) instead of Kunrei チ, ツ:
    ///   `MATIN` → `[マチン, マテイン]`;
    /// - `OH` before a vowel read as a long O, as passports that mark long vowels write it:
    ///   `SHOHICHI` → `[ショヒチ, ショウイチ]`.
    ///
    /// Many candidates are not names (`KANAKO` → `[カナコ, カンアコ]`), which is harmless when they
    /// are used to look names up. Empty when the text is not romaji.
    package func kanaCandidates(fromRomaji text: String, limit: Int = 4) -> [String] {
        guard let letters = romajiLetters(text) else { return [] }
        var spellings = Self.syllabicNSpellings(of: Self.hepburnWords(letters, foreignT: false))
        let longO = letters.map(Self.longOBeforeVowel)
        if longO != letters {
            spellings.append((1, Self.hepburnWords(longO, foreignT: false)))
        }
        let foreign = Self.hepburnWords(letters, foreignT: true)
        if foreign != spellings[0].spelling {
            spellings += Self.syllabicNSpellings(of: foreign).map { ($0.changes + 1, $0.spelling) }
        }
        let ordered = spellings.enumerated()
            .sorted { ($0.element.changes, $0.offset) < ($1.element.changes, $1.offset) }
            .map(\.element.spelling)
        var candidates: [String] = []
        for spelling in ordered {
            guard candidates.count < max(1, limit) else { break }
            if let kana = Self.katakanaWords(romajiTransform(spelling)), !candidates.contains(kana) {
                candidates.append(kana)
            }
        }
        return candidates
    }

    /// The script of `text` once folded. 々 counts as kanji; ー, ヽ and ヾ as kana; digits,
    /// punctuation and symbols are ignored.
    package func script(of text: String) -> NameScript {
        NameScript(classifying: fold(text))
    }
}
