import Foundation
import MimamoriTesting
import Query
import SQLiteDB
import Testing

@testable import Indexer
@testable import Store

/// The index's compact storage (index migration 7): a person's stored keys read back as they
/// were built, so the FTS5 terms and exact keys derived from them — which is how a person is
/// deleted from the contentless `person_terms` — are those once written.
@Suite(.serialized)
struct IndexStorageTests {
    @Test("a builder sharing the index's cache of names builds what a builder with no cache builds")
    func sharedNameCache() throws {
        let analyzer = try TestSearch.analyzer()
        let shared = NamePartCache()
        // ザ written precomposed and decomposed: equal as Swift strings, analysed each as written.
        let names = ["山田", "ザ", "サ\u{3099}", "髙橋", "高橋", "Nguyen"]
        for (offset, family) in (names + names).enumerated() {
            let record = CaseRecord(
                externalID: "E-\(offset)", authority: "131016",
                child: PersonIdentity(familyName: family, givenName: "太郎", familyNameKana: "ヤマダ", romaji: "Taro Yamada"),
                guardians: [Guardian(relation: .mother, identity: PersonIdentity(familyName: family, givenName: "花子"))])
            let identity = CaseIdentity(caseID: "c\(offset)", holder: "131016", prefectureCode: "13", body: CaseIdentity.Body(record))
            var withShared = PersonBuilder(analyzer: analyzer, cache: shared)
            var alone = PersonBuilder(analyzer: analyzer)
            let built = withShared.persons(of: identity)
            let fresh = alone.persons(of: identity)
            #expect(built.map(\.terms) == fresh.map(\.terms))
            #expect(built.map(\.lookupKeys) == fresh.map(\.lookupKeys))
            #expect(built.map(\.compactKeys) == fresh.map(\.compactKeys))
        }
    }

    @Test("stored keys read back as built, and the terms and exact keys derived from them are those written")
    func keysRoundTrip() throws {
        let local = try TestSearch(lines: SearchTests.records + BulkImportTests.lines.prefix(300))
        var builder = PersonBuilder(analyzer: try TestSearch.analyzer())
        var checked = 0
        for code in local.store.existingPartitions() {
            let identities = try local.store.changeFeed.identities(inPrefecture: code, afterID: "", limit: 10_000, as: .localAdministrator)
            for identity in identities {
                for person in builder.persons(of: identity) {
                    let built = [person.family, person.given] + person.extraParts
                    let parts = CompactKeys.decode(person.compactKeys)
                    #expect(parts.map(\.folded) == built.map(\.folded))
                    #expect(parts.map(\.canonical) == built.map(\.canonical))
                    #expect(parts.map(\.readings) == built.map(\.readings))
                    #expect(parts.map(\.looseReadings) == built.map(\.looseReadings))
                    #expect(parts.map(\.readingsGuessed) == built.map(\.readingsGuessed))
                    #expect(parts.map(\.script) == built.map(\.script))
                    var read = person
                    read.family = parts[0]
                    read.given = parts[1]
                    read.extraParts = Array(parts.dropFirst(2))
                    read.terms = ""
                    #expect(read.derivedTerms == person.terms)
                    #expect(LookupKeys.keys(of: read) == LookupKeys.keys(of: person))
                    checked += 1
                }
            }
        }
        #expect(checked > 300)
    }

    @Test("a first load leaves the terms index one segment, and a later import is found beside it")
    func firstLoadIsMerged() throws {
        // Records of many prefectures: the catch-up writes each partition's page in its own
        // transaction, each leaving an FTS5 segment unless they are merged.
        let local = try TestSearch(lines: SearchTests.records + BulkImportTests.lines.prefix(300))
        func segments() throws -> Int {
            try local.engine.index.database.read { connection throws(IndexError) in
                try connection.first("SELECT count(DISTINCT segid) FROM person_terms_idx") { $0.int(0) } ?? 0
            }
        }
        #expect(try segments() == 1)
        let report = try JSONLinesImporter(store: local.store, actor: .localAdministrator)
            .run(local.test.folder.write("later.jsonl", lines: [RecordFixture.line("LATER-1")]))
        #expect(report.committed)
        #expect(try local.search("山田 太郎 2018-04-01").hits.contains { $0.externalID == "LATER-1" })
        try local.engine.index.checkTermsIntegrity()
    }

