/// Records of one name, 田中 一郎, for the tests of the page of hits: nobody is born on
/// 2010-01-05, but records that could be that person are there (no birthdate, a partial one
/// that fits, plausible slips of it), beside namesakes who cannot be (born on an unrelated
/// day), a different given name born that day, an exact match for 2012-03-03, a loose-reading
/// match for it, namesakes born over twenty years, and 高橋 健 in kanji only (K-only).
package enum NamesakeFixture {
    /// The birthdate nobody in the fixture has.
    package static let absentBirthdate = "2010-01-05"

    /// The records that could be 田中 一郎 born on `absentBirthdate`, by external id, with the
    /// English reason each hit must give for its birthdate.
    package static let plausible: [String: String] = [
        "S-none": "birthdate not recorded",
        "S-month": "birthdate 2010-01 fits 2010-01-05",
        "S-year": "birthdate 2010 fits 2010-01-05",
        "S-digit": "birthdate 2010-01-06 (one digit differs)",
        "S-swap": "birthdate 2010-05-01 (day and month swapped)",
        "S-year1": "birthdate 2009-01-05 (a year apart)",
        "S-era": "birthdate 1947-01-05 (the same year of another era)",
    ]

    /// Every record, as import-format JSON lines.
    package static let lines: [String] = {
        func tanaka(_ id: String, birthdate: String, given: String = "一郎", givenKana: String = "イチロウ", sex: String = "male")
            -> String
        {
            RecordFixture.line(
                id,
                [
                    "child.family_name": RecordFixture.json("田中"), "child.family_name_kana": RecordFixture.json("タナカ"),
                    "child.given_name": given == "null" ? "null" : RecordFixture.json(given),
                    "child.given_name_kana": RecordFixture.json(givenKana), "child.birthdate": birthdate,
                    "child.sex": RecordFixture.json(sex),
                ])
        }
        var lines = [
            tanaka("S-none", birthdate: "null"),
            tanaka("S-month", birthdate: RecordFixture.json("2010-01")),
            tanaka("S-year", birthdate: RecordFixture.json("2010")),
            tanaka("S-digit", birthdate: RecordFixture.json("2010-01-06")),
            tanaka("S-swap", birthdate: RecordFixture.json("2010-05-01")),
            tanaka("S-year1", birthdate: RecordFixture.json("2009-01-05")),
            tanaka("S-era", birthdate: RecordFixture.json("1947-01-05")),
            tanaka("X-far", birthdate: RecordFixture.json("2015-07-20")),
            tanaka("X-other", birthdate: RecordFixture.json(absentBirthdate), given: "花子", givenKana: "ハナコ", sex: "female"),
            tanaka("G-exact", birthdate: RecordFixture.json("2012-03-03")),
            // Only the reading, without its long vowel: a loose match for 一郎.
            tanaka("G-loose", birthdate: RecordFixture.json("2012-03-03"), given: "null", givenKana: "イチロ", sex: "female"),
        ]
        // A name in kanji only, without its reading (健 may be read many ways).
        lines.append(
            RecordFixture.line(
                "K-only",
                [
                    "child.family_name": RecordFixture.json("高橋"), "child.given_name": RecordFixture.json("健"),
                    "child.family_name_kana": "null", "child.given_name_kana": "null", "child.birthdate": RecordFixture.json("2014-12-01"),
                ]))
        for year in 1990..<2010 {
            lines.append(tanaka("Y-\(year)", birthdate: RecordFixture.json("\(year)-\(year % 12 + 1 < 10 ? "0" : "")\(year % 12 + 1)-2\(year % 9)")))
        }
        return lines
    }()
}
