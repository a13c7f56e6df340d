import MimamoriTesting
import Store
import Testing

// MARK: - Tables

/// Input as typed → the ISO form of the date it means.
private let westernCases: [(String, String)] = [
    ("2018-04-01", "2018-04-01"),
    ("2018-4-1", "2018-04-01"),
    ("2018-04-1", "2018-04-01"),
    ("2018/04/01", "2018-04-01"),
    ("2018/4/1", "2018-04-01"),
    ("2018.4.1", "2018-04-01"),
    ("2018.04.01", "2018-04-01"),
    ("20180401", "2018-04-01"),
    ("2018年4月1日", "2018-04-01"),
    ("2018年04月01日", "2018-04-01"),
    ("2018年4月1", "2018-04-01"),
    ("2018年4月", "2018-04"),
    ("2018年", "2018"),
    ("2018-04", "2018-04"),
    ("2018-4", "2018-04"),
    ("2018/4", "2018-04"),
    ("2018/04", "2018-04"),
    ("2018.4", "2018-04"),
    ("201804", "2018-04"),
    ("2018", "2018"),
    ("2018-12-31", "2018-12-31"),
    ("2018/1/31", "2018-01-31"),
    ("2018年12月", "2018-12"),
    ("2018年2月28日", "2018-02-28"),
    ("20181231", "2018-12-31"),
    ("201812", "2018-12"),
    ("2000-02-29", "2000-02-29"),
    ("2024/2/29", "2024-02-29"),
    ("20240229", "2024-02-29"),
    ("1900-02-28", "1900-02-28"),
    ("1868-01-01", "1868-01-01"),
    ("1850", "1850"),
    ("0001-01-01", "0001-01-01"),
    ("9999-12-31", "9999-12-31"),
    // Full-width digits and punctuation, odd dashes, spaces.
    ("２０１８－０４－０１", "2018-04-01"),
    ("２０１８／４／１", "2018-04-01"),
    ("２０１８．４．１", "2018-04-01"),
    ("２０１８０４０１", "2018-04-01"),
    ("２０１８年４月１日", "2018-04-01"),
    ("２０１８年４月", "2018-04"),
    ("２０１８", "2018"),
    ("2018−04−01", "2018-04-01"),
    ("2018–04–01", "2018-04-01"),
    ("2018ー04ー01", "2018-04-01"),
    ("2018‐4‐1", "2018-04-01"),
    ("　2018-04-01　", "2018-04-01"),
    (" 2018/4/1 ", "2018-04-01"),
    ("\t2018-04-01\n", "2018-04-01"),
    ("2018 年 4 月 1 日", "2018-04-01"),
    ("2018　年　4　月　1　日", "2018-04-01"),
    ("2018 - 04 - 01", "2018-04-01"),
    ("\u{FEFF}2018-04-01", "2018-04-01"),
    // 西暦 and kanji numerals.
    ("西暦2018年4月1日", "2018-04-01"),
    ("西暦 2018年", "2018"),
    ("西暦2018-04-01", "2018-04-01"),
    ("二〇一八年四月一日", "2018-04-01"),
    ("二〇一八年十二月三十一日", "2018-12-31"),
    ("二○一八年十月十日", "2018-10-10"),
    ("二〇一八年", "2018"),
]

