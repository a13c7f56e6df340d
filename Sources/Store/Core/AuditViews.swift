import Dispatch
import Foundation
import Logging
import SQLiteDB
import Synchronization

/// The audit log's case links indexed by case and by holder, in a file of their own
/// (`audit-views.sqlite`), built behind the log instead of in each audit commit.
///
/// Every search writes one audit row and a link for each case it showed (`audit_cases`, keyed
/// by audit id, so the commit appends). The holders' questions need the links by case ("who
/// looked at this case", `AuditLog.views`) and by holder (an authority's trail): kept in the
/// catalogue, those two B-trees took 16 of the 21 pages a search's commit wrote to the WAL
/// (at 1M records, 6 links per search: one random leaf per case, one leaf per holder), about
/// 160 KiB per search with the checkpoint, and the audit's group commit was the server's
/// bottleneck whenever the disk was shared. Here they are written in batches off the request
/// path, on pages of 1 KiB, with `synchronous = NORMAL`: the file is derived from the
/// catalogue, so a crash that loses its last batches loses nothing, since its watermark
/// (`indexed_through`) goes back with them and the next catch-up redoes them.
///
/// Readers see the whole log at once: the catalogue's read connections attach this file as
/// `views`, and each query takes the indexed links up to the watermark plus the links after
/// it from `audit_cases` itself (`Self.links(byCase:)`, `Self.links(byHolder:)`).
///
/// The file is checked against the catalogue when the store opens: its watermark must name an
/// audit row with the hash it recorded, so an index left from another catalogue (a restore
/// of an older backup reuses audit ids) is rebuilt instead of pointing at other rows.
final class AuditViews: Sendable {
    static let fileName = "audit-views.sqlite"
    /// Audit rows behind the watermark that start a catch-up after a commit.
    static let catchUpThreshold = 64
    /// Audit rows indexed per transaction: each holds the file's writer only briefly.
    static let batchRows = 512

    let database: Database
    private let catalogue: Database
    private let logger: Logger
    private let queue = DispatchQueue(label: "mimamori.audit-views")
    private let scheduled = Mutex(false)

    /// Opens (creating) the file in `dataDirectory`: call before the catalogue's first reader
    /// connects (`Self.readerPragma`), then `attach(to:)`.
    static func open(in dataDirectory: URL) throws(StoreError) -> Database {
        try Database(
            path: dataDirectory.appendingPathComponent(fileName).path, migrations: migrations, pageSize: 1024, synchronous: .normal)
    }

    /// Run on each of the catalogue's read connections.
    static func readerPragma(_ database: Database) -> String {
        "ATTACH DATABASE '\(database.path.replacingOccurrences(of: "'", with: "''"))' AS views"
    }

    static let migrations = [
        Migration(
            version: 1, name: "case views and holder views",
            sql: """
                CREATE TABLE case_views (
                    case_id TEXT NOT NULL,
                    audit_id INTEGER NOT NULL,
                    PRIMARY KEY (case_id, audit_id)
                ) STRICT, WITHOUT ROWID;
                CREATE TABLE holder_views (
                    holder TEXT NOT NULL,
                    audit_id INTEGER NOT NULL,
                    PRIMARY KEY (holder, audit_id)
                ) STRICT, WITHOUT ROWID;
                -- Every link of the audit rows up to indexed_through is indexed; hash is that row's.
                CREATE TABLE state (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    indexed_through INTEGER NOT NULL,
                    hash TEXT NOT NULL
                ) STRICT;
                INSERT INTO state (id, indexed_through, hash) VALUES (1, 0, '');
                """)
    ]

    /// Audit rows behind the watermark that an opening store indexes before it returns (more
    /// are left to the background: a new or rebuilt file behind a long log).
    static let catchUpOnOpen = 10_000

    /// Checks the file against `catalogue` (emptying it if it was built from another log)
    /// and catches up: at once if few rows wait, otherwise in the background.
    init(database: Database, catalogue: Database, logger: Logger) throws(StoreError) {
        self.database = database
        self.catalogue = catalogue
        self.logger = logger
        let state = try database.read { connection throws(StoreError) in
            try connection.first("SELECT indexed_through, hash FROM state") { ($0.int(0), $0.text(1)) }
        }
        var indexed = state?.0 ?? 0
        let (hash, last) = try catalogue.read { connection throws(StoreError) in
            (
                try connection.first("SELECT hash FROM audit_log WHERE id = ?", [indexed]) { $0.optionalText(0) } ?? nil,
                try connection.first("SELECT max(id) FROM audit_log") { $0.optionalInt(0) } ?? nil
            )
        }
        if indexed > 0, hash != state?.1 {
            logger.warning("audit views were built from another audit log: rebuilding", metadata: ["indexed_through": "\(indexed)"])
            try database.write { connection throws(StoreError) in
                try connection.execute("DELETE FROM case_views; DELETE FROM holder_views; UPDATE state SET indexed_through = 0, hash = ''")
            }
            indexed = 0
        }
        // A short tail now, so that a store opened for one command leaves no work behind.
        if (last ?? 0) - indexed <= Self.catchUpOnOpen { try catchUp() } else { schedule() }
    }

