import Foundation
import Indexer
import MimamoriTesting
import Query
import Store
import Testing

/// Search over a small hand-made nationwide dataset, one record per variation class.
@Suite(.serialized)
struct SearchTests {
    static let records: [String] = [
        // 1. A child with kanji and katakana; a namesake born on another day in another prefecture.
        RecordFixture.line("T-1"),
        RecordFixture.line(
            "O-1", authority: "271004-01",
            [
                "address": #"{"prefecture": "大阪府", "municipality": "大阪市北区"}"#, "child.birthdate": #""2016-09-09""#,
            ]),
        // 2. A variant-kanji family name, and a different name that only looks similar.
        RecordFixture.line(
            "V-1", authority: "141003-01",
            [
                "address": #"{"prefecture": "神奈川県", "municipality": "横浜市中区"}"#,
                "child.family_name": #""齋藤""#, "child.given_name": #""花子""#, "child.family_name_kana": #""サイトウ""#,
                "child.given_name_kana": #""ハナコ""#, "child.birthdate": #""2019-07-07""#, "child.sex": #""female""#,
            ]),
        RecordFixture.line(
            "V-2", authority: "141003-01",
            [
                "address": #"{"prefecture": "神奈川県", "municipality": "横浜市中区"}"#,
                "child.family_name": #""斉藤""#, "child.given_name": #""花子""#, "child.family_name_kana": #""サイトウ""#,
                "child.given_name_kana": #""ハナコ""#, "child.birthdate": #""2017-01-20""#, "child.sex": #""female""#,
            ]),
        // 3. Iteration mark and a long vowel written with ー.
        RecordFixture.line(
            "L-1", authority: "011002-01",
            [
                "address": #"{"prefecture": "北海道", "municipality": "札幌市中央区"}"#,
                "child.family_name": #""佐々木""#, "child.given_name": #""勇樹""#, "child.family_name_kana": #""ササキ""#,
                "child.given_name_kana": #""ユーキ""#, "child.birthdate": #""2015-03-03""#,
            ]),
        // 4. A kanji-only record (no reading) with a one-character given name.
        RecordFixture.line(
            "K-1", authority: "401005-01",
            [
                "address": #"{"prefecture": "福岡県", "municipality": "北九州市"}"#,
                "child.family_name": #""高橋""#, "child.given_name": #""健""#, "child.family_name_kana": "null",
                "child.given_name_kana": "null", "child.birthdate": #""2014-12-01""#,
            ]),
        // 5. A kana-only record (half-width), and a hiragana-only given name.
        RecordFixture.line(
            "A-1", authority: "131016",
            [
                "child.family_name": "null", "child.given_name": #""さくら""#, "child.family_name_kana": #""ｽｽﾞｷ""#,
                "child.given_name_kana": "null", "child.birthdate": #""2020-02-29""#, "child.sex": #""female""#,
            ]),
        // 6. A child of foreign nationality.
        RecordFixture.line(
            "F-1", authority: "131016",
            [
                "child.family_name": #""NGUYEN""#, "child.given_name": #""AN""#, "child.family_name_kana": #""グエン""#,
                "child.given_name_kana": #""アン""#, "child.romaji": #""NGUYEN AN""#, "child.nationality": #""VN""#,
                "child.birthdate": #""2019-10-10""#,
            ]),
        // 7. ヴ and a small kana in readings.
        RecordFixture.line(
            "W-1", authority: "131016",
            [
                "child.family_name": #""上田""#, "child.given_name": #""美羽""#, "child.family_name_kana": #""ウエダ""#,
                "child.given_name_kana": #""ミュウ""#, "child.birthdate": #""2018-08-08""#,
            ]),
        RecordFixture.line(
            "W-2", authority: "131016",
            [
                "child.family_name": #""小林""#, "child.given_name": #""羽音""#, "child.family_name_kana": #""コバヤシ""#,
                "child.given_name_kana": #""ヴィオラ""#, "child.birthdate": #""2017-06-06""#,
            ]),
    ]

    static let search: TestSearch = try! TestSearch(lines: records)

    func first(_ q: String) throws -> SearchHit? { try Self.search.search(q).hits.first }

