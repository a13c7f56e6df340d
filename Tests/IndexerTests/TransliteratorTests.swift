import Foundation
import Indexer
import Testing

struct TransliteratorTests {
    @Test(
        "system ICU transliterates kana and widths",
        arguments: [
            ("Katakana-Hiragana", "サトウ ユウキ", "さとう ゆうき"),
            ("Hiragana-Katakana", "さくら", "サクラ"),
            ("Any-NFKC", "ｻﾄｳ ｶﾞｸ", "サトウ ガク"),
            ("Any-NFKC", "２０１８／４／１", "2018/4/1"),
            ("Any-NFKC; Hiragana-Katakana", "ﾔﾏﾀﾞ　たろう", "ヤマダ タロウ"),
            ("Latin-Katakana", "satou yuuki", "サトウ ユウキ"),
        ])
    func transliterates(id: String, input: String, expected: String) throws {
        let transliterator = try Transliterator(id)
        #expect(transliterator(input) == expected)
    }

    @Test("an unknown transform ID is a clear error, not a crash")
    func unknownID() {
        #expect(throws: ICUError.self) { try Transliterator("Klingon-Katakana") }
    }

    @Test("the linked ICU is Debian's system ICU, not Foundation's private copy")
    func linkedICUIsSystemICU() {
        // Debian 12 ships ICU 72; Foundation on Linux carries ICU 76 under other symbol names.
        #expect(ICUError.libraryVersion.hasPrefix("72."))
    }

    @Test("Foundation's own ICU still works beside the system ICU and agrees with it")
    func foundationICUAgrees() throws {
        let samples = ["ｻﾄｳ ﾀﾛｳ", "サトウ　ハナコ", "ＮＧＵＹＥＮ ＡＮ", "ヴィーガン", "ｶﾞｷﾞｸﾞ"]
        let system = try Transliterator("Any-NFKC; Katakana-Hiragana")
        for sample in samples {
            let foundation = sample.applyingTransform(
                StringTransform(rawValue: "Any-NFKC; Katakana-Hiragana"), reverse: false)
            #expect(foundation == system(sample), "\(sample)")
        }
    }

    @Test("long input grows the buffer instead of truncating")
    func longInput() throws {
        let transliterator = try Transliterator("Any-NFKC")
        let input = String(repeating: "㍻", count: 5000)  // each expands to two characters
        #expect(transliterator(input) == String(repeating: "平成", count: 5000))
    }
}
