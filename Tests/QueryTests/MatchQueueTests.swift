import Foundation
import Indexer
import MimamoriTesting
import Query
import Store
import Testing

/// The match-check queue: cases the index takes in for the first time wait, on disk, until
/// their match check has run.
struct MatchQueueTests {
    @Test("cases imported while the server was down are checked when it starts, even if a crash came first; a store's first load is not")
    func durableQueue() throws {
        let search = try TestSearch(lines: [RecordFixture.line("C-1")])
        #expect(try search.engine.index.pendingMatchChecks(limit: 10).isEmpty)  // the first load of an empty index
        // The server is down: the CLI imports the same child for 大阪市 into the data folder.
        let offline = try search.test.reopen()
        let file = search.test.folder.write(
            "offline.jsonl", lines: [RecordFixture.line("O-1", authority: "271004", ["address": #"{"prefecture": "大阪府", "municipality": "大阪市"}"#])])
        #expect(try JSONLinesImporter(store: offline, actor: .localAdministrator).run(file).committed)
        let newID = try #require(try offline.cases.list(heldBy: "271004", as: .localAdministrator).first?.id)
        // A start takes it into the index and queues it; the process dies before any check.
        let analyzer = try TestSearch.analyzer()
        let crashed = try search.test.reopen()
        #expect(try SearchIndex.attach(to: crashed, analyzer: analyzer).pendingMatchChecks(limit: 10) == [newID])
        // The next start checks it: both holders are told, and the queue is empty.
        let restarted = try search.test.reopen()
        let index = try SearchIndex.attach(to: restarted, analyzer: analyzer)
        let alerter = MatchAlerter(engine: SearchEngine(store: restarted, index: index))
        alerter.waitUntilIdle()
        #expect(try restarted.notifications.inbox(of: "271004", as: .localAdministrator).map(\.kind) == ["match.found"])
        #expect(try restarted.notifications.inbox(of: "131016", as: .localAdministrator).map(\.ref) == [newID])
        #expect(try index.pendingMatchChecks(limit: 10).isEmpty)
    }
}