    /// Starts a catch-up in the background unless one is already running or queued.
    func schedule() {
        let start = scheduled.withLock { scheduled in
            defer { scheduled = true }
            return !scheduled
        }
        guard start else { return }
        // Weak: a store closed meanwhile leaves its files closed, not held open by a catch-up.
        queue.async { [weak self] in
            guard let self else { return }
            scheduled.withLock { $0 = false }
            do { try catchUp() } catch { logger.error("audit views: catch-up failed", metadata: ["error": "\(error)"]) }
        }
    }

    /// After an audit commit up to `lastID`: starts a catch-up once enough rows wait.
    func committed(through lastID: Int) {
        if lastID - watermark.load(ordering: .relaxed) >= Self.catchUpThreshold { schedule() }
    }

    /// The highest audit id indexed, as this process last saw it.
    private let watermark = Atomic<Int>(0)

    /// Indexes every link committed so far, in batches of `batchRows` audit rows.
    func catchUp() throws(StoreError) {
        while true {
            let from = try database.read { connection throws(StoreError) in
                try connection.first("SELECT indexed_through FROM state") { $0.int(0) } ?? 0
            }
            watermark.store(from, ordering: .relaxed)
            let batch = try catalogue.read { connection throws(StoreError) in
                let last = try connection.first(
                    "SELECT id, hash FROM audit_log WHERE id > ? AND id <= ? ORDER BY id DESC LIMIT 1", [from, from + Self.batchRows]
                ) { ($0.int(0), $0.optionalText(1) ?? "") }
                guard let last else { return nil as (through: Int, hash: String, links: [(String, Int, String)])? }
                let links = try connection.query(
                    "SELECT case_id, audit_id, holder FROM audit_cases WHERE audit_id > ? AND audit_id <= ?", [from, last.0]
                ) { ($0.text(0), $0.int(1), $0.text(2)) }
                return (last.0, last.1, links)
            }
            guard let batch else { return }
            try database.write { connection throws(StoreError) in
                // Sorted as the keys are, so neighbouring inserts share pages.
                for (caseID, auditID, _) in batch.links.sorted(by: { ($0.0, $0.1) < ($1.0, $1.1) }) {
                    try connection.run("INSERT OR IGNORE INTO case_views (case_id, audit_id) VALUES (?, ?)", [caseID, auditID])
                }
                for (holder, auditID) in Set(batch.links.map { HolderView(holder: $0.2, auditID: $0.1) }).sorted().map({ ($0.holder, $0.auditID) }) {
                    try connection.run("INSERT OR IGNORE INTO holder_views (holder, audit_id) VALUES (?, ?)", [holder, auditID])
                }
                try connection.run("UPDATE state SET indexed_through = ?, hash = ?", [batch.through, batch.hash])
            }
            watermark.store(batch.through, ordering: .relaxed)
        }
    }

    private struct HolderView: Hashable, Comparable {
        let holder: String
        let auditID: Int

        static func < (lhs: Self, rhs: Self) -> Bool { (lhs.holder, lhs.auditID) < (rhs.holder, rhs.auditID) }
    }

    /// SQL for the audit ids whose links name case `?1` (on a catalogue reader connection).
    static let idsByCase = """
        SELECT audit_id FROM views.case_views WHERE case_id = ?1
        UNION ALL SELECT audit_id FROM audit_cases WHERE audit_id > (SELECT indexed_through FROM views.state) AND case_id = ?1
        """

    /// SQL for the audit ids whose links name a case held by `?2` (on a catalogue reader
    /// connection), below `?1`.
    static let idsByHolder = """
        SELECT audit_id FROM views.holder_views WHERE holder = ?2 AND audit_id < ?1
        UNION ALL SELECT audit_id FROM audit_cases WHERE audit_id > (SELECT indexed_through FROM views.state) AND holder = ?2 AND audit_id < ?1
        """
}
