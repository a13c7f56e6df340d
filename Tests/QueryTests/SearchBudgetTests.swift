import Indexer
import MimamoriTesting
import Query
import Store
import Testing

/// The work of a search does not grow with the number of namesakes: a name with a birthdate
/// reads the records that could be the person from the exact keys, not every namesake, and a
/// name alone stops at the fixed budget.
@Suite(.serialized)
struct SearchBudgetTests {
    /// Namesakes of 佐藤 翔, none born on `queryDate` (some on its slips), and the one who is.
    static let namesakes = 1_200
    static let queryDate = "2012-06-15"

    static let search: TestSearch = {
        var lines: [String] = []
        for number in 0..<namesakes {
            let (year, month, day) = (2000 + number % 20, number % 12 + 1, (number / 12) % 28 + 1)
            let date = "\(year)-\(month < 10 ? "0" : "")\(month)-\(day < 10 ? "0" : "")\(day)"
            lines.append(line("N-\(number)", birthdate: date))
        }
        lines.append(line("TARGET", birthdate: queryDate))
        return try! TestSearch(lines: lines)
    }()

    static func line(_ id: String, birthdate: String) -> String {
        RecordFixture.line(
            id,
            [
                "child.family_name": RecordFixture.json("佐藤"), "child.family_name_kana": RecordFixture.json("サトウ"),
                "child.given_name": RecordFixture.json("翔"), "child.given_name_kana": RecordFixture.json("ショウ"),
                "child.birthdate": RecordFixture.json(birthdate),
            ])
    }

    /// The search's result and the persons it read from the index.
    func searchCounting(_ q: String) throws -> (result: SearchResult, read: Int) {
        let before = Self.search.engine.index.personsRead
        let result = try Self.search.engine.search(SearchRequest(q: q, limit: 100), as: .localAdministrator)
        return (result, Self.search.engine.index.personsRead - before)
    }

    @Test("a full name with a full birthdate reads the person and its plausible slips, not the 1,200 namesakes")
    func preciseQueryReadsFew() throws {
        let (result, read) = try searchCounting("佐藤 翔 \(Self.queryDate)")
        #expect(result.hits.first?.externalID == "TARGET" && result.hits.first?.grade == .exact)
        #expect(result.hits.dropFirst().allSatisfy { $0.grade == .possible }, "the others are slips at most")
        #expect(read <= 20, "persons read: \(read) of \(Self.namesakes + 1) namesakes")
        #expect(!result.truncated)
        // The same in kana: the reading keys are exact keys too.
        let (kana, kanaRead) = try searchCounting("さとう しょう \(Self.queryDate)")
        #expect(kana.hits.first?.externalID == "TARGET")
        #expect(kanaRead <= 20, "persons read: \(kanaRead)")
    }

    @Test("a family name with a full birthdate reads that name born that day (or fitting it), not every 佐藤")
    func singleNameWithBirthdateReadsFew() throws {
        let (result, read) = try searchCounting("佐藤 \(Self.queryDate)")
        #expect(result.hits.first?.externalID == "TARGET")
        #expect(read <= 20, "persons read: \(read)")
    }

    @Test("FTS5 is asked for the name as typed, not for a dictionary split of it")
    func splitIsNotSoughtInPart() throws {
        // 田中 may be split by the dictionary into 田 / 中: in part, those two characters are in
        // many other names. None of these people is a 田中; each was a candidate of the split.
        let date = "2019-03-04"
        var lines = [
            RecordFixture.line(
                "TANAKA",
                [
                    "child.family_name": RecordFixture.json("田中"), "child.family_name_kana": RecordFixture.json("タナカ"),
                    "child.given_name": RecordFixture.json("陽菜"), "child.given_name_kana": RecordFixture.json("ヒナ"),
                    "child.birthdate": RecordFixture.json(date),
                ])
        ]
        for (number, (family, given)) in [("田村", "中也"), ("中田", "田鶴"), ("山田", "中子"), ("田口", "那中")].enumerated() {
            lines.append(
                RecordFixture.line(
                    "OTHER-\(number)",
                    [
                        "child.family_name": RecordFixture.json(family), "child.given_name": RecordFixture.json(given),
                        "child.birthdate": RecordFixture.json(date),
                    ]))
        }
        let local = try TestSearch(lines: lines)
        let result = try local.engine.search(SearchRequest(q: "田中 \(date)", limit: 100), as: .localAdministrator)
        #expect(result.hits.map(\.externalID) == ["TANAKA"], "hits: \(result.hits.map { $0.person.name })")
    }

    @Test("a name alone stops at the fixed budget and says so")
    func nameAloneStopsAtTheBudget() throws {
        let (result, read) = try searchCounting("佐藤 翔")
        #expect(read <= SearchEngine.Budget.candidates + SearchEngine.Budget.ftsCandidates, "persons read: \(read)")
        #expect(result.truncated, "more namesakes than one lookup reads: the answer says it was cut short")
        #expect(result.total <= SearchEngine.Budget.candidates)
    }
}