private let eraCases: [(String, String)] = [
    // Letters.
    ("H30.4.1", "2018-04-01"),
    ("H30/4/1", "2018-04-01"),
    ("H30-4-1", "2018-04-01"),
    ("h30.4.1", "2018-04-01"),
    ("H30.04.01", "2018-04-01"),
    ("H30.4", "2018-04"),
    ("H30/4", "2018-04"),
    ("H30", "2018"),
    ("h30", "2018"),
    ("H.30.4.1", "2018-04-01"),
    ("H 30 . 4 . 1", "2018-04-01"),
    ("H30年4月1日", "2018-04-01"),
    ("R1.5.1", "2019-05-01"),
    ("R01.05.01", "2019-05-01"),
    ("r1.5.1", "2019-05-01"),
    ("R元.5.1", "2019-05-01"),
    ("R元.5", "2019-05"),
    ("R元", "2019"),
    ("R6.2.29", "2024-02-29"),
    ("R82.12.31", "2100-12-31"),
    ("S64.1.7", "1989-01-07"),
    ("s64.1.7", "1989-01-07"),
    ("S50.10.10", "1975-10-10"),
    ("T10.3.3", "1921-03-03"),
    ("t10", "1921"),
    ("M30.6.15", "1897-06-15"),
    ("m30", "1897"),
    ("Ｈ３０．４．１", "2018-04-01"),
    ("ｈ３０／４／１", "2018-04-01"),
    ("Ｒ元．５．１", "2019-05-01"),
    // Kanji names.
    ("平成30年4月1日", "2018-04-01"),
    ("平成30年4月", "2018-04"),
    ("平成30年", "2018"),
    ("平成30年4月1", "2018-04-01"),
    ("平成元年5月1日", "1989-05-01"),
    ("令和元年5月1日", "2019-05-01"),
    ("令和元年", "2019"),
    ("令和元年5月", "2019-05"),
    ("令和6年2月29日", "2024-02-29"),
    ("平成３０年４月１日", "2018-04-01"),
    ("平成 30 年 4 月 1 日", "2018-04-01"),
    ("令和 元 年 5 月 1 日", "2019-05-01"),
    ("平成　３０年　４月　１日", "2018-04-01"),
    ("平成30.4.1", "2018-04-01"),
    ("平成30", "2018"),
    ("平30.4.1", "2018-04-01"),
    ("昭64.1.7", "1989-01-07"),
    ("昭和50年10月10日", "1975-10-10"),
    ("大正10年3月3日", "1921-03-03"),
    ("明治30年6月15日", "1897-06-15"),
    ("平成三十年四月一日", "2018-04-01"),
    ("令和元年五月一日", "2019-05-01"),
    ("平成三十一年四月三十日", "2019-04-30"),
    ("昭和六十四年一月七日", "1989-01-07"),
    ("平成十年十月十日", "1998-10-10"),
    ("平成二年二月二十八日", "1990-02-28"),
    // Ligatures.
    ("㍻30.4.1", "2018-04-01"),
    ("㍻30年4月1日", "2018-04-01"),
    ("㍻30", "2018"),
    ("㋿1.5.1", "2019-05-01"),
    ("㋿元年5月1日", "2019-05-01"),
    ("㋿元.5.1", "2019-05-01"),
    ("㍼64.1.7", "1989-01-07"),
    ("㍽10.3.3", "1921-03-03"),
    ("㍾30.6.15", "1897-06-15"),
]

/// The first and last day of every era, its first and last month and year, in each form.
private let boundaryCases: [(String, String)] = [
    // 明治 1868-01-25 – 1912-07-29
    ("M1.1.25", "1868-01-25"), ("明治元年1月25日", "1868-01-25"), ("㍾1.1.25", "1868-01-25"),
    ("M1.1", "1868-01"), ("M1", "1868"), ("明治元年", "1868"),
    ("M45.7.29", "1912-07-29"), ("明治45年7月29日", "1912-07-29"), ("㍾45.7.29", "1912-07-29"),
    ("M45.7", "1912-07"), ("M45", "1912"), ("明治45年", "1912"),
    // 大正 1912-07-30 – 1926-12-24
    ("T1.7.30", "1912-07-30"), ("大正元年7月30日", "1912-07-30"), ("㍽1.7.30", "1912-07-30"),
    ("T1.7", "1912-07"), ("T1", "1912"), ("大正元年", "1912"),
    ("T15.12.24", "1926-12-24"), ("大正15年12月24日", "1926-12-24"), ("㍽15.12.24", "1926-12-24"),
    ("T15.12", "1926-12"), ("T15", "1926"), ("大正15年", "1926"),
    // 昭和 1926-12-25 – 1989-01-07
    ("S1.12.25", "1926-12-25"), ("昭和元年12月25日", "1926-12-25"), ("㍼1.12.25", "1926-12-25"),
    ("S1.12", "1926-12"), ("S1", "1926"), ("昭和元年", "1926"),
    ("S64.1.7", "1989-01-07"), ("昭和64年1月7日", "1989-01-07"), ("㍼64.1.7", "1989-01-07"),
    ("S64.1", "1989-01"), ("S64", "1989"), ("昭和64年", "1989"),
    // 平成 1989-01-08 – 2019-04-30
    ("H1.1.8", "1989-01-08"), ("平成元年1月8日", "1989-01-08"), ("㍻1.1.8", "1989-01-08"),
    ("H1.1", "1989-01"), ("H1", "1989"), ("平成元年", "1989"), ("㍻元年1月8日", "1989-01-08"),
    ("H31.4.30", "2019-04-30"), ("平成31年4月30日", "2019-04-30"), ("㍻31.4.30", "2019-04-30"),
    ("H31.4", "2019-04"), ("H31", "2019"), ("平成31年", "2019"), ("㍻31", "2019"),
    // 令和 2019-05-01 –
    ("R1.5.1", "2019-05-01"), ("令和元年5月1日", "2019-05-01"), ("㋿1.5.1", "2019-05-01"),
    ("R1.5", "2019-05"), ("R1", "2019"), ("令和元年", "2019"),
]

