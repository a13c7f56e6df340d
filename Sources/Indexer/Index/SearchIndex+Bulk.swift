import Foundation
import SQLiteDB
import Store
import Synchronization

// The index's bulk path: the partitions' change logs applied a page per transaction, the next
// page read and its rows built (on every core) while the current one is written. The rows
// come from the same per-person code (`PersonBuilder`) and the same `write` as every other
// update, so what a bulk catch-up writes is what one change at a time would have written.
extension SearchIndex {
    /// Changes applied per transaction when catching up.
    static let changesPerBatch = 10_000

    /// A page of one partition's change log with the index updates it makes.
    struct Page: Sendable {
        let changes: [CaseChange]
        let updates: [Update]
    }

    /// Applies every change of the given partitions after the index's cursors. The next page
    /// (of the same partition, or the first of the next one) is read and its rows built while
    /// the current one is written, so reading, building and writing overlap across the whole
    /// catch-up, not only within a large partition.
    ///
    /// Consecutive pages are written in one transaction, up to `changesPerBatch` changes
    /// together: after an import most partitions have a page far smaller than that, and each
    /// commit writes every B-tree page it touched (the persons' exact keys land all over
    /// `person_keys`) to the WAL again. Each page is written by the same statements as alone
    /// (`write` looks at what the transaction holds so far) with its partition's cursor, so the
    /// rows, the cursors and what a crash leaves (all of the transaction's pages or none) are
    /// what one transaction per page gives.
    /// - Parameter firstLoad: the index was empty when the catch-up began (its cases are not
    ///   new registrations and are not queued for match checks).
    /// - Returns: the number of changes applied.
    func catchUp(from store: Store, partitions codes: [String], firstLoad: Bool) throws(IndexError) -> Int {
        guard !codes.isEmpty else { return 0 }
        var applied = 0
        // The partition and cursor of the page being read (`next`).
        var position = 0
        var cursor = try database.read { connection throws(IndexError) in try Self.cursor(of: codes[0], connection) }
        var next = prefetch(from: store, prefecture: codes[0], after: cursor)
        var inFlight = true
        // Work still running when an error ends the catch-up finishes before it returns.
        defer { if inFlight { _ = try? next.wait() } }
        // Pages read and not yet written, oldest first, with the changes they hold.
        var group: [PendingPage] = []
        var grouped = 0
        while true {
            inFlight = false
            let page = try next.wait()
            let pending = PendingPage(page: page, position: position, cursor: cursor)
            let code = codes[position]
            // Start reading what follows: more of this partition after a full page; else the
            // next partition (a change logged after this page was read is applied by the
            // catch-up its own write starts).
            if let last = page.changes.last, page.changes.count >= Self.changesPerBatch {
                cursor = last.seq
                next = prefetch(from: store, prefecture: code, after: cursor)
                inFlight = true
            } else if position + 1 < codes.count {
                position += 1
                cursor = try database.read { connection throws(IndexError) in try Self.cursor(of: codes[position], connection) }
                next = prefetch(from: store, prefecture: codes[position], after: cursor)
                inFlight = true
            }
            if !page.changes.isEmpty {
                if !group.isEmpty, grouped + page.changes.count > Self.changesPerBatch {
                    // The page would make the transaction larger than a full page: write those before it.
                    if let stale = try write(group, codes: codes, firstLoad: firstLoad, applied: &applied) {
                        (position, cursor, next, inFlight) = try restart(at: stale, codes: codes, store: store, inFlight: inFlight, next: next)
                        (group, grouped) = ([], 0)
                        continue
                    }
                    (group, grouped) = ([], 0)
                }
                group.append(pending)
                grouped += page.changes.count
            }
            guard !group.isEmpty, grouped >= Self.changesPerBatch || !inFlight else {
                if inFlight { continue } else { break }
            }
            if let stale = try write(group, codes: codes, firstLoad: firstLoad, applied: &applied) {
                (position, cursor, next, inFlight) = try restart(at: stale, codes: codes, store: store, inFlight: inFlight, next: next)
                (group, grouped) = ([], 0)
                continue
            }
            (group, grouped) = ([], 0)
            if !inFlight { break }
        }
        return applied
    }

    /// A page read by the catch-up, with the partition (its index in the catch-up's list) and
    /// the cursor it was read after.
    struct PendingPage {
        let page: Page
        let position: Int
        let cursor: Int
    }

