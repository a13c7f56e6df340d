import Foundation
import Indexer
import MimamoriTesting
import Query
import Store
import Testing

/// The bulk import (lines checked on every core, partitions applied side by side, the index
/// built a page at a time while the next page is read) against the same import on one thread.
@Suite(.serialized)
struct BulkImportTests {
    static let families: [(String, String)] = [
        ("佐藤", "サトウ"), ("鈴木", "スズキ"), ("高橋", "タカハシ"), ("田中", "タナカ"), ("渡邊", "ワタナベ"), ("伊藤", "イトウ"), ("山本", "ヤマモト"),
        ("中村", "ナカムラ"), ("小林", "コバヤシ"), ("加藤", "カトウ"), ("吉田", "ヨシダ"), ("山口", "ヤマグチ"),
    ]
    static let givens: [(String, String)] = [
        ("翔", "ショウ"), ("花子", "ハナコ"), ("勇樹", "ユウキ"), ("さくら", "サクラ"), ("健", "ケン"), ("美晴", "ミハル"), ("大翔", "ヒロト"),
        ("陽菜", "ヒナ"), ("蓮", "レン"), ("結衣", "ユイ"),
    ]
    static let holders: [(authority: String, address: String?)] = [
        ("131016", nil),
        ("271004-01", #"{"prefecture": "大阪府", "municipality": "大阪市北区"}"#),
        ("010006-01", #"{"prefecture": "北海道", "municipality": "函館市"}"#),
        ("141003-01", #"{"prefecture": "神奈川県", "municipality": "横浜市中区"}"#),
    ]

    /// The child of record `index`: (family, family kana), (given, given kana), birthdate.
    static func child(_ index: Int) -> (family: (String, String), given: (String, String), birthdate: String) {
        (
            families[index % families.count], givens[(index / families.count) % givens.count],
            String(format: "20%02d-%02d-%02d", 10 + index % 12, 1 + index % 12, 1 + index % 28)
        )
    }

    /// Enough records for several batches of lines and several pages of no partition.
    static let lines: [String] = (0..<1_100).map { index in
        let (family, given, birthdate) = child(index)
        let holder = holders[index % holders.count]
        var overrides = [
            "child.family_name": RecordFixture.json(family.0), "child.family_name_kana": RecordFixture.json(family.1),
            "child.given_name": RecordFixture.json(given.0), "child.given_name_kana": RecordFixture.json(given.1),
            "child.birthdate": RecordFixture.json(birthdate),
        ]
        if let address = holder.address { overrides["address"] = address }
        return RecordFixture.line("B-\(index)", authority: holder.authority, overrides)
    }

    /// Queries with fewer hits than a page (so that no tie at the page's end makes the two
    /// results differ): a child's name, in kanji or kana, with its birthdate.
    static let queries: [String] = [13, 262, 333, 734, 1_099].flatMap { index in
        let (family, given, birthdate) = child(index)
        return ["\(family.0) \(given.0) \(birthdate)", "\(family.1) \(given.1) \(birthdate)"]
    }

    /// What an import left: every stored case (without its random id and times) and the
    /// search hits (without case ids), each in an order that does not depend on the import's.
    struct Outcome: Equatable {
        var cases: [String]
        var persons: Int
        var hits: [String: [String]]
    }

    func importAll(threads: Int) throws -> Outcome {
        let search = try Parallel.$threadsOverride.withValue(threads) { try TestSearch(lines: Self.lines) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var cases: [String] = []
        for holder in Self.holders {
            let held = try search.store.cases.list(heldBy: holder.authority, as: .localAdministrator, limit: 10_000)
            cases += try held.map { stored in
                let body = String(decoding: try encoder.encode(stored.record), as: UTF8.self)
                return "\(stored.holder) \(stored.prefectureCode) v\(stored.version) \(body)"
            }
        }
        var hits: [String: [String]] = [:]
        for query in Self.queries {
            hits[query] = try search.search(query).hits.map { hit in
                "\(hit.externalID ?? "-") \(hit.person.role) \(hit.person.name) \(hit.grade) \(String(format: "%.6f", hit.score))"
            }.sorted()
        }
        return Outcome(cases: cases.sorted(), persons: try search.engine.index.personCount(), hits: hits)
    }

    @Test("a parallel import stores and finds exactly what a one-thread import does")
    func parallelEqualsSequential() throws {
        let sequential = try importAll(threads: 1)
        let parallel = try importAll(threads: 4)
        #expect(sequential.cases.count == Self.lines.count)
        #expect(sequential.hits.values.allSatisfy { !$0.isEmpty && $0.count < 20 })
        // Compared piece by piece, so that a failure names what differs, not all of it.
        #expect(Set(parallel.cases).symmetricDifference(sequential.cases).isEmpty)
        #expect(parallel.cases.count == sequential.cases.count)
        #expect(parallel.persons == sequential.persons)
        for query in Self.queries {
            let (one, many) = (sequential.hits[query] ?? [], parallel.hits[query] ?? [])
            #expect(Set(one).symmetricDifference(many).isEmpty && one.count == many.count, "\(query): \(one.count) and \(many.count) hits")
        }
    }

    @Test("bad lines far into a large file: each named with its line, in file order, and nothing written")
    func badLinesMidFile() throws {
        var lines = Self.lines
        lines[700] = RecordFixture.line("BAD-1", ["child.birthdate": #""2019-02-30""#])
        lines[1_001] = Self.lines[3]
        lines[1_050] = #"{"external_id": "#
        let test = try TestStore()
        let report = try Parallel.$threadsOverride.withValue(4) {
            try JSONLinesImporter(store: test.store, actor: .localAdministrator).run(test.folder.write("bad.jsonl", lines: lines))
        }
        #expect(!report.committed)
        #expect(report.errors.map(\.line) == [701, 1_002, 1_051])
        #expect(report.errors.first?.message.contains("child.birthdate") == true)
        #expect(report.errors.dropFirst().first?.message.contains("already appears on line 4") == true)
        #expect(report.errors.last?.message.contains("malformed JSON") == true)
        #expect(try test.store.cases.countsByPrefecture().values.reduce(0, +) == 0)
        let reopened = try test.reopen()
        #expect(try reopened.cases.countsByPrefecture().values.reduce(0, +) == 0)
    }
}