    @Test(
        "a true prior record comes first, whatever form the query takes",
        arguments: [
            ("山田 太郎 2018-04-01", "T-1", MatchGrade.exact),
            ("山田　太郎　平成30年4月1日", "T-1", .exact),
            ("やまだ たろう H30.4.1", "T-1", .exact),
            ("ヤマダ タロウ 2018/4/1", "T-1", .exact),
            ("ﾔﾏﾀﾞ ﾀﾛｳ 20180401", "T-1", .exact),
            ("YAMADA TARO 2018-04-01", "T-1", .exact),
            ("yamada tarou H30.4.1", "T-1", .exact),
            ("太郎 山田 2018-04-01", "T-1", .exact),
            ("山田太郎 2018-04-01", "T-1", .exact),
            ("山田 2018-04-01", "T-1", .likely),
            ("太郎 ２０１８年４月１日", "T-1", .likely),
            ("山田 太 2018-04-01", "T-1", .possible),
            ("やまだ た 2018-04-01", "T-1", .possible),
            ("斎藤 花子 2019-07-07", "V-1", .exact),
            ("齋藤 花子 R1.7.7", "V-1", .exact),
            ("さいとう はなこ 2019-07-07", "V-1", .exact),
            ("佐佐木 ゆうき 2015-03-03", "L-1", .exact),
            ("ささき ゆうき H27.3.3", "L-1", .exact),
            ("SASAKI YUKI 2015-03-03", "L-1", .exact),
            ("佐々木 ゆき 2015", "L-1", .likely),
            ("高橋 健 2014-12-01", "K-1", .exact),
            ("たかはし けん 2014-12-01", "K-1", .exact),
            ("健 2014-12-01", "K-1", .likely),
            ("すずき さくら 2020-02-29", "A-1", .exact),
            ("鈴木 さくら 令和2年2月29日", "A-1", .exact),
            ("グエン アン 2019-10-10", "F-1", .exact),
            ("NGUYEN AN 2019-10-10", "F-1", .exact),
            ("nguyen an", "F-1", .likely),
            ("うえだ みゅう 2018-08-08", "W-1", .exact),
            ("こばやし びおら 2017-06-06", "W-2", .exact),
            ("ｺﾊﾞﾔｼ ｳﾞｨｵﾗ 2017-06-06", "W-2", .exact),
            ("コバヤシ ヴィオラ 2017-06-06", "W-2", .exact),
        ])
    func findsTruePriorRecordFirst(q: String, externalID: String, grade: MatchGrade) throws {
        let hit = try #require(try first(q), "no hit for \(q)")
        #expect(hit.externalID == externalID, "\(q): first hit \(hit.externalID) \(hit.why)")
        #expect(hit.grade == grade, "\(q): \(hit.grade) \(hit.why)")
    }

    @Test("every hit says why it matched")
    func explainsWhy() throws {
        let variant = try #require(try first("斎藤 花子 2019-07-07"))
        #expect(variant.why.contains { $0.description.contains("齋→斎") }, "\(variant.why)")
        #expect(variant.why.contains { $0.description.contains("2019-07-07") })
        let reading = try #require(try first("さいとう はなこ 2019-07-07"))
        #expect(reading.why.contains { $0.description.contains("サイトウ") }, "\(reading.why)")
    }

    @Test("the API writes the reasons as their English text, in the order found")
    func reasonsInTheAPI() throws {
        let hit = try #require(try first("斎藤 花子 2019-07-07"))
        let object = try JSONSerialization.jsonObject(with: JSONEncoder().encode(hit)) as? [String: Any]
        #expect(object?["why"] as? [String] == ["name 斎藤 (齋→斎)", "name 花子", "birthdate 2019-07-07"])
    }

    @Test("斎 and 斉 are different names: a hit through them ranks below the exact name and is never exact")
    func weakVariantsRankLower() throws {
        let byName = try Self.search.search("斉藤 花子")
        let exactName = try #require(byName.hits.firstIndex { $0.externalID == "V-2" })
        let similar = try #require(byName.hits.firstIndex { $0.externalID == "V-1" }, "齋藤 花子 must still be found")
        #expect(exactName < similar)
        let withDate = try Self.search.search("斉藤 花子 2019-07-07")
        let weak = try #require(withDate.hits.first { $0.externalID == "V-1" })
        #expect(weak.grade != .exact, "\(weak.why)")
        #expect(weak.why.contains { $0.description.contains("斉≈斎") }, "\(weak.why)")
    }

    // Until the search-scale change a namesake born on an unrelated day (T-1 for O-1's
    // birthdate) was a `possible` hit; the issue's rule makes it no hit at all.
    @Test("健 does not match 見, and a namesake born on an unrelated day is not a hit")
    func precision() throws {
        #expect(try Self.search.search("高橋 見 2014-12-01").hits.allSatisfy { $0.grade == .possible })
        let hits = try Self.search.search("山田 太郎 2016-09-09").hits
        #expect(!hits.contains { $0.externalID == "T-1" }, "\(hits.map(\.why))")
        let other = try #require(hits.first)
        #expect(other.externalID == "O-1" && other.grade == .exact)
    }

    @Test("nobody is found for a person who is not there", arguments: ["田中 一郎 2010-01-01", "ジョンソン 2001", "伊藤 2017-05-05"])
    func negatives(q: String) throws {
        #expect(try Self.search.search(q).hits.allSatisfy { $0.grade == .possible }, "\(q)")
    }

    @Test(
        "bad queries get a clear error, never a crash or an FTS5 error",
        arguments: [
            "", "   ", "2018-04-01", "山田 H31.5.1", "山田 2019-02-30", String(repeating: "山", count: 300), "山田 2018 2019",
        ])
    func badQueries(q: String) {
        #expect(throws: QueryError.self) { try Self.search.search(q) }
    }