/// Input → facts its error message must contain (the quoted input is checked separately).
private let invalidCases: [(String, [String])] = [
    ("", ["no date given"]),
    ("   ", ["no date given"]),
    ("　", ["no date given"]),
    ("abc", ["\"a\" cannot appear"]),
    ("Heisei 30", ["\"e\" cannot appear"]),
    ("2018-04-01-05", ["too many parts"]),
    ("H30.4.1.2", ["too many parts"]),
    ("12/25/2018", ["ambiguous", "year first: 2018-12-25"]),
    ("25/12/2018", ["ambiguous", "2018-12-25"]),
    ("4/5/2018", ["ambiguous", "year first: 2018-04-05 or 2018-05-04"]),
    ("5/5/2018", ["year first: 2018-05-05"]),
    ("13/13/2018", ["year first: e.g."]),
    ("4/2018", ["year first", "2018-04"]),
    ("18/4/1", ["2-digit year is ambiguous"]),
    ("18-04-01", ["2-digit year"]),
    ("18年4月1日", ["2-digit year"]),
    ("18", ["2-digit year"]),
    ("1/2", ["2-digit year"]),
    ("218-04-01", ["4 digits, not 3"]),
    ("20180-04-01", ["4 digits, not 5"]),
    ("201", ["4 digits, not 3"]),
    ("20185", ["4 digits, not 5"]),
    ("2018040", ["7 digits"]),
    ("99999999999999999999", ["20 digits"]),
    ("2019-02-30", ["2019-02 has 28 days"]),
    ("2018-04-31", ["2018-04 has 30 days"]),
    ("2100-02-29", ["2100-02 has 28 days"]),
    ("20190230", ["2019-02 has 28 days"]),
    ("2018-04-00", ["day 0 does not exist"]),
    ("2018-13-01", ["month 13 does not exist"]),
    ("201813", ["month 13"]),
    ("2018-00", ["month 0"]),
    ("2018年13月", ["month 13"]),
    ("0000-01-01", ["year 0000"]),
    ("0000", ["year 0000"]),
    ("H30.2.29", ["2018-02 has 28 days"]),
    ("平成二年二月二十九日", ["1990-02 has 28 days"]),
    ("R1.2.29", ["2019-02 has 28 days"]),
    ("H31.5.1", ["平成 ended on 2019-04-30", "use R1.5.1"]),
    ("H31/5/1", ["平成 ended on 2019-04-30", "use R1/5/1"]),
    ("平成31年5月1日", ["平成 ended on 2019-04-30", "use 令和元年5月1日"]),
    ("㍻31.5.1", ["平成 ended on 2019-04-30", "use R1.5.1"]),
    ("S64.1.8", ["昭和 ended on 1989-01-07", "use H1.1.8"]),
    ("昭和64年1月8日", ["昭和 ended on 1989-01-07", "use 平成元年1月8日"]),
    ("R1.4.30", ["令和 began on 2019-05-01", "use H31.4.30"]),
    ("令和元年4月30日", ["令和 began on 2019-05-01", "use 平成31年4月30日"]),
    ("T15.12.25", ["大正 ended on 1926-12-24", "use S1.12.25"]),
    ("S1.12.24", ["昭和 began on 1926-12-25", "use T15.12.24"]),
    ("M45.7.30", ["明治 ended on 1912-07-29", "use T1.7.30"]),
    ("T1.7.29", ["大正 began on 1912-07-30", "use M45.7.29"]),
    ("H1.1.7", ["平成 began on 1989-01-08", "use S64.1.7"]),
    ("M1.1.24", ["明治 began on 1868-01-25", "not supported"]),
    ("H31.5", ["平成 ended on 2019-04-30", "use R1.5"]),
    ("R1.4", ["令和 began on 2019-05-01", "use H31.4"]),
    ("S64.2", ["昭和 ended on 1989-01-07", "use H1.2"]),
    ("T15.13", ["month 13"]),
    ("H32", ["平成 ended on 2019-04-30", "use R2"]),
    ("平成32年", ["use 令和2年"]),
    ("S65", ["use H2"]),
    ("M46", ["use T2"]),
    ("H0.4.1", ["no year 0", "H1 (平成元年)"]),
    ("令和0年", ["no year 0"]),
    ("R0", ["no year 0"]),
    ("H300401", ["separators", "H30.4.1"]),
    ("H3004", ["separators", "H30.4"]),
    ("平成300401", ["separators"]),
    ("H030.4.1", ["1 or 2 digits"]),
    ("H", ["era year is missing"]),
    ("平成", ["era year is missing"]),
    ("平成年4月1日", ["era year is missing"]),
    ("元年5月1日", ["needs an era"]),
    ("2018-04-", ["incomplete"]),
    ("2018-4-1-", ["incomplete"]),
    ("2018-04/01", ["mixed separators"]),
    ("2018 04 01", ["separate the parts"]),
    ("2018年4月1日5", ["unexpected text"]),
    ("2018-4-1日", ["not both"]),
    ("2018年4日", ["月"]),
    ("2018-004-01", ["month has 1 or 2 digits, not 3"]),
    ("2018-04-001", ["day has 1 or 2 digits, not 3"]),
    ("二〇一八-四-一", ["kanji numerals need 年"]),
    ("平成三〇十年", ["kanji numeral"]),
    ("平成十十年", ["kanji numeral"]),
    ("西暦平成30年", ["cannot both"]),
    ("西暦", ["needs a year"]),
    ("2018年4月1日生", ["\"生\" cannot appear"]),
    ("2018/4/1 12:00", ["\":\" cannot appear"]),
    ("๒๕๖๑-04-01", ["cannot appear"]),
    ("-2018", ["starts with its year"]),
    ("年", ["starts with its year"]),
    (String(repeating: "x", count: 100), ["too long"]),
    (String(repeating: "1", count: 10_000), ["too long"]),
    ("2018-04-01" + String(repeating: " ", count: 5_000) + "x", ["\"x\" cannot appear"]),
]

