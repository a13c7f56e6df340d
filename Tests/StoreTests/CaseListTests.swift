import Foundation
import MimamoriTesting
import Store
import Testing

/// An authority's own case list (the staff UI's `/cases`): filtered, sorted and paged in the
/// partition, with the number that match.
struct CaseListTests {
    static let readings = ["サトウ", "スズキ", "タカハシ", "タナカ", "イトウ", "ワタナベ", "ヤマモト", "ナカムラ", "コバヤシ", "カトウ"]
    static let givenReadings = ["ハナコ", "タロウ", "ユイ", "ソウタ", "ミオ", "ハルト", "リン"]

    /// 57 cases of 千代田区 (every third closed, some without a birthdate) and 3 of 中央区.
    static func store() throws -> TestStore {
        let test = try TestStore()
        var lines: [String] = []
        for index in 0..<57 {
            let reading = readings[index % readings.count]
            var overrides = [
                "child.family_name_kana": RecordFixture.json(reading),
                "child.given_name_kana": RecordFixture.json(givenReadings[index % givenReadings.count]),
                "child.family_name": RecordFixture.json("姓\(index)"), "child.given_name": RecordFixture.json("名"),
                "child.birthdate": index % 7 == 0 ? "null" : RecordFixture.json(String(format: "2015-%02d-%02d", index % 12 + 1, index % 28 + 1)),
            ]
            if index % 3 == 0 { overrides["status"] = RecordFixture.json("closed") }
            lines.append(RecordFixture.line("L-\(index)", overrides))
        }
        lines += (0..<3).map { RecordFixture.line("O-\($0)", authority: "131024") }
        _ = try JSONLinesImporter(store: test.store, actor: .localAdministrator).run(test.folder.write("list.jsonl", lines: lines))
        return test
    }

    static let worker = Actor.user(login: "chiyoda", authority: "131016", role: .worker)

    @Test("pages are disjoint and together hold every own case exactly once, in each order offered")
    func paging() throws {
        let test = try Self.store()
        for sort in CaseListQuery.Sort.allCases {
            var seen: [String] = []
            var offset = 0
            while true {
                let page = try test.store.cases.list(
                    heldBy: "131016", as: Self.worker, matching: CaseListQuery(sort: sort, limit: 10, offset: offset))
                #expect(page.total == 57, "\(sort)")
                if page.cases.isEmpty { break }
                seen += page.cases.map(\.id)
                offset += 10
            }
            #expect(seen.count == 57 && Set(seen).count == 57, "\(sort): \(seen.count) listed, \(Set(seen).count) distinct")
        }
    }

    @Test("sorting by reading and by birthdate follows the records; cases without a birthdate come last")
    func orders() throws {
        let test = try Self.store()
        let byReading = try test.store.cases.list(heldBy: "131016", as: Self.worker, matching: CaseListQuery(sort: .name, limit: 100)).cases
        let readings = byReading.map { ($0.record.child.familyNameKana ?? "") + "|" + ($0.record.child.givenNameKana ?? "") }
        #expect(readings == readings.sorted())
        let byBirthdate = try test.store.cases.list(heldBy: "131016", as: Self.worker, matching: CaseListQuery(sort: .birthdate, limit: 100)).cases
        let dates = byBirthdate.map { $0.record.child.birthdate?.iso }
        let known = dates.compactMap { $0 }
        #expect(known == known.sorted() && dates.suffix(dates.count - known.count).allSatisfy { $0 == nil } && known.count == 48)
    }

    @Test("the filter finds part of a reading typed in hiragana, the record number and the status; others' cases never")
    func filters() throws {
        let test = try Self.store()
        let satou = try test.store.cases.list(heldBy: "131016", as: Self.worker, matching: CaseListQuery(text: "さとう"))
        #expect(satou.total == 6 && satou.cases.allSatisfy { $0.record.child.familyNameKana == "サトウ" })
        let whole = try test.store.cases.list(heldBy: "131016", as: Self.worker, matching: CaseListQuery(text: "さとう はなこ"))
        #expect(whole.cases.map(\.record.externalID) == ["L-0"])
        #expect(
            try test.store.cases.list(heldBy: "131016", as: Self.worker, matching: CaseListQuery(text: "l-42")).cases.map(\.record.externalID) == [
                "L-42"
            ])
        #expect(try test.store.cases.list(heldBy: "131016", as: Self.worker, matching: CaseListQuery(status: .closed)).total == 19)
        #expect(try test.store.cases.list(heldBy: "131016", as: Self.worker, matching: CaseListQuery(text: "O-1")).total == 0)
        // Another authority's users may not list these.
        let chuo = Actor.user(login: "chuo", authority: "131024", role: .worker)
        #expect(throws: StoreError.self) { try test.store.cases.list(heldBy: "131016", as: chuo, matching: CaseListQuery()) }
    }
}