    @Test(
        "FTS5 syntax and SQL in a query are searched as text",
        arguments: [
            "\"山田", "山田*", "NEAR(山田 太郎)", "山田 OR 太郎", "^山田", "山田 AND", "'; DROP TABLE persons; --",
            "\" OR \"\" = \"", "山田 -太郎", "{kf山田}", "kf山田", "山田:太郎", "(((((", "\\", "%_%",
        ])
    func ftsSyntaxIsText(q: String) throws {
        do {
            _ = try Self.search.search(q)
        } catch is QueryError {
            // A clear refusal is fine.
        }
        #expect(try Self.search.search("山田 太郎 2018-04-01").hits.first?.externalID == "T-1")
    }

    @Test("random text never crashes the parser or leaks an FTS5 error")
    func fuzz() throws {
        var random = SplitMix64(seed: 7)
        let alphabet = Array("山田太郎やまだタロウｻﾄｳ高髙斎齋々ー\"*()^:-+ORANDNEAR0123456789年月日HSR./ \u{3000}'%;\\{}[]🙂\u{0301}")
        for _ in 0..<500 {
            let text = String((0..<random.next(in: 0...30)).map { _ in alphabet[random.next(in: 0...(alphabet.count - 1))] })
            do {
                _ = try Self.search.engine.check(try Self.search.engine.parser.parse(SearchRequest(q: text)), as: .localAdministrator)
            } catch is QueryError {
            }
        }
        let huge = String(repeating: "山田 ", count: 200_000)
        #expect(throws: QueryError.self) { try Self.search.search(huge) }
    }

    @Test("another authority sees the identity summary only; the holder may open the record")
    func accessFiltered() throws {
        let stranger = Actor.user(login: "osaka", authority: "271004-01", role: .worker)
        let holder = Actor.user(login: "chiyoda", authority: "131016", role: .worker)
        let systemOperator = Actor.user(login: "ops", authority: "131016", role: .systemOperator)
        let asHolder = try #require(try Self.search.search("山田 太郎 2018-04-01", as: holder).hits.first { $0.externalID == "T-1" })
        #expect(asHolder.access == .full)
        let asStranger = try #require(try Self.search.search("山田 太郎 2018-04-01", as: stranger).hits.first { $0.caseID == asHolder.caseID })
        #expect(asStranger.access == .summary)
        #expect(asStranger.authority.name == "千代田区")
        #expect(asStranger.externalID == nil, "a summary does not reveal the holder's record number")
        #expect(try Self.search.search("山田 太郎 2018-04-01", as: systemOperator).hits.isEmpty)
    }

    @Test("every search is audited with its terms and the cases it found")
    func audited() throws {
        let actor = Actor.user(login: "auditme", authority: "271004-01", role: .worker)
        let result = try Self.search.search("山田 太郎 2018-04-01", as: actor)
        let entry = try #require(
            try Self.search.store.auditLog.entries(as: .localAdministrator, ).first { $0.action == "search" && $0.actor == "auditme@271004-01" })
        #expect(entry.detail?.contains("山田 太郎") == true)
        #expect(entry.target?.contains(result.hits[0].caseID) == true)
    }

    @Test(
        "structured fields search like the box",
        arguments: [
            SearchRequest(name: "山田 太郎", birthdate: "H30.4.1"),
            SearchRequest(kana: "ヤマダ タロウ", birthdate: "2018-04-01"),
            SearchRequest(name: "山田", birthdateFrom: "2018-01-01", birthdateTo: "2018-12-31"),
            SearchRequest(q: "山田 太郎", sex: "male", prefecture: "東京都"),
            SearchRequest(guardian: "山田 花子"),
        ])
    func structured(request: SearchRequest) throws {
        let result = try Self.search.engine.search(request, as: .localAdministrator)
        #expect(result.hits.contains { $0.externalID == "T-1" }, "\(request)")
    }

    @Test("an update and a move reach the index before the write returns")
    func indexFollowsWrites() throws {
        let local = try TestSearch(lines: [RecordFixture.line("M-1")])
        let id = try #require(try local.search("山田 太郎 2018-04-01").hits.first?.caseID)
        try local.store.cases.move(id: id, to: "271004-01", as: .localAdministrator)
        let moved = try #require(try local.search("山田 太郎 2018-04-01").hits.first)
        #expect(moved.authority.code == "271004-01")
        let report = try JSONLinesImporter(store: local.store, actor: .localAdministrator).run(
            local.test.folder.write(
                "update.jsonl",
                lines: [
                    RecordFixture.line(
                        "M-1", authority: "271004-01",
                        [
                            "address": #"{"prefecture": "大阪府", "municipality": "大阪市北区"}"#, "child.given_name": #""次郎""#,
                            "child.given_name_kana": #""ジロウ""#,
                        ])
                ]))
        #expect(report.counts.updated == 1)
        #expect(try local.search("山田 次郎 2018-04-01").hits.first?.externalID == "M-1")
        #expect(try local.search("山田 太郎 2018-04-01").hits.allSatisfy { $0.grade == .possible })
        // Back to a prefecture whose partition the index applies first (13 before 27).
        try local.store.cases.move(id: id, to: "131016", as: .localAdministrator)
        let back = try local.search("山田 次郎 2018-04-01").hits.filter { $0.caseID == id }
        #expect(back.map(\.authority.code) == ["131016"])
    }
}
