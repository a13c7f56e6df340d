import Testing

@testable import DemoData

struct KanaFormTests {
    @Test(
        "full-width katakana becomes half-width, voiced marks split off",
        arguments: [
            ("サトウ", "ｻﾄｳ"),
            ("ガク", "ｶﾞｸ"),
            ("パピプペポ", "ﾊﾟﾋﾟﾌﾟﾍﾟﾎﾟ"),
            ("ハットリ", "ﾊｯﾄﾘ"),
            ("ユーキ", "ﾕｰｷ"),
            ("ヴィーガン", "ｳﾞｨｰｶﾞﾝ"),
            ("キョウコ", "ｷｮｳｺ"),
            ("ヤマダ　タロウ", "ﾔﾏﾀﾞ ﾀﾛｳ"),
            ("ヲ・ン", "ｦ･ﾝ"),
        ])
    func halfWidth(full: String, half: String) {
        #expect(KanaForm.halfWidth(full) == half)
    }

    @Test(
        "katakana becomes hiragana, the long-vowel mark stays",
        arguments: [
            ("サトウ", "さとう"),
            ("ユーキ", "ゆーき"),
            ("ヴァ", "ゔぁ"),
            ("ヤマダ　タロウ", "やまだ　たろう"),
        ])
    func hiragana(katakana: String, hiragana: String) {
        #expect(KanaForm.hiragana(katakana) == hiragana)
    }
}

struct JapaneseEraTests {
    @Test(
        "dates are written in the era they fall in, with 元年 for year 1 in kanji",
        arguments: [
            (DemoDate(year: 2018, month: 4, day: 1), "H30.4.1", "平成30年4月1日"),
            (DemoDate(year: 2019, month: 4, day: 30), "H31.4.30", "平成31年4月30日"),
            (DemoDate(year: 2019, month: 5, day: 1), "R1.5.1", "令和元年5月1日"),
            (DemoDate(year: 2020, month: 1, day: 1), "R2.1.1", "令和2年1月1日"),
            (DemoDate(year: 1989, month: 1, day: 7), "S64.1.7", "昭和64年1月7日"),
            (DemoDate(year: 1989, month: 1, day: 8), "H1.1.8", "平成元年1月8日"),
            (DemoDate(year: 1926, month: 12, day: 24), "T15.12.24", "大正15年12月24日"),
            (DemoDate(year: 1926, month: 12, day: 25), "S1.12.25", "昭和元年12月25日"),
            (DemoDate(year: 1912, month: 7, day: 29), "M45.7.29", "明治45年7月29日"),
        ])
    func wareki(date: DemoDate, letters: String, kanji: String) {
        #expect(date.warekiLetters == letters)
        #expect(date.warekiKanji == kanji)
    }

    @Test("day numbers and dates convert both ways across leap days")
    func dayNumbers() {
        for day in stride(from: -30000, through: 30000, by: 7) {
            let date = DemoDate(dayNumber: day)
            #expect(date.dayNumber == day)
        }
        #expect(DemoDate(year: 1970, month: 1, day: 1).dayNumber == 0)
        #expect(DemoDate(year: 2024, month: 3, day: 1).dayNumber - DemoDate(year: 2024, month: 2, day: 28).dayNumber == 2)
        #expect(DemoDate(year: 2020, month: 2, day: 29).yearsEarlier(1) == DemoDate(year: 2019, month: 2, day: 28))
        #expect(DemoDate(year: 2018, month: 4, day: 2).age(on: .reference) == 7)
        #expect(DemoDate(year: 2018, month: 4, day: 1).age(on: .reference) == 8)
    }
}

struct PassportRomajiTests {
    @Test(
        "readings are spelt as on a passport",
        arguments: [
            ("サトウ", "SATO"),
            ("オオノ", "ONO"),
            ("オオウチ", "OUCHI"),
            ("イノウエ", "INOUE"),
            ("オオウエ", "OUE"),
            ("コウイチ", "KOICHI"),
            ("シュウイチ", "SHUICHI"),
            ("ユウキ", "YUKI"),
            ("ナンバ", "NAMBA"),
            ("ハットリ", "HATTORI"),
            ("ハッチョウ", "HATCHO"),
            ("キョウコ", "KYOKO"),
            ("ジュンイチ", "JUNICHI"),
            ("シンジ", "SHINJI"),
            ("チヒロ", "CHIHIRO"),
            ("ツヨシ", "TSUYOSHI"),
            ("フミエ", "FUMIE"),
        ])
    func spell(katakana: String, romaji: String) {
        #expect(PassportRomaji.spell(katakana) == romaji)
    }

    @Test(
        "readings are spelt with long vowels, ン and Kunrei as other styles write them",
        arguments: [
            ("サトウ", PassportRomaji.Style(longVowel: .macron), "SATŌ"),
            ("ユウキ", PassportRomaji.Style(longVowel: .macron), "YŪKI"),
            ("サトウ", PassportRomaji.Style(longVowel: .oh), "SATOH"),
            ("オオノ", PassportRomaji.Style(longVowel: .oh), "OHNO"),
            ("サトウ", PassportRomaji.Style(longVowel: .spelledOut), "SATOU"),
            ("オオノ", PassportRomaji.Style(longVowel: .spelledOut), "OONO"),
            ("ナンバ", PassportRomaji.Style(mBeforeLabial: false), "NANBA"),
            ("シンジ", PassportRomaji.Style(kunrei: true), "SINZI"),
            ("チヒロ", PassportRomaji.Style(kunrei: true), "TIHIRO"),
            ("ツヨシ", PassportRomaji.Style(kunrei: true), "TUYOSI"),
            ("フミエ", PassportRomaji.Style(kunrei: true), "HUMIE"),
            ("キョウコ", PassportRomaji.Style(longVowel: .spelledOut, kunrei: true), "KYOUKO"),
            ("ショウタ", PassportRomaji.Style(kunrei: true), "SYOTA"),
            ("ハッチョウ", PassportRomaji.Style(kunrei: true), "HATTYO"),
        ])
    func spell(katakana: String, style: PassportRomaji.Style, romaji: String) {
        #expect(PassportRomaji.spell(katakana, style: style) == romaji)
    }
}

struct SeededRandomTests {
    @Test("draws are uniform enough and stay in range")
    func uniform() {
        var random = SeededRandom(seed: 99)
        var counts = [Int](repeating: 0, count: 10)
        for _ in 0..<100_000 { counts[random.below(10)] += 1 }
        #expect(counts.allSatisfy { (9_500...10_500).contains($0) }, "\(counts)")
        for _ in 0..<1000 { #expect((3...5).contains(random.int(in: 3...5))) }
    }

    @Test("a weighted table draws in proportion to its weights")
    func weighted() {
        var random = SeededRandom(seed: 5)
        let table = WeightedTable<String>([("a", 1), ("b", 3), ("c", 0)])
        var b = 0
        for _ in 0..<40_000 {
            let value = table.draw(&random)
            #expect(value != "c")
            if value == "b" { b += 1 }
        }
        #expect((29_000...31_000).contains(b))
    }

    @Test("the generator is xoshiro256** seeded by SplitMix64: known first outputs")
    func knownOutputs() {
        // Pinning the stream keeps datasets identical across toolchains and refactorings.
        var state: UInt64 = 0
        #expect(SeededRandom.splitMix64(&state) == 0xE220_A839_7B1D_CDAF)
        var random = SeededRandom(seed: 0)
        let first = random.next()
        var again = SeededRandom(seed: 0)
        #expect(again.next() == first)
    }
}