/// ISO → 和暦 in kanji, and in the short letter form.
private let renderingCases: [(String, String, String)] = [
    ("2018-04-01", "平成30年4月1日", "H30.4.1"),
    ("2018-04", "平成30年4月", "H30.4"),
    ("2018", "平成30年", "H30"),
    ("2019-05-01", "令和元年5月1日", "R1.5.1"),
    ("2019-05", "令和元年5月", "R1.5"),
    ("2019-04-30", "平成31年4月30日", "H31.4.30"),
    ("2019-04", "平成31年4月", "H31.4"),
    ("2019", "平成31年", "H31"),
    ("2020", "令和2年", "R2"),
    ("1989", "昭和64年", "S64"),
    ("1989-01", "昭和64年1月", "S64.1"),
    ("1989-01-07", "昭和64年1月7日", "S64.1.7"),
    ("1989-01-08", "平成元年1月8日", "H1.1.8"),
    ("1989-02", "平成元年2月", "H1.2"),
    ("1990", "平成2年", "H2"),
    ("1926", "大正15年", "T15"),
    ("1926-12", "大正15年12月", "T15.12"),
    ("1926-12-24", "大正15年12月24日", "T15.12.24"),
    ("1926-12-25", "昭和元年12月25日", "S1.12.25"),
    ("1927", "昭和2年", "S2"),
    ("1912", "明治45年", "M45"),
    ("1912-07", "明治45年7月", "M45.7"),
    ("1912-07-29", "明治45年7月29日", "M45.7.29"),
    ("1912-07-30", "大正元年7月30日", "T1.7.30"),
    ("1912-08", "大正元年8月", "T1.8"),
    ("1868", "明治元年", "M1"),
    ("1868-01", "明治元年1月", "M1.1"),
    ("1868-01-25", "明治元年1月25日", "M1.1.25"),
    ("1868-01-24", "1868年1月24日", "1868-01-24"),
    ("1867", "1867年", "1867"),
    ("2024-02-29", "令和6年2月29日", "R6.2.29"),
    ("2100-12-31", "令和82年12月31日", "R82.12.31"),
]

