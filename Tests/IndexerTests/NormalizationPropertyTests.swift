import Foundation
import Indexer
import MimamoriTesting
import Testing

/// Properties of `NameNormalizer` over seeded random text: idempotence, agreement between the
/// kana kinds and widths, agreement with Foundation's ICU, and no failure on any input.
struct NormalizationPropertyTests {
    let normalizer: NameNormalizer

    init() throws {
        normalizer = try sharedNameNormalizer.get()
    }

    @Test("folding twice changes nothing", arguments: NameAlphabet.allCases)
    func foldIsIdempotent(alphabet: NameAlphabet) {
        var generator = SplitMix64(seed: 1)
        for _ in 0..<2000 {
            let text = alphabet.randomText(using: &generator)
            let once = normalizer.fold(text)
            #expect(ExactText(normalizer.fold(once)) == ExactText(once), "\(text.debugDescription) → \(once.debugDescription)")
        }
    }

    @Test("the reading keys are idempotent", arguments: NameAlphabet.allCases)
    func keysAreIdempotent(alphabet: NameAlphabet) {
        var generator = SplitMix64(seed: 2)
        for _ in 0..<2000 {
            let text = alphabet.randomText(using: &generator)
            let strong = normalizer.readingKey(text)
            let loose = normalizer.looseKey(text)
            #expect(ExactText(normalizer.readingKey(strong)) == ExactText(strong), "\(text.debugDescription) → \(strong.debugDescription)")
            #expect(ExactText(normalizer.looseKey(loose)) == ExactText(loose), "\(text.debugDescription) → \(loose.debugDescription)")
            #expect(ExactText(normalizer.looseKey(strong)) == ExactText(loose), "\(text.debugDescription)")
        }
    }

    @Test("hiragana, katakana and half-width katakana give the same reading keys")
    func kanaKindsAgree() throws {
        let halfWidth = try Transliterator("Fullwidth-Halfwidth")
        var generator = SplitMix64(seed: 3)
        for _ in 0..<3000 {
            let katakana = NameAlphabet.katakana.randomText(using: &generator)
            let hiragana = Self.hiragana(katakana)
            let half = halfWidth(katakana)
            let key = normalizer.readingKey(katakana)
            #expect(ExactText(normalizer.readingKey(hiragana)) == ExactText(key), "\(katakana) / \(hiragana)")
            #expect(ExactText(normalizer.readingKey(half)) == ExactText(key), "\(katakana) / \(half)")
            #expect(ExactText(normalizer.looseKey(hiragana)) == ExactText(normalizer.looseKey(katakana)))
            #expect(ExactText(normalizer.fold(hiragana)) == ExactText(normalizer.fold(katakana)), "\(katakana) / \(hiragana)")
            #expect(ExactText(normalizer.fold(half)) == ExactText(normalizer.fold(katakana)), "\(katakana) / \(half)")
        }
    }

    @Test("the shortcut for already folded text agrees with the full fold")
    func shortcutAgrees() {
        // A leading space is removed by the fold but forces the full path through ICU.
        var generator = SplitMix64(seed: 4)
        for _ in 0..<3000 {
            let text = NameAlphabet.folded.randomText(using: &generator)
            #expect(ExactText(normalizer.fold(text)) == ExactText(normalizer.fold(" " + text)), "\(text.debugDescription)")
        }
    }

    @Test("reading keys hold only katakana for kana input")
    func keysAreKatakana() {
        var generator = SplitMix64(seed: 5)
        for _ in 0..<3000 {
            let text = NameAlphabet.katakana.randomText(using: &generator)
            for key in [normalizer.readingKey(text), normalizer.looseKey(text)] {
                // Full-size katakana only: no small kana, no ー, no ヂヅヲヰヱヴ, except a ヽ/ヾ with nothing before it.
                let allowed = Set("アイウエオカキクケコガギグゲゴサシスセソザジズゼゾタチツテトダデドナニヌネノハヒフヘホバビブベボパピプペポマミムメモヤユヨラリルレロワンヽヾ".unicodeScalars)
                #expect(key.unicodeScalars.allSatisfy(allowed.contains), "\(text) → \(key)")
                let afterLeadingMarks = key.drop { $0 == "ヽ" || $0 == "ヾ" }
                #expect(!afterLeadingMarks.contains("ヽ") && !afterLeadingMarks.contains("ヾ"), "\(text) → \(key)")
            }
        }
    }