    /// Writes pages in one transaction, each with its partition's cursor, then tells the
    /// observers of new cases. A page whose partition's cursor is no longer the one it was
    /// read after (another process following the same store applied it meanwhile) is not
    /// written, nor any page after it.
    /// - Returns: that page, to read its partition again from where the index now is; nil if
    ///   every page was written.
    private func write(_ pages: [PendingPage], codes: [String], firstLoad: Bool, applied: inout Int) throws(IndexError) -> PendingPage? {
        let (written, stale) = try database.write { connection throws(IndexError) -> ([[String]], PendingPage?) in
            var written: [[String]] = []
            for pending in pages {
                let code = codes[pending.position]
                guard let last = pending.page.changes.last else { continue }
                guard try Self.cursor(of: code, connection) == pending.cursor else { return (written, pending) }
                // Cases the index has never held are new registrations (or arrivals by a move).
                let newCases = try write(pending.page.updates, in: connection, loadingKeys: firstLoad)
                if !firstLoad {
                    let now = ISO8601DateFormatter().string(from: Date())
                    for caseID in newCases {
                        try connection.run("INSERT OR IGNORE INTO match_queue (case_id, queued_at) VALUES (?, ?)", [caseID, now])
                    }
                }
                try connection.run(
                    "INSERT INTO cursors (prefecture, seq) VALUES (?, ?) ON CONFLICT (prefecture) DO UPDATE SET seq = excluded.seq",
                    [code, last.seq])
                written.append(newCases)
            }
            return (written, nil)
        }
        for (pending, newCases) in zip(pages, written) {
            if !newCases.isEmpty {
                for observer in newCaseObservers.withLock({ $0 }) { observer(newCases) }
            }
            applied += pending.page.changes.count
        }
        return stale
    }

    /// Reads the partition of a stale page again from where the index now is, after the page
    /// being read (if any) is done.
    private func restart(
        at stale: PendingPage, codes: [String], store: Store, inFlight: Bool, next: BackgroundWork<Page, IndexError>
    ) throws(IndexError) -> (Int, Int, BackgroundWork<Page, IndexError>, Bool) {
        if inFlight { _ = try? next.wait() }
        let code = codes[stale.position]
        let cursor = try database.read { connection throws(IndexError) in try Self.cursor(of: code, connection) }
        return (stale.position, cursor, prefetch(from: store, prefecture: code, after: cursor), true)
    }

    /// The last change of a partition the index has applied (0 for none).
    static func cursor(of prefecture: String, _ connection: Connection) throws(IndexError) -> Int {
        try connection.first("SELECT seq FROM cursors WHERE prefecture = ?", [prefecture]) { $0.int(0) } ?? 0
    }

    /// Starts reading the page of changes after `seq` and building its updates.
    private func prefetch(from store: Store, prefecture code: String, after seq: Int) -> BackgroundWork<Page, IndexError> {
        BackgroundWork { [self] () throws(IndexError) -> Page in
            let changes = try IndexError.fromStore { () throws(StoreError) in
                try store.changeFeed.changes(inPrefecture: code, after: seq, limit: Self.changesPerBatch, as: .localAdministrator)
            }
            // Only the newest state of each case matters.
            var seen = Set<String>()
            return Page(changes: changes, updates: updates(for: changes.reversed().filter { seen.insert($0.caseID).inserted }, in: code))
        }
    }

    /// The index updates for the newest change of each case (one change per case), built on
    /// every core, in the changes' order.
    func updates(for changes: [CaseChange], in prefecture: String) -> [Update] {
        let (analyzer, cache) = (analyzer, nameParts)
        return Parallel.map(changes, context: PersonBuilder(analyzer: analyzer, cache: cache)) { builder, change in
            if let identity = change.identity {
                return .replace(caseID: change.caseID, persons: builder.persons(of: identity))
            }
            // Gone from this partition (deleted, or moved away): drop only this partition's
            // rows, so a move applied at its destination first stays.
            return .remove(caseID: change.caseID, prefecture: prefecture)
        }
    }

    /// The rows of whole cases (a rebuild), built on every core, in the cases' order.
    func replacements(for identities: [CaseIdentity]) -> [Update] {
        let (analyzer, cache) = (analyzer, nameParts)
        return Parallel.map(identities, context: PersonBuilder(analyzer: analyzer, cache: cache)) { builder, identity in
            .replace(caseID: identity.caseID, persons: builder.persons(of: identity))
        }
    }
}
