import Foundation
import MimamoriTesting
import Store
import Testing

struct ImportTests {
    func importFile(_ store: Store, _ url: URL, dryRun: Bool = false) throws -> JSONLinesImporter.Report {
        try JSONLinesImporter(store: store, actor: .localAdministrator).run(url, dryRun: dryRun)
    }

    /// Records in three prefectures, so the import spans partitions.
    static let goodLines = (1...30).map { index in
        switch index % 3 {
        case 0: RecordFixture.line("T-\(index)")
        case 1: RecordFixture.line("O-\(index)", authority: "271004-01", ["address": #"{"prefecture": "大阪府", "municipality": "大阪市北区"}"#])
        default: RecordFixture.line("H-\(index)", authority: "010006-01", ["address": #"{"prefecture": "北海道", "municipality": "函館市"}"#])
        }
    }

    @Test("a valid file is imported into the partitions of its holders' prefectures")
    func importsIntoPartitions() throws {
        let test = try TestStore()
        let report = try importFile(test.store, test.folder.write("good.jsonl", lines: Self.goodLines))
        #expect(report.committed)
        #expect(report.counts.inserted == 30)
        #expect(try test.store.cases.countsByPrefecture() == ["01": 10, "13": 10, "27": 10])
        #expect(FileManager.default.fileExists(atPath: test.dataDirectory.appendingPathComponent("pref-27.sqlite").path))
    }

    @Test("one bad line in the middle: nothing is imported and the line is named")
    func allOrNothing() throws {
        let test = try TestStore()
        var lines = Self.goodLines
        lines[14] = RecordFixture.line("BAD-1", ["child.birthdate": #""2019-02-30""#])
        let report = try importFile(test.store, test.folder.write("bad.jsonl", lines: lines))
        #expect(!report.committed)
        #expect(report.errors.map(\.line) == [15])
        #expect(report.errors.first?.message.contains("child.birthdate") == true)
        #expect(try test.store.cases.countsByPrefecture().values.reduce(0, +) == 0)
        // Nothing staged is left behind either.
        let reopened = try test.reopen()
        #expect(try reopened.cases.countsByPrefecture().values.reduce(0, +) == 0)
    }

    @Test("importing the same file twice changes nothing")
    func idempotentUpsert() throws {
        let test = try TestStore()
        let file = test.folder.write("good.jsonl", lines: Self.goodLines)
        _ = try importFile(test.store, file)
        let before = try test.store.cases.list(heldBy: "131016", as: .localAdministrator, limit: 100)
        let second = try importFile(test.store, file)
        #expect(second.counts == ApplyCounts(inserted: 0, updated: 0, unchanged: 30, deleted: 0))
        let after = try test.store.cases.list(heldBy: "131016", as: .localAdministrator, limit: 100)
        #expect(after == before)
    }

    @Test("a changed record is updated in place with a new version")
    func upsertUpdates() throws {
        let test = try TestStore()
        _ = try importFile(test.store, test.folder.write("a.jsonl", lines: [RecordFixture.line("A-1")]))
        let report = try importFile(
            test.store, test.folder.write("b.jsonl", lines: [RecordFixture.line("A-1", ["status": #""closed""#])]))
        #expect(report.counts.updated == 1)
        let cases = try test.store.cases.list(heldBy: "131016", as: .localAdministrator)
        #expect(cases.count == 1)
        #expect(cases.first?.version == 2)
        #expect(cases.first?.record.status == .closed)
    }

    @Test(
        "bad input gets a clear error with its line number and nothing is written",
        arguments: [
            ("truncated line", Data((RecordFixture.line("A-1") + "\n" + #"{"external_id": "A-2", "authority": "#).utf8), 2, "malformed JSON"),
            ("invalid UTF-8", Data(RecordFixture.line("A-1").utf8) + Data([0x0A, 0x7B, 0xFF, 0xFE, 0x7D, 0x0A]), 2, "not valid UTF-8"),
            ("unknown authority", Data((RecordFixture.line("A-1", authority: "999999") + "\n").utf8), 1, "unknown authority code"),
            ("impossible date", Data((RecordFixture.line("A-1", ["child.birthdate": #""2019-02-30""#]) + "\n").utf8), 1, "2019-02 has 28 days"),
            (
                "duplicate external id", Data((RecordFixture.line("A-1") + "\n" + RecordFixture.line("A-1") + "\n").utf8), 2,
                "already appears on line 1"
            ),
        ])
    func badInput(label: String, content: Data, line: Int, reason: String) throws {
        let test = try TestStore()
        let file = test.folder.file("input.jsonl")
        try content.write(to: file)
        let report = try importFile(test.store, file)
        #expect(!report.committed, "\(label)")
        let error = try #require(report.errors.first, "\(label): no error reported")
        #expect(error.line == line, "\(label)")
        #expect(error.message.contains(reason), "\(label): \(error)")
        #expect(try test.store.cases.countsByPrefecture().values.reduce(0, +) == 0, "\(label)")
    }

    @Test("a 100 MB line is refused without reading it into memory, and the lines after it are still checked")
    func hugeLine() throws {
        let test = try TestStore()
        let file = test.folder.file("huge.jsonl")
        #expect(FileManager.default.createFile(atPath: file.path, contents: nil))
        let handle = try FileHandle(forWritingTo: file)
        handle.write(Data((RecordFixture.line("A-1") + "\n").utf8))
        let chunk = Data(repeating: UInt8(ascii: "x"), count: 1 << 20)
        for _ in 0..<100 { handle.write(chunk) }
        handle.write(Data(("\n" + RecordFixture.line("A-3", ["child.sex": #""x""#]) + "\n").utf8))
        try handle.close()
        let report = try importFile(test.store, file)
        #expect(report.errors.map(\.line) == [2, 3])
        #expect(report.errors.first?.message.contains("at most 1048576 bytes") == true)
        #expect(try test.store.cases.countsByPrefecture().values.reduce(0, +) == 0)
    }

    @Test("a dry run validates and writes nothing")
    func dryRun() throws {
        let test = try TestStore()
        let report = try importFile(test.store, test.folder.write("good.jsonl", lines: Self.goodLines), dryRun: true)
        #expect(report.errorCount == 0 && report.records == 30 && !report.committed)
        #expect(try test.store.cases.countsByPrefecture().values.reduce(0, +) == 0)
    }

    @Test("a byte-order mark, CRLF line ends and blank lines are accepted")
    func toleratesExcelishFiles() throws {
        let test = try TestStore()
        let file = test.folder.file("crlf.jsonl")
        try (Data([0xEF, 0xBB, 0xBF]) + Data((RecordFixture.line("A-1") + "\r\n\r\n" + RecordFixture.line("A-2") + "\r\n").utf8))
            .write(to: file)
        let report = try importFile(test.store, file)
        #expect(report.errors.isEmpty)
        #expect(report.counts.inserted == 2)
    }

    @Test("the import is audited without personal data")
    func audited() throws {
        let test = try TestStore()
        _ = try importFile(test.store, test.folder.write("good.jsonl", lines: Self.goodLines))
        let entry = try #require(try test.store.auditLog.entries(as: .localAdministrator, ).first { $0.action == "case.import" })
        #expect(entry.actor == "local-administrator")
        #expect(entry.detail?.contains("records=30") == true)
        #expect(entry.detail?.contains("山田") == false)
    }
}