    @Test("fold agrees with Foundation's ICU on kana, kanji and full-width text")
    func foldAgreesWithFoundation() {
        let transform = StringTransform(rawValue: "Any-NFKC; Hiragana-Katakana")
        var samples = [
            "ｻﾄｳ", "ｶﾞｸ", "ﾊﾟﾝ", "ｳﾞｨｰｶﾞﾝ", "さとう", "ゆーき", "みすゞ", "こゝろ", "ゔ", "佐藤", "佐々木", "髙橋",
            "㍻", "㋿", "２０１８", "ＮＧＵＹＥＮ", "ＳＡＴＯ", "ﾔﾏﾀﾞﾀﾛｳ", "ｷｬｯﾁｬｰ", "ヴィーガン", "ゟ", "ヿ", "①",
        ]
        var generator = SplitMix64(seed: 6)
        for _ in 0..<300 {
            samples.append(NameAlphabet.kanaAndKanji.randomText(using: &generator))
        }
        for sample in samples {
            guard let foundation = sample.applyingTransform(transform, reverse: false) else {
                Issue.record("Foundation failed on \(sample)")
                continue
            }
            // What fold adds: capitals, no ー or spaces after anything but katakana, small ゕゖ as katakana.
            #expect(ExactText(normalizer.fold(sample)) == ExactText(foundation.uppercased()), "\(sample)")
        }
    }

    @Test("no input makes the normaliser fail, and no key keeps a space", arguments: NameAlphabet.allCases)
    func anyInput(alphabet: NameAlphabet) {
        var generator = SplitMix64(seed: 7)
        for _ in 0..<1000 {
            let text = alphabet.randomText(using: &generator)
            let outputs = [normalizer.fold(text), normalizer.readingKey(text), normalizer.looseKey(text)]
            for output in outputs {
                #expect(!output.unicodeScalars.contains { $0.properties.isWhitespace }, "\(text.debugDescription)")
            }
            if let kana = normalizer.kana(fromRomaji: text) {
                #expect(!kana.isEmpty && !kana.hasPrefix(" ") && !kana.hasSuffix(" ") && !kana.contains("  "))
            }
            _ = normalizer.script(of: text)
        }
    }

    @Test(
        "very long text, lone marks and odd characters pass through whole",
        arguments: [
            String(repeating: "ｻﾄｳ ﾕｳｷ・", count: 2000), String(repeating: "ー", count: 10_000),
            String(repeating: "\u{3099}", count: 10_000), String(repeating: "ヽ", count: 10_000),
            String(repeating: "SATOH ", count: 2000), String(repeating: "㍻", count: 10_000), "\u{0301}", "\u{3099}サ",
            "\u{0000}\u{0001}\u{007F}", "👨‍👩‍👧‍👦", "🇯🇵", "\u{FFFD}", "\u{10FFFF}", "\u{E000}", "\u{202E}サトウ",
        ])
    func extremeInput(text: String) {
        let folded = normalizer.fold(text)
        #expect(ExactText(normalizer.fold(folded)) == ExactText(folded))
        let strong = normalizer.readingKey(text)
        #expect(ExactText(normalizer.readingKey(strong)) == ExactText(strong))
        #expect(!folded.contains(" ") && !folded.contains("\u{3000}"))
        _ = normalizer.kana(fromRomaji: text)
        _ = normalizer.looseKey(text)
    }

    @Test("many threads share one normaliser and get the answers of one thread")
    func concurrentUse() async {
        var generator = SplitMix64(seed: 8)
        let inputs = (0..<400).map { index in
            index.isMultiple(of: 2)
                ? NameAlphabet.katakana.randomText(using: &generator) : NameAlphabet.latin.randomText(using: &generator)
        }
        let normalizer = normalizer
        let expected = inputs.map { [normalizer.fold($0), normalizer.readingKey($0), normalizer.kana(fromRomaji: $0) ?? "-"] }
        let results = await withTaskGroup(of: (Int, [String]).self) { group in
            for (index, input) in inputs.enumerated() {
                group.addTask {
                    (index, [normalizer.fold(input), normalizer.readingKey(input), normalizer.kana(fromRomaji: input) ?? "-"])
                }
            }
            var results = [[String]](repeating: [], count: inputs.count)
            for await (index, result) in group { results[index] = result }
            return results
        }
        #expect(results.map { $0.map(ExactText.init) } == expected.map { $0.map(ExactText.init) })
    }

    /// `サトウ` → `さとう`: the katakana that have hiragana shifted to it (ヽヾ too).
    static func hiragana(_ katakana: String) -> String {
        var result = String.UnicodeScalarView()
        for scalar in katakana.unicodeScalars {
            if (0x30A1...0x30F6).contains(scalar.value) || (0x30FD...0x30FE).contains(scalar.value),
                let shifted = Unicode.Scalar(scalar.value - 0x60)
            {
                result.append(shifted)
            } else {
                result.append(scalar)
            }
        }
        return String(result)
    }
}