// MARK: - Tests

struct PartialDateTests {
    @Test("reads ISO, western and compact forms", arguments: westernCases)
    func readsWestern(input: String, expected: String) throws {
        #expect(try PartialDate(parsing: input).iso == expected)
    }

    @Test("reads 和暦 with letters, kanji names and ligatures", arguments: eraCases)
    func readsEra(input: String, expected: String) throws {
        #expect(try PartialDate(parsing: input).iso == expected)
    }

    @Test("reads the first and last day, month and year of every era", arguments: boundaryCases)
    func readsEraBoundaries(input: String, expected: String) throws {
        #expect(try PartialDate(parsing: input).iso == expected)
    }

    @Test("rejects what is not a valid date, saying what is wrong", arguments: invalidCases)
    func rejects(input: String, facts: [String]) {
        let error = #expect(throws: DateError.self) { try PartialDate(parsing: input) }
        guard let message = error?.description else { return }
        for fact in facts {
            #expect(message.contains(fact), "message for \(input.debugDescription): \(message)")
        }
        let trimmed = input.trimmingSpaces
        if !trimmed.isEmpty && trimmed.count <= 40 {
            #expect(message.contains(trimmed.debugDescription), "message quotes the input: \(message)")
        }
    }

    @Test("the example error message of the conventions, word for word")
    func conventionsExample() {
        let error = #expect(throws: DateError.self) { try PartialDate(parsing: "H31.5.1") }
        #expect(error?.description == #""H31.5.1" is not a valid date: 平成 ended on 2019-04-30; use R1.5.1"#)
    }

    @Test("renders 和暦 text, choosing the era in force on the earliest day", arguments: renderingCases)
    func renders(iso: String, kanji: String, short: String) throws {
        let date = try PartialDate(parsing: iso)
        #expect(date.iso == iso)
        #expect(date.japaneseEraText == kanji)
        #expect(date.japaneseEraShortText == short)
        #expect(try PartialDate(parsing: kanji) == date)
        #expect(try PartialDate(parsing: short) == date)
    }

    @Test(
        "knows each era's names, letters and days",
        arguments: [
            (JapaneseEra.meiji, "明治", "M", "㍾", "1868-01-25", "1912-07-29"),
            (.taisho, "大正", "T", "㍽", "1912-07-30", "1926-12-24"),
            (.showa, "昭和", "S", "㍼", "1926-12-25", "1989-01-07"),
            (.heisei, "平成", "H", "㍻", "1989-01-08", "2019-04-30"),
            (.reiwa, "令和", "R", "㋿", "2019-05-01", "-"),
        ])
    func eraFacts(era: JapaneseEra, name: String, letter: String, ligature: String, first: String, last: String) {
        #expect(era.name == name)
        #expect(String(era.letter) == letter)
        #expect(String(era.ligature) == ligature)
        #expect(era.firstDay.iso == first)
        #expect((era.lastDay?.iso ?? "-") == last)
        #expect(era.gregorianYear(1) == era.firstDay.year)
        #expect(JapaneseEra(letter: era.letter) == era)
        #expect(JapaneseEra(letter: Character(letter.lowercased())) == era)
        #expect(JapaneseEra(inForceOn: era.firstDay) == era)
        if let lastDay = era.lastDay {
            #expect(JapaneseEra(inForceOn: lastDay) == era)
            #expect(era.next?.previous == era)
        }
    }

