import Foundation
import MimamoriTesting
import Store
import Testing

/// The audit log's lookups by case and by holder, answered from `audit-views.sqlite` (built
/// behind the log) plus the links not yet indexed: the same answers before and after the
/// catch-up, and never from an index built from another log.
struct AuditViewsTests {
    static let holderWorker = Actor.user(login: "chiyoda", authority: "131016", role: .worker)
    static let outsider = Actor.user(login: "osaka", authority: "271004-01", role: .worker)
    /// More searches than one catch-up batch (512 audit rows), so both paths hold many.
    static let searches = 700

    /// A store with five cases held by 131016, each search by another authority showing two of them.
    private static func fixture() throws -> (test: TestStore, ids: [String]) {
        let test = try TestStore()
        let ids = try (0..<5).map { index in
            try test.store.cases.create(json: Array(RecordFixture.line("V-\(index)").utf8), as: .localAdministrator).id
        }
        for round in 0..<searches {
            let shown = [ids[round % 5], ids[(round + 1) % 5]].map {
                SearchDisclosure.Candidate(caseID: $0, holder: "131016", addressMunicipality: nil)
            }
            _ = try test.store.disclose([SearchDisclosure.Request(description: "q=r\(round)", candidates: shown)], to: outsider)
        }
        return (test, ids)
    }

    private static func searchViews(_ store: Store, _ id: String) throws -> [CaseView] {
        try store.auditLog.views(ofCase: id, as: holderWorker, limit: 1000).filter { $0.action == "search" }
    }

    @Test("who looked at a case, and the holder's trail: the same before and after the links are indexed, none lost or doubled")
    func sameAnswersIndexedOrNot() throws {
        let (test, ids) = try Self.fixture()
        let store = test.store
        let before = try ids.map { try Self.searchViews(store, $0) }
        let trailBefore = try store.auditLog.auditTrail(of: "131016", as: .localAdministrator, limit: 1000)
        try store.auditLog.indexViews()
        let after = try ids.map { try Self.searchViews(store, $0) }
        let trailAfter = try store.auditLog.auditTrail(of: "131016", as: .localAdministrator, limit: 1000)
        // Each case was shown by 2 of every 5 searches, all by the outsider.
        #expect(after.map(\.count) == Array(repeating: 2 * Self.searches / 5, count: 5))
        #expect(after.allSatisfy { $0.allSatisfy { $0.authority == "271004-01" } })
        #expect(before == after)
        #expect(trailBefore == trailAfter)
        #expect(trailAfter.filter { $0.action == "search" }.count == Self.searches)
        // Entries after the index are found from the links themselves.
        _ = try store.disclose(
            [
                SearchDisclosure.Request(
                    description: "q=late", candidates: [SearchDisclosure.Candidate(caseID: ids[0], holder: "131016", addressMunicipality: nil)])
            ],
            to: Self.outsider)
        #expect(try Self.searchViews(store, ids[0]).count == 2 * Self.searches / 5 + 1)
        #expect(try store.auditLog.verify() == nil)
    }

    @Test("an index whose watermark names another audit row (a restored catalogue) is emptied and rebuilt, not trusted")
    func indexFromAnotherLogIsRebuilt() throws {
        let (test, ids) = try Self.fixture()
        try test.store.auditLog.indexViews()
        let views = test.dataDirectory.appendingPathComponent("audit-views.sqlite")
        // A link the index holds but the log does not (case 4 in the first entry, which
        // created case 0), and a watermark hash that is not the log's.
        _ = try CommandRun.sqlite(
            views, "INSERT INTO case_views (case_id, audit_id) VALUES ('\(ids[4])', 1); UPDATE state SET hash = 'elsewhere'")
        let reopened = try test.reopen()
        try reopened.auditLog.indexViews()
        #expect(try Self.searchViews(reopened, ids[4]).count == 2 * Self.searches / 5)
        let stale = try CommandRun.sqlite(views, "SELECT count(*) FROM case_views WHERE case_id = '\(ids[4])' AND audit_id = 1")
        #expect(stale == "0")
        // Two links per search and one per case created.
        #expect(try CommandRun.sqlite(views, "SELECT count(*) FROM case_views") == String(2 * Self.searches + 5))
    }

    @Test("a lost index file is rebuilt from the log")
    func lostIndexIsRebuilt() throws {
        let (test, ids) = try Self.fixture()
        try test.store.auditLog.indexViews()
        let expected = try ids.map { try Self.searchViews(test.store, $0) }
        for suffix in ["", "-wal", "-shm"] {
            try? FileManager.default.removeItem(at: test.dataDirectory.appendingPathComponent("audit-views.sqlite" + suffix))
        }
        let reopened = try test.reopen()
        #expect(try ids.map { try Self.searchViews(reopened, $0) } == expected)
        try reopened.auditLog.indexViews()
        #expect(try ids.map { try Self.searchViews(reopened, $0) } == expected)
        // Pages of 1 KiB: each link indexed is a random leaf, written to the WAL and again by the checkpoint.
        #expect(try CommandRun.sqlite(test.dataDirectory.appendingPathComponent("audit-views.sqlite"), "PRAGMA page_size") == "1024")
    }
}
