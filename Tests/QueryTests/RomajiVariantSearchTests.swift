import Foundation
import MimamoriTesting
import Query
import Store
import Testing

/// Romaji of Japanese names as Hepburn (macrons), Kunrei and passports (OH, M before B, M, P)
/// write long vowels, ン and シ/チ/ツ/フ/ジ: each spelling finds the child (issue 16).
@Suite(.serialized)
struct RomajiVariantSearchTests {
    private static func child(_ externalID: String, _ family: String, _ given: String, kana: (String, String), born: String) -> String {
        RecordFixture.line(
            externalID,
            [
                "child.family_name": RecordFixture.json(family), "child.given_name": RecordFixture.json(given),
                "child.family_name_kana": RecordFixture.json(kana.0), "child.given_name_kana": RecordFixture.json(kana.1),
                "child.birthdate": RecordFixture.json(born),
            ])
    }

    static let search: TestSearch = try! TestSearch(lines: [
        child("R-SATO", "佐藤", "翔一", kana: ("サトウ", "ショウイチ"), born: "2016-01-01"),
        child("R-HOMMA", "本間", "大輔", kana: ("ホンマ", "ダイスケ"), born: "2017-02-02"),
        child("R-ONO", "大野", "優子", kana: ("オオノ", "ユウコ"), born: "2018-03-03"),
        child("R-TSUJI", "辻", "福子", kana: ("ツジ", "フクコ"), born: "2019-04-04"),
    ])

    @Test(
        "long vowels, ン and Kunrei syllables in any common romaji style find the child",
        arguments: [
            ("SATO SHOICHI", "R-SATO"), ("SATOH SHOICHI", "R-SATO"), ("SATOU SHOUICHI", "R-SATO"), ("SATŌ SHŌICHI", "R-SATO"),
            ("sato syoiti", "R-SATO"), ("SATOH SHOHICHI", "R-SATO"), ("satô shôichi", "R-SATO"),
            ("HOMMA DAISUKE", "R-HOMMA"), ("HONMA DAISUKE", "R-HOMMA"), ("homma daisuke", "R-HOMMA"),
            ("OHNO YUKO", "R-ONO"), ("OONO YUUKO", "R-ONO"), ("ONO YUKO", "R-ONO"), ("ŌNO YŪKO", "R-ONO"), ("OUNO YUUKO", "R-ONO"),
            ("TSUJI FUKUKO", "R-TSUJI"), ("TUZI HUKUKO", "R-TSUJI"),
        ])
    func romajiStyles(q: String, externalID: String) throws {
        let date = ["R-SATO": "2016-01-01", "R-HOMMA": "2017-02-02", "R-ONO": "2018-03-03", "R-TSUJI": "2019-04-04"][externalID]!
        let hit = try #require(try Self.search.search("\(q) \(date)").hits.first, "no hit for \(q)")
        #expect(hit.externalID == externalID, "\(q): \(hit.externalID ?? "") \(hit.why)")
        #expect(hit.grade != .possible, "\(q): \(hit.grade) \(hit.why)")
    }
}