    @Test("converts era years to Gregorian years")
    func gregorianYears() {
        #expect(JapaneseEra.heisei.gregorianYear(30) == 2018)
        #expect(JapaneseEra.reiwa.gregorianYear(1) == 2019)
        #expect(JapaneseEra.showa.gregorianYear(64) == 1989)
        #expect(JapaneseEra.taisho.gregorianYear(15) == 1926)
        #expect(JapaneseEra.meiji.gregorianYear(45) == 1912)
        #expect(JapaneseEra(letter: "X") == nil)
    }

    @Test("round-trips random dates through ISO, kanji 和暦, letter forms and ligatures")
    func roundTrips() throws {
        var random = SplitMix64(seed: 0x5EED_DA7E)
        var checked = 0
        while checked < 3_000 {
            let year = random.next(in: 1868...2100)
            let month = random.next(in: 1...12)
            let day = random.next(in: 1...PartialDate.daysIn(month: month, year: year))
            if (year, month, day) < (1868, 1, 25) { continue }
            let whole = try PartialDate(year: year, month: month, day: day)
            let precision = random.next(in: 0...5)
            let date =
                precision == 0
                ? try PartialDate(year: year)
                : precision == 1 ? try PartialDate(year: year, month: month) : whole
            checked += 1
            #expect(try PartialDate(parsing: date.iso) == date, "\(date.iso)")
            #expect(try PartialDate(parsing: date.japaneseEraText) == date, "\(date.japaneseEraText)")
            #expect(try PartialDate(parsing: date.japaneseEraShortText) == date, "\(date.japaneseEraShortText)")
            guard let written = date.japaneseEra else {
                Issue.record("no era for \(date.iso)")
                continue
            }
            let (era, eraYear) = (written.era, written.year)
            // The same date written by hand in other ways.
            var parts = [String(eraYear)]
            if let month = date.month { parts.append(String(month)) }
            if let day = date.day { parts.append(String(day)) }
            let separator = ["/", "-", "."][random.next(in: 0...2)]
            let variants = [
                String(era.letter).lowercased() + parts.joined(separator: separator),
                String(era.ligature) + parts.joined(separator: separator),
                era.name + " " + parts.joined(separator: " " + separator + " "),
                fullWidth(String(era.letter) + parts.joined(separator: separator)),
                fullWidth(date.japaneseEraText),
                date.iso.split(separator: "-").joined(separator: "/"),
            ]
            for variant in variants {
                #expect(try PartialDate(parsing: variant) == date, "\(variant)")
            }
            if date.day != nil {
                let compact = String(date.iso.filter { $0 != "-" })
                #expect(try PartialDate(parsing: compact) == date, "\(compact)")
            }
        }
    }

    @Test("never traps: random strings return a date or throw DateError")
    func fuzz() {
        var random = SplitMix64(seed: 20_180_401)
        var parsed = 0
        for _ in 0..<5_000 {
            let text = randomDateLikeText(&random)
            do {
                let date = try PartialDate(parsing: text)
                parsed += 1
                // Whatever was accepted is a real date that reads back the same.
                #expect(try PartialDate(parsing: date.iso) == date, "\(text.debugDescription)")
            } catch {
                #expect(!error.description.isEmpty)
            }
        }
        // The generator must produce some valid dates, or the test only exercises errors.
        #expect(parsed > 300)
    }

    @Test("never traps: mutations of valid dates return a date or throw DateError")
    func fuzzMutations() {
        var random = SplitMix64(seed: 7)
        let seeds = (westernCases + eraCases + boundaryCases).map(\.0)
        let pieces = fuzzAlphabet
        for _ in 0..<5_000 {
            var scalars = Array(seeds[random.next(in: 0...(seeds.count - 1))].unicodeScalars)
            for _ in 0...random.next(in: 0...3) {
                let position = random.next(in: 0...scalars.count)
                switch random.next(in: 0...2) {
                case 0:
                    scalars.insert(contentsOf: pieces[random.next(in: 0...(pieces.count - 1))].unicodeScalars, at: position)
                case 1 where position < scalars.count:
                    scalars.remove(at: position)
                default:
                    if position < scalars.count { scalars[position] = randomScalar(&random) }
                }
            }
            var text = ""
            text.unicodeScalars.append(contentsOf: scalars)
            do {
                let date = try PartialDate(parsing: text)
                #expect(try PartialDate(parsing: date.iso) == date, "\(text.debugDescription)")
            } catch {
                #expect(!error.description.isEmpty)
            }
        }
    }

