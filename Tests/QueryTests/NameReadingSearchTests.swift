import Foundation
import Indexer
import MimamoriTesting
import Query
import Store
import Testing

/// Records kept in kanji only, under names that ipadic (2007) does not know as given names: a
/// search by the sound of the name (kana or romaji, as on an intake call) must find them through
/// the guessed readings of `NameReadings`.
@Suite(.serialized)
struct NameReadingSearchTests {
    /// A child recorded in kanji only (no reading), in Tokyo.
    private static func kanjiOnly(_ externalID: String, _ family: String, _ given: String, born: String) -> String {
        RecordFixture.line(
            externalID,
            [
                "child.family_name": "\"\(family)\"", "child.given_name": "\"\(given)\"", "child.family_name_kana": "null",
                "child.given_name_kana": "null", "child.birthdate": "\"\(born)\"",
            ])
    }

    static let records: [String] = [
        kanjiOnly("M-1", "森", "大和", born: "2016-05-05"),
        kanjiOnly("M-2", "佐藤", "陽翔", born: "2017-06-06"),
        kanjiOnly("M-3", "鈴木", "詩", born: "2018-07-07"),
        kanjiOnly("M-4", "田中", "湊", born: "2019-08-08"),
        kanjiOnly("M-5", "伊藤", "結愛", born: "2020-09-09"),
        // Names no name dictionary reads, with only part of the birthdate recorded.
        kanjiOnly("C-1", "山口", "心晴", born: "2016"),
        kanjiOnly("C-2", "山崎", "晴陽", born: "2025-01"),
        kanjiOnly("C-3", "山下", "結絆", born: "2013-11-29"),
    ]

    static let search: TestSearch = try! TestSearch(lines: records)

    @Test(
        "a child recorded in kanji only is found by the reading of its name, in any script",
        arguments: [
            ("もり やまと", "M-1", "ヤマト"), ("モリヤマト", "M-1", "ヤマト"), ("MORI YAMATO", "M-1", "ヤマト"),
            ("もり やまと 2016-05-05", "M-1", "ヤマト"),
            ("サトウ ハルト", "M-2", "ハルト"), ("サトウ ヒナト", "M-2", "ヒナト"), ("SATO HARUTO", "M-2", "ハルト"),
            ("すずき うた", "M-3", "ウタ"), ("たなか みなと", "M-4", "ミナト"), ("いとう ゆあ", "M-5", "ユア"),
        ])
    func foundByReading(q: String, externalID: String, reading: String) throws {
        let hits = try Self.search.search(q).hits
        let hit = try #require(hits.first, "no hit for \(q)")
        #expect(hit.externalID == externalID, "\(q): first hit \(hit.externalID) \(hit.why)")
        #expect(hit.why.contains { $0.description.contains(reading) }, "\(q): \(hit.why)")
        #expect(hit.grade != .possible, "\(q): \(hit.grade) \(hit.why)")
    }

    @Test(
        "a name no dictionary reads is found by a reading composed from its kanji, shortened readings included, as a possible hit",
        arguments: [
            ("やまぐち こはる 2016-03-20", "C-1", "コハル"), ("YAMAGUCHI KOHARU 2016-03-20", "C-1", "コハル"),
            ("ヤマザキ ハルヒ 2025-01-19", "C-2", "ハルヒ"), ("やまざき はるひ 2025-01-19", "C-2", "ハルヒ"),
            ("やました ゆいな 2013-11-29", "C-3", "ユイナ"), ("YAMASHITA YUINA 2013-11", "C-3", "ユイナ"),
        ])
    func foundByComposedReading(q: String, externalID: String, reading: String) throws {
        let hits = try Self.search.search(q).hits
        let hit = try #require(hits.first, "no hit for \(q)")
        #expect(hit.externalID == externalID, "\(q): first hit \(hit.externalID ?? "") \(hit.why)")
        #expect(hit.grade == .possible, "\(q): \(hit.grade) \(hit.why)")
        #expect(hit.why.contains { $0.description.hasPrefix("reading \(reading) read from the kanji") }, "\(q): \(hit.why)")
    }

    @Test("a reading that the kanji cannot be read as finds no name recorded with part of its birthdate")
    func composedReadingMustFit() throws {
        for q in ["やまぐち ゆいな 2016-03-20", "やまざき こはる 2025-01-19", "YAMAGUCHI HARUHI 2016-03-20"] {
            let hits = try Self.search.search(q).hits
            #expect(!hits.contains { $0.externalID?.hasPrefix("C-") == true }, "\(q): \(hits.map { "\($0.externalID ?? "") \($0.why)" })")
        }
    }
}