    @Test("a first load builds the exact keys a rebuild writes one by one, and keys a crash left unmoved go in at the next catch-up")
    func firstLoadKeys() throws {
        let local = try TestSearch(lines: SearchTests.records + BulkImportTests.lines.prefix(300))
        let index = local.engine.index
        // Each key with its person named by case and ordinal: a rebuild numbers persons in
        // another order.
        func rows(_ table: String) throws -> [String] {
            try index.database.read { connection throws(IndexError) in
                try connection.query(
                    """
                    SELECT k.key, k.birth, c.holder, c.external_id, p.ordinal FROM \(table) k
                        JOIN persons p ON p.id = k.person JOIN persons c ON c.id = p.id - p.ordinal
                    ORDER BY 1, 2, 3, 4, 5
                    """
                ) { "\($0.text(0))|\($0.int(1))|\($0.text(2))|\($0.text(3))|\($0.int(4))" }
            }
        }
        func ids() throws -> [String] {
            try index.database.read { connection throws(IndexError) in
                try connection.query("SELECT key, birth, person FROM person_keys ORDER BY 1, 2, 3") { "\($0.text(0))|\($0.int(1))|\($0.int(2))" }
            }
        }
        let loaded = try rows("person_keys")
        #expect(loaded.count > 1_000)
        #expect(try rows("person_keys_load").isEmpty)
        // A rebuild writes every page's keys straight into `person_keys`.
        try index.rebuild(from: local.store)
        #expect(try rows("person_keys") == loaded)
        // What a first load interrupted by a crash leaves: keys not yet moved.
        let before = try ids()
        try index.database.write { connection throws(IndexError) in
            for row in before.suffix(50) {
                let fields = row.split(separator: "|", omittingEmptySubsequences: false)
                let values: [any SQLBindable] = [String(fields[0]), Int(fields[1])!, Int(fields[2])!]
                try connection.run("DELETE FROM person_keys WHERE key = ? AND birth = ? AND person = ?", values)
                try connection.run("INSERT INTO person_keys_load (key, birth, person) VALUES (?, ?, ?)", values)
            }
        }
        #expect(try ids().count == before.count - 50)
        try index.catchUp(from: local.store)
        #expect(try ids() == before)
        #expect(try rows("person_keys") == loaded)
        #expect(try rows("person_keys_load").isEmpty)
        #expect(try local.search("山田 太郎 2018-04-01").hits.isEmpty == false)
    }

    @Test("long names and many readings survive the compact form")
    func longValues() {
        let long = String(repeating: "佐", count: 120)
        let part = NamePartKeys(
            folded: long, canonical: long + "藤", readings: (0..<20).map { "サ\($0)" }, readingsGuessed: true, readingGuess: .kanji,
            looseReadings: (0..<20).map { "S\($0)" }, script: .mixed)
        let empty = NamePartKeys(folded: "", canonical: "", readings: [], readingsGuessed: false, looseReadings: [], script: .empty)
        let parts = CompactKeys.decode(CompactKeys.encode([part, empty]))
        #expect(parts == [part, empty])
    }

    @Test("updates and moves leave the terms index consistent and without the old names")
    func replacedTermsAreGone() throws {
        let local = try TestSearch(lines: [RecordFixture.line("R-1")])
        let id = try #require(try local.search("山田 太郎 2018-04-01").hits.first?.caseID)
        for (round, given) in [("次郎", "ジロウ"), ("三郎", "サブロウ")].enumerated() {
            let report = try JSONLinesImporter(store: local.store, actor: .localAdministrator).run(
                local.test.folder.write(
                    "update-\(round).jsonl",
                    lines: [
                        RecordFixture.line(
                            "R-1", ["child.given_name": RecordFixture.json(given.0), "child.given_name_kana": RecordFixture.json(given.1)])
                    ]))
            #expect(report.counts.updated == 1)
        }
        try local.store.cases.move(id: id, to: "271004-01", as: .localAdministrator)
        try local.engine.index.checkTermsIntegrity()
        #expect(try local.search("山田 三郎 2018-04-01").hits.first?.caseID == id)
        #expect(try local.search("次郎").hits.isEmpty)
        #expect(try local.search("ジロウ").hits.isEmpty)
    }
}
