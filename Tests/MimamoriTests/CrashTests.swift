import Foundation
import MimamoriTesting
import Store
import Testing

/// A child process killed with SIGKILL in the middle of a write: after reopening, every
/// file passes `PRAGMA integrity_check` and each write is there in full or not at all.
@Suite(.serialized)
struct CrashTests {
    static let recordCount = 3000

    /// Records spread over several prefectures, so the import spans partitions.
    static func largeFile(in folder: TemporaryDirectory) -> URL {
        let holders = [("131016", "東京都", "千代田区"), ("271004-01", "大阪府", "大阪市北区"), ("010006-01", "北海道", "函館市"), ("401005-01", "福岡県", "北九州市")]
        return folder.write(
            "large.jsonl",
            lines: (0..<recordCount).map { index in
                let (authority, prefecture, municipality) = holders[index % holders.count]
                return RecordFixture.line(
                    "C-\(index)", authority: authority,
                    [
                        "address": #"{"prefecture": "\#(prefecture)", "municipality": "\#(municipality)"}"#
                    ])
            })
    }

    func expectConsistent(_ test: TestStore, cases expected: Set<Int>, _ comment: Comment) throws -> Store {
        let store = try test.reopen()
        #expect(try store.maintenance.integrityProblems().isEmpty, comment)
        let total = try store.cases.countsByPrefecture().values.reduce(0, +)
        #expect(expected.contains(total), "\(comment): \(total) cases")
        return store
    }

    @Test(
        "an import killed at each step of its commit is all there or not at all",
        arguments: [
            ("import.staged", false), ("commit.prepared", false), ("commit.committed", true), ("commit.applied-first", true),
        ])
    func importKilledAtStep(point: String, survives: Bool) throws {
        let test = try TestStore()
        let file = Self.largeFile(in: test.folder)
        let run = try CommandRun.mimamori(
            ["import", "--data", test.dataDirectory.path, file.path], environment: ["MIMAMORI_CRASH_AT": point])
        #expect(run.killedBySignal && run.status == SIGKILL, "\(point): \(run.standardError)")
        _ = try expectConsistent(test, cases: [survives ? Self.recordCount : 0], "\(point)")
    }

    @Test("an import killed at random moments is all there or not at all", arguments: [150, 400, 700, 1000, 1500])
    func importKilledAtRandomMoment(milliseconds: Int) throws {
        let test = try TestStore()
        let file = Self.largeFile(in: test.folder)
        let running = try CommandRun.start(["import", "--data", test.dataDirectory.path, file.path])
        Thread.sleep(forTimeInterval: Double(milliseconds) / 1000)
        running.kill()
        _ = CommandRun.finish(running)
        _ = try expectConsistent(test, cases: [0, Self.recordCount], "killed after \(milliseconds) ms")
    }

    @Test(
        "a move between prefectures killed at each step leaves the case in exactly one partition",
        arguments: [
            ("move.staged-destination", false), ("commit.prepared", false), ("commit.committed", true), ("commit.applied-first", true),
        ])
    func moveKilledAtStep(point: String, moves: Bool) throws {
        let test = try TestStore()
        _ = try JSONLinesImporter(store: test.store, actor: .localAdministrator)
            .run(test.folder.write("one.jsonl", lines: [RecordFixture.line("M-1")]))
        let id = try #require(try test.store.cases.list(heldBy: "131016", as: .localAdministrator).first?.id)
        let run = try CommandRun.mimamori(
            ["case", "move", "--data", test.dataDirectory.path, id, "--to", "271004-01"],
            environment: ["MIMAMORI_CRASH_AT": point])
        #expect(run.killedBySignal, "\(point): \(run.standardError)")
        let store = try expectConsistent(test, cases: [1], "\(point)")
        let found = try store.cases.read(id: id, as: .localAdministrator)
        #expect(found.holder == (moves ? "271004-01" : "131016"), "\(point)")
        #expect(found.prefectureCode == (moves ? "27" : "13"), "\(point)")
        #expect(found.record.authority == found.holder, "\(point)")
    }
}

@Suite(.serialized)
struct ConcurrentProcessTests {
    @Test("opening the store while another process imports leaves that import alone")
    func recoveryDoesNotAbortALiveImport() throws {
        let test = try TestStore()
        let file = CrashTests.largeFile(in: test.folder)
        // The importer pauses after staging its first batch; meanwhile this process opens the
        // store, which runs recovery.
        let running = try CommandRun.start(
            ["import", "--data", test.dataDirectory.path, file.path], environment: ["MIMAMORI_PAUSE_AT": "import.staged"])
        Thread.sleep(forTimeInterval: 1)
        _ = try test.reopen()
        let run = CommandRun.finish(running)
        #expect(run.status == 0, "\(run.standardError)")
        #expect(try test.reopen().cases.countsByPrefecture().values.reduce(0, +) == CrashTests.recordCount)
    }
}
