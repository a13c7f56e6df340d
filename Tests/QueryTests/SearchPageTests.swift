import Foundation
import Indexer
import MimamoriTesting
import Query
import Store
import Testing

/// The page of hits a worker acts on: grades in order, a `total` that does not depend on
/// the page asked for, and — for a full name with a full birthdate — `possible` hits only
/// for records that could be the person.
@Suite(.serialized)
struct SearchPageTests {
    static let search: TestSearch = try! TestSearch(lines: NamesakeFixture.lines)

    func search(_ q: String, limit: Int? = nil, offset: Int? = nil) throws -> SearchResult {
        try Self.search.engine.search(SearchRequest(q: q, limit: limit, offset: offset), as: .localAdministrator)
    }

    @Test(
        "total is the number of hits whatever the page size, and the pages add up to it",
        arguments: ["田中 一郎 \(NamesakeFixture.absentBirthdate)", "田中 一郎", "たなか いちろう 2012-03-03", "田中 2012-03-03", "田中 一郎 2010"])
    func totalDoesNotDependOnLimit(q: String) throws {
        let all = try search(q, limit: 100)
        #expect(all.total == all.hits.count, "\(q): one page of 100 holds every hit")
        for limit in [1, 2, 3, 5, 20] {
            let page = try search(q, limit: limit)
            #expect(page.total == all.total, "\(q) limit \(limit): total \(page.total), with limit 100 \(all.total)")
            var paged: [String] = []
            for offset in stride(from: 0, to: all.total, by: limit) {
                let next = try search(q, limit: limit, offset: offset)
                #expect(next.total == all.total, "\(q) limit \(limit) offset \(offset)")
                paged += next.hits.map(\.caseID)
            }
            #expect(paged == all.hits.map(\.caseID), "\(q) limit \(limit): the pages are the one long page cut up")
        }
    }

    @Test("every exact hit precedes every likely one, which precedes every possible one, even one that scores higher")
    func gradesInOrder() throws {
        // S-none (no birthdate, a male child: +4, +2) scores above G-loose (a loose reading,
        // the other sex: -20), but is only possible.
        let hits = try search("田中 一郎 2012-03-03 男", limit: 100).hits
        let grades = hits.map(\.grade)
        #expect(grades == grades.sorted(by: >), "\(hits.map { "\($0.externalID ?? "") \($0.grade) \($0.score)" })")
        let likely = try #require(hits.first { $0.externalID == "G-loose" })
        let possible = try #require(hits.first { $0.externalID == "S-none" })
        #expect(likely.grade == .likely && possible.grade == .possible)
        #expect(possible.score > likely.score, "the case this test is about: a possible hit scoring above a likely one")
        #expect(hits.first?.externalID == "G-exact" && hits.first?.grade == .exact)
    }

    @Test("a full name with a full birthdate nobody has: only records that could be the person, each possible, each saying why")
    func negativeQuery() throws {
        let result = try search("田中 一郎 \(NamesakeFixture.absentBirthdate)", limit: 100)
        let found = Dictionary(uniqueKeysWithValues: result.hits.map { ($0.externalID ?? "", $0) })
        #expect(Set(found.keys) == Set(NamesakeFixture.plausible.keys), "\(found.keys.sorted())")
        for (id, reason) in NamesakeFixture.plausible {
            let hit = try #require(found[id], "\(id) is not a hit")
            #expect(hit.grade == .possible, "\(id): \(hit.grade)")
            #expect(hit.why.map(\.description).contains(reason), "\(id): \(hit.why.map(\.description))")
        }
        #expect(result.total == NamesakeFixture.plausible.count)
    }

    @Test("a single name with a birthdate finds that name born that day, not its namesakes born on other days")
    func singleNameWithBirthdate() throws {
        let hits = try search("一郎 \(NamesakeFixture.absentBirthdate)", limit: 100).hits
        #expect(hits.allSatisfy { $0.grade == .possible }, "\(hits.map(\.why))")
        // Partial birthdates that fit, and a child with none recorded (it cannot be ruled out).
        #expect(Set(hits.compactMap(\.externalID)) == ["S-month", "S-year", "S-none"], "\(hits.map(\.why))")
    }

    @Test("a reading typed for a name recorded in kanji only, which no dictionary reading confirms, is possible with the whole birthdate only")
    func unverifiableReading() throws {
        let hit = try #require(try search("たかはし ぽむ 2014-12-01").hits.first { $0.externalID == "K-only" })
        #expect(hit.grade == .possible)
        #expect(hit.why.map(\.description).contains("name 健 (no reading recorded to compare)"), "\(hit.why)")
        #expect(try search("たかはし ぽむ 2014-12-02").hits.isEmpty)
        #expect(try search("たかはし ぽむ 2014-12").hits.isEmpty)
        #expect(try search("たかはし ぽむ").hits.isEmpty)
    }

    @Test("the slips of a birthdate: each kind found, and told apart from unrelated dates")
    func slips() throws {
        func date(_ iso: String) throws -> PartialDate { try PartialDate(iso: iso) }
        let query = try date("2010-01-05")
        #expect(DateSlip.kind(of: try date("2010-01-06"), from: query) == .oneDigit)
        #expect(DateSlip.kind(of: try date("2010-05-01"), from: query) == .dayMonthSwapped)
        #expect(DateSlip.kind(of: try date("2009-01-05"), from: query) == .neighbouringYear)
        #expect(DateSlip.kind(of: try date("2011-01-05"), from: query) == .neighbouringYear)
        #expect(DateSlip.kind(of: try date("2010-01-08"), from: query) == .oneDigit)
        #expect(DateSlip.kind(of: try date("1947-01-05"), from: query) == .eraYear)
        #expect(DateSlip.kind(of: try date("2015-07-20"), from: query) == nil)
        #expect(DateSlip.kind(of: query, from: query) == nil)
        #expect(DateSlip.kind(of: try date("2010-01"), from: query) == nil)
        let candidates = DateSlip.candidates(of: query, latestYear: 2026)
        for slip in ["2010-01-06", "2010-05-01", "2009-01-05", "2011-01-05", "1947-01-05", "2010-01-25", "2000-01-05"] {
            #expect(candidates.contains(try date(slip)), "\(slip)")
        }
        #expect(!candidates.contains(query))
        #expect(candidates.allSatisfy { DateSlip.kind(of: $0, from: query) != nil })
        #expect(candidates.count <= 60, "\(candidates.count)")
    }
}