    @Test("a huge input is rejected without reading all of it")
    func hugeInput() {
        let text = String(repeating: "9", count: 2_000_000)
        let error = #expect(throws: DateError.self) { try PartialDate(parsing: text) }
        #expect(error?.description.contains("too long") == true)
        #expect((error?.description.count ?? .max) < 200)
    }
}

// MARK: - Helpers

/// A small seeded generator (SplitMix64), so failures reproduce.
private let fuzzAlphabet: [String] = [
    "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "０", "１", "２", "９",
    "年", "月", "日", "元", "西暦", "西", "暦",
    "M", "T", "S", "H", "R", "m", "t", "s", "h", "r", "Ｈ", "ｒ",
    "明治", "大正", "昭和", "平成", "令和", "明", "大", "昭", "平", "令", "治", "成", "和",
    "㍾", "㍽", "㍼", "㍻", "㋿",
    "〇", "○", "一", "二", "三", "四", "五", "九", "十",
    "-", "/", ".", "－", "／", "．", "ー", "・", "。", "−",
    " ", "　", "\t", "\n", "\u{FEFF}", "\u{200B}",
    "e", ":", "生", "\u{0301}", "🎌", "\u{0000}",
    "2018", "30", "12", "31", "64", "45", "15",
]

private func randomScalar(_ random: inout SplitMix64) -> Unicode.Scalar {
    while true {
        let value = UInt32(random.next(in: 0...0x10FFFF))
        if let scalar = Unicode.Scalar(value) { return scalar }
    }
}

private func randomDateLikeText(_ random: inout SplitMix64) -> String {
    var text = ""
    switch random.next(in: 0...9) {
    case 0:
        // A long digit run, sometimes with something after it.
        text = String(repeating: String(random.next(in: 0...9)), count: random.next(in: 1...40))
        if random.next(in: 0...1) == 0 { text += fuzzAlphabet[random.next(in: 0...(fuzzAlphabet.count - 1))] }
    case 1:
        // Random scalars from the whole of Unicode.
        for _ in 0..<random.next(in: 0...20) { text.unicodeScalars.append(randomScalar(&random)) }
    case 2, 3, 4:
        // Something shaped like a date: an era or none, a year, then parts with separators
        // or units, the numbers mostly in range and sometimes not.
        let eras = ["", "", "", "H", "R", "S", "T", "M", "平成", "令和", "昭和", "㍻", "㋿", "西暦", "r"]
        let era = eras[random.next(in: 0...(eras.count - 1))]
        let separators = ["-", "/", ".", "－", " "]
        let separator = separators[random.next(in: 0...(separators.count - 1))]
        let units = random.next(in: 0...1) == 0
        let year = era.isEmpty || era == "西暦" ? random.next(in: 1800...2100) : random.next(in: 0...70)
        let numbers = [year, random.next(in: 0...13), random.next(in: 0...32)].prefix(random.next(in: 1...3))
        text = era
        for (index, number) in numbers.enumerated() {
            if units {
                text += String(number) + ["年", "月", "日"][index]
            } else {
                text += (index == 0 ? "" : separator) + String(number)
            }
        }
    default:
        for _ in 0..<random.next(in: 0...12) {
            text += fuzzAlphabet[random.next(in: 0...(fuzzAlphabet.count - 1))]
        }
    }
    return text
}

/// The text with ASCII turned into full-width forms (`H30.4.1` → `Ｈ３０．４．１`).
private func fullWidth(_ text: String) -> String {
    var result = ""
    for scalar in text.unicodeScalars {
        if (0x21...0x7E).contains(scalar.value), let wide = Unicode.Scalar(scalar.value + 0xFEE0) {
            result.unicodeScalars.append(wide)
        } else {
            result.unicodeScalars.append(scalar)
        }
    }
    return result
}

extension String {
    fileprivate var trimmingSpaces: String {
        var text = Substring(self)
        while let first = text.first, first.isWhitespace { text.removeFirst() }
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return String(text)
    }
}
