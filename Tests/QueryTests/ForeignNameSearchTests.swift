import Foundation
import Indexer
import MimamoriTesting
import Query
import Store
import Testing

/// Foreign names across scripts (issue 16 item 2): a child recorded in Latin letters, in
/// katakana only, or in Chinese characters is found by the name typed in the other script or in
/// another katakana transcription, graded at most `likely` for a transcription, with a reason.
@Suite(.serialized)
struct ForeignNameSearchTests {
    /// A child in Tokyo; `nil` kana or romaji are recorded as null.
    private static func child(
        _ externalID: String, _ family: String, _ given: String, kana: (String, String)?, romaji: String?, born: String
    ) -> String {
        RecordFixture.line(
            externalID,
            [
                "child.family_name": RecordFixture.json(family), "child.given_name": RecordFixture.json(given),
                "child.family_name_kana": kana.map { RecordFixture.json($0.0) } ?? "null",
                "child.given_name_kana": kana.map { RecordFixture.json($0.1) } ?? "null",
                "child.romaji": romaji.map { RecordFixture.json($0) } ?? "null", "child.birthdate": RecordFixture.json(born),
            ])
    }

    static let records: [String] = [
        child("F-LATIN", "NGUYEN", "AN", kana: ("グエン", "アン"), romaji: "NGUYEN AN", born: "2017-03-03"),
        child("F-KATAKANA", "グエン", "アン", kana: ("グエン", "アン"), romaji: nil, born: "2018-04-04"),
        child("F-LATIN-ONLY", "NGUYEN", "MINH", kana: nil, romaji: nil, born: "2014-02-02"),
        child("F-PHAM", "PHAM", "MAI", kana: ("ファム", "マイ"), romaji: "PHAM MAI", born: "2016-06-06"),
        child("F-WANG", "王", "芳", kana: ("ワン", "ファン"), romaji: "WANG FANG", born: "2019-09-09"),
        child("F-WANG-KANJI", "王", "芳", kana: nil, romaji: nil, born: "2015-01-15"),
        // The same name with only the year and month of birth recorded: a `possible` hit for a
        // whole birthdate in that month.
        child("F-PARTIAL", "NGUYEN", "AN", kana: ("グエン", "アン"), romaji: "NGUYEN AN", born: "2017-03"),
        child("F-HOANG", "HOANG", "MINH", kana: ("ホアン", "ミン"), romaji: "HOANG MINH", born: "2012-12-12"),
    ]

    static let search: TestSearch = try! TestSearch(lines: records)

    @Test(
        "a child recorded as NGUYEN AN (グエン アン) is found by either script, typed either way, and by other transcriptions",
        arguments: [
            ("グエン アン 2017-03-03", MatchGrade.exact), ("グェン アン 2017-03-03", .exact), ("NGUYEN AN 2017-03-03", .exact),
            ("nguyen an 2017-03-03", .exact), ("ぐえん あん 2017-03-03", .exact), ("ニュエン アン 2017-03-03", .likely),
            ("グウェン アン 2017-03-03", .likely), ("Nguyễn An 2017-03-03", .likely),
        ])
    func latinRecord(q: String, grade: MatchGrade) throws {
        let hits = try Self.search.search(q).hits
        let hit = try #require(hits.first, "no hit for \(q)")
        #expect(hit.externalID == "F-LATIN", "\(q): first hit \(hit.externalID ?? "") \(hit.why)")
        #expect(hit.grade >= grade, "\(q): \(hit.grade) \(hit.why)")
    }

    @Test(
        "a child recorded only in katakana (グエン アン) is found by the Latin name and by other transcriptions",
        arguments: ["NGUYEN AN 2018-04-04", "nguyen an 2018-04-04", "ニュエン アン 2018-04-04", "グェン アン 2018-04-04"])
    func katakanaRecord(q: String) throws {
        let hits = try Self.search.search(q).hits
        let hit = try #require(hits.first, "no hit for \(q)")
        #expect(hit.externalID == "F-KATAKANA", "\(q): first hit \(hit.externalID ?? "") \(hit.why)")
        #expect(hit.grade != .possible, "\(q): \(hit.grade) \(hit.why)")
    }