/// Pools of characters that random test text is drawn from.
enum NameAlphabet: CaseIterable, Sendable, CustomTestStringConvertible {
    /// Katakana with small kana, ー, ヽヾ: readings.
    case katakana
    /// Kana, kanji, half-width and full-width characters, without spaces or dashes.
    case kanaAndKanji
    /// Upper- and lower-case Latin with diacritics, spaces, apostrophes and hyphens.
    case latin
    /// Only what `fold` leaves as it is.
    case folded
    /// A bit of everything that names are written with, separators and marks included.
    case names
    /// Any Unicode scalar: controls, lone combining marks, emoji, private use, unassigned.
    case anyScalar

    var testDescription: String { "\(self)" }

    private static let katakanaPool = Array(
        "アイウエオカキクケコガギグゲゴサシスセソザジズゼゾタチツテトダヂヅデドナニヌネノハヒフヘホバビブベボパピプペポマミムメモヤユヨラリルレロワヰヱヲンヴァィゥェォャュョッヮヵヶーーーヽヾ".unicodeScalars)
    private static let kanaAndKanjiPool = Array(
        "あいうえおかがきぎくぐけげこごさざしじすずせぜそぞただちぢっつづてでとどなにぬねのはばぱひびぴふぶぷへべぺほぼぽまみむめもゃやゅゆょよらりるれろゎわゐゑをんゔゝゞ佐藤鈴木高橋髙﨑渡邊齋々〆ｱｲｳｴｵｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾅﾆﾇﾈﾉﾊﾋﾌﾍﾎﾏﾐﾑﾒﾓﾔﾕﾖﾗﾘﾙﾚﾛﾜｦﾝｧｨｩｪｫｬｭｮｯﾞﾟ０１２ＡＢＣＮＧ㍻㋿"
            .unicodeScalars)
    private static let latinPool = Array(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZaeiouaeiounnhhoooouuuāīūēōâîûêôÄéñøßæ  '-’ＳＡＴＯｓａｔｏ"
            .unicodeScalars)
    private static let foldedPool = Array(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'アイウエオカガキャュョッンヴーーヽヾ佐藤々〆〇㐀鿿".unicodeScalars)
    private static let namesPool = Array(
        "サトウゆうきｻﾄｳﾕｰｷ佐々木髙橋SATOHsato ー－-‐—―〜～─・･=゠\u{3000}\u{00A0}\u{200B}\u{FEFF}\t\n゛゜\u{3099}\u{309A}\u{0301}\u{0304}ヽヾゝゞ㍻ＡＢｶﾞﾊﾟ'’ｰ"
            .unicodeScalars)

    func randomText(using generator: inout SplitMix64) -> String {
        let length = generator.next(in: 0...12)
        var scalars = String.UnicodeScalarView()
        for _ in 0..<length {
            switch self {
            case .katakana: scalars.append(Self.pick(Self.katakanaPool, &generator))
            case .kanaAndKanji: scalars.append(Self.pick(Self.kanaAndKanjiPool, &generator))
            case .latin: scalars.append(Self.pick(Self.latinPool, &generator))
            case .folded: scalars.append(Self.pick(Self.foldedPool, &generator))
            case .names: scalars.append(Self.pick(Self.namesPool, &generator))
            case .anyScalar: scalars.append(Self.anyScalar(&generator))
            }
        }
        return String(scalars)
    }

    private static func pick(_ pool: [Unicode.Scalar], _ generator: inout SplitMix64) -> Unicode.Scalar {
        pool[generator.next(in: 0...(pool.count - 1))]
    }

    /// A scalar from the whole code space, weighted towards the blocks with marks and kana.
    private static func anyScalar(_ generator: inout SplitMix64) -> Unicode.Scalar {
        let ranges: [ClosedRange<UInt32>] = [
            0x0...0x7F, 0x80...0x2FF, 0x300...0x36F, 0x370...0x1FFF, 0x2000...0x206F, 0x3000...0x30FF,
            0x3100...0x33FF, 0x4E00...0x9FFF, 0xD7B0...0xD7FF, 0xE000...0xF8FF, 0xF900...0xFFFF, 0x1F300...0x1FAFF,
            0x10000...0x10FFFF,
        ]
        let range = ranges[generator.next(in: 0...(ranges.count - 1))]
        while true {
            let value = range.lowerBound + UInt32(generator.next(in: 0...Int(range.upperBound - range.lowerBound)))
            if let scalar = Unicode.Scalar(value) { return scalar }  // skips surrogates
            _ = generator.next()
        }
    }
}