    @Test("a transcription is at most likely, and its reason says it is another transcription of a foreign name")
    func transcriptionIsLikelyWithReason() throws {
        for q in ["ニュエン アン 2017-03-03", "NGUYEN AN 2018-04-04", "グエン ミン 2014-02-02", "ファン マイ 2016-06-06"] {
            let hit = try #require(try Self.search.search(q).hits.first, "no hit for \(q)")
            #expect(hit.grade == .likely, "\(q): \(hit.grade) \(hit.why)")
            #expect(
                hit.why.contains { $0.description.hasSuffix("(another transcription of a foreign name)") },
                "\(q): \(hit.why.map(\.description))")
        }
    }

    @Test("a Latin name recorded without a reading is found by its katakana", arguments: ["グエン ミン 2014-02-02", "グェン ミン 2014-02-02"])
    func latinOnlyRecord(q: String) throws {
        let hit = try #require(try Self.search.search(q).hits.first, "no hit for \(q)")
        #expect(hit.externalID == "F-LATIN-ONLY", "\(q): \(hit.why)")
    }

    @Test("PHAM (ファム) is found as ファン, ファーム and PHAM", arguments: ["ファン マイ 2016-06-06", "ファーム マイ 2016-06-06", "PHAM MAI 2016-06-06"])
    func phamVariants(q: String) throws {
        let hit = try #require(try Self.search.search(q).hits.first, "no hit for \(q)")
        #expect(hit.externalID == "F-PHAM", "\(q): \(hit.why)")
    }

    @Test(
        "a Chinese national's 王 芳 is found by kanji, and by its reading or Latin name where recorded",
        arguments: [
            ("王 芳 2019-09-09", "F-WANG"), ("ワン ファン 2019-09-09", "F-WANG"), ("WANG FANG 2019-09-09", "F-WANG"),
            ("王 芳 2015-01-15", "F-WANG-KANJI"),
        ])
    func chineseName(q: String, externalID: String) throws {
        let hit = try #require(try Self.search.search(q).hits.first, "no hit for \(q)")
        #expect(hit.externalID == externalID, "\(q): \(hit.why)")
        #expect(hit.grade != .possible, "\(q): \(hit.grade) \(hit.why)")
    }

    @Test("without a birthdate the names are found too, and a Latin name finds the katakana record", arguments: ["NGUYEN AN", "ニュエン アン"])
    func withoutBirthdate(q: String) throws {
        let ids = Set(try Self.search.search(q).hits.compactMap(\.externalID))
        #expect(ids.isSuperset(of: ["F-LATIN", "F-KATAKANA"]), "\(q): \(ids)")
    }

    @Test("a likely hit never ranks below a possible one", arguments: ["ニュエン アン 2017-03-03", "NGUYEN AN 2017-03-03", "グエン アン 2017-03-03"])
    func likelyBeforePossible(q: String) throws {
        let hits = try Self.search.search(q).hits
        let grades = hits.map(\.grade)
        #expect(grades == grades.sorted(by: >), "\(q): \(hits.map { "\($0.externalID ?? "") \($0.grade)" })")
        #expect(hits.contains { $0.externalID == "F-PARTIAL" && $0.grade == .possible }, "\(q): \(hits.map { "\($0.externalID ?? "") \($0.grade)" })")
    }

    @Test("HOANG is found as フォアン, its other transcription, and フォアン as HOANG", arguments: ["フォアン ミン 2012-12-12", "ふぉあん みん 2012-12-12"])
    func hoangAsFoan(q: String) throws {
        let hit = try #require(try Self.search.search(q).hits.first, "no hit for \(q)")
        #expect(hit.externalID == "F-HOANG", "\(q): first hit \(hit.externalID ?? "") \(hit.why)")
        #expect(hit.grade == .likely, "\(q): \(hit.grade) \(hit.why)")
        #expect(
            hit.why.contains { $0.description.hasPrefix("フォアン ≈ ") && $0.description.hasSuffix("(another transcription of a foreign name)") },
            "\(q): \(hit.why.map(\.description))")
    }

    @Test("Japanese names do not match foreign transcriptions they are not: 佐藤 is not 王")
    func noCrossTalk() throws {
        let hits = try Self.search.search("サトウ ファン 2019-09-09").hits
        #expect(!hits.contains { $0.grade != .possible }, "\(hits.map { "\($0.externalID ?? "") \($0.grade) \($0.why)" })")
    }
}

/// The transcription key and the Latin spelling of the foreign-name dictionary.
struct TranscriptionKeyTests {
    static let normalizer = try! NameNormalizer()

    @Test(
        "katakana transcription variants of one name share a key",
        arguments: [
            ("グエン", "グェン"), ("グエン", "グウェン"), ("ヴー", "ブー"), ("ルーカス", "ルカス"), ("ゴック", "ゴク"), ("ラリッサ", "ラリサ"),
            ("バウティスタ", "バウチスタ"), ("ディン", "ジン"), ("ジェームズ", "ジェームス"), ("ホアン", "ホァン"), ("ドゥック", "ドック"),
            ("ぐえん", "グエン"), ("ｸﾞｴﾝ", "グエン"), ("ヴィー", "ブィー"), ("ヴィー", "ビー"),
        ])
    func variantsCollide(a: String, b: String) {
        #expect(Self.normalizer.transcriptionKey(a) == Self.normalizer.transcriptionKey(b))
    }

    @Test("different names keep different keys", arguments: [("グエン", "ゲン"), ("ファム", "ファン"), ("サトウ", "サイトウ"), ("マイ", "マリ")])
    func differentNames(a: String, b: String) {
        #expect(Self.normalizer.transcriptionKey(a) != Self.normalizer.transcriptionKey(b))
    }

    @Test("Latin spellings lose case, diacritics and hyphens", arguments: [("nguyen", "NGUYEN"), ("Nguyễn", "NGUYEN"), ("MIN-JUN", "MINJUN")])
    func latinSpelling(text: String, spelling: String) {
        #expect(Self.normalizer.latinSpelling(text) == spelling)
    }

    @Test("the dictionary links Latin spellings and katakana forms to one name")
    func dictionary() throws {
        let analyzer = try TestSearch.analyzer()
        #expect(analyzer.foreignNames.count >= 150)
        let latin = analyzer.keys(name: "NGUYEN", kana: nil, kind: .family)
        for kana in ["グエン", "ニュエン", "グウェン"] {
            let keys = analyzer.keys(name: kana, kana: nil, kind: .family)
            #expect(keys.transcriptions.contains(where: latin.transcriptions.contains), "\(kana): \(keys.transcriptions) vs \(latin.transcriptions)")
        }
        let hoang = analyzer.keys(name: "HOANG", kana: nil, kind: .family)
        let foan = analyzer.keys(name: "フォアン", kana: nil, kind: .family)
        #expect(foan.transcriptions.contains(where: hoang.transcriptions.contains), "\(foan.transcriptions) vs \(hoang.transcriptions)")
        // Japanese names keep their transcription key equal to the loose reading: nothing extra is stored.
        let japanese = analyzer.keys(name: "佐藤", kana: "サトウ", kind: .family)
        #expect(japanese.transcriptions == japanese.looseReadings)
    }
}
