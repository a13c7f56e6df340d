import Foundation
import SQLiteDB

/// A row staged in a partition by a cross-partition commit.
struct StagedRow: Sendable {
    enum Op: String, Sendable { case upsert, insert, delete }

    let op: Op
    let caseID: String
    let holder: String
    let externalID: String
    let status: String
    /// The record's JSON (sorted keys); empty when staged packed.
    var body: String
    let version: Int
    let createdAt: String
    /// The body as `cases` stores it (`CaseBody.pack`), made by an import's workers: such a
    /// row is staged packed, with its list columns, and a new case is applied by the bulk
    /// `INSERT … SELECT` (nil: the row is staged with its JSON and applied one by one).
    var packed: [UInt8]? = nil
    /// With `packed`: the values of `CaseBody.listColumns` for the body.
    var listValues: [SQLValue] = []

    /// The body as staged packed, with every list column beside it; nil: staged as JSON.
    var stagedPacked: [UInt8]? { listValues.count == CaseBody.listColumnCount ? packed : nil }
}

/// What applying a commit did to case rows.
package struct ApplyCounts: Sendable, Hashable {
    package var inserted = 0
    package var updated = 0
    package var unchanged = 0
    package var deleted = 0

    package init(inserted: Int = 0, updated: Int = 0, unchanged: Int = 0, deleted: Int = 0) {
        self.inserted = inserted
        self.updated = updated
        self.unchanged = unchanged
        self.deleted = deleted
    }

    static func + (lhs: ApplyCounts, rhs: ApplyCounts) -> ApplyCounts {
        ApplyCounts(
            inserted: lhs.inserted + rhs.inserted, updated: lhs.updated + rhs.updated,
            unchanged: lhs.unchanged + rhs.unchanged, deleted: lhs.deleted + rhs.deleted)
    }
}

/// The cross-partition commit protocol: rows are staged (invisible) in every partition
/// concerned, the commit point is one catalogue transaction (with the audit entry), and then
/// the staged rows are applied in each partition; `recover` finishes or undoes a commit a
/// crash interrupted. Used by imports and moves between prefectures. See docs/architecture.md.
struct CrossPartitionCommit: StoreFeature {
    let store: Store

    /// Starts a cross-partition commit: records it as `prepared` in the catalogue.
    func beginCommit(kind: String, actor: Actor) throws(StoreError) -> String {
        let id = UUID().uuidString.lowercased()
        try catalogue.write { connection throws(StoreError) in
            try connection.run(
                "INSERT INTO commits (id, kind, state, actor, owner_pid, created_at) VALUES (?, ?, 'prepared', ?, ?, ?)",
                [id, kind, actor.description, Int(getpid()), Timestamp.now()])
        }
        return id
    }

    /// Stages rows in one partition (invisible to readers until applied).
    func stage(_ rows: [StagedRow], commit: String, in prefectureCode: String, firstSeq: Int) throws(StoreError) {
        try partition(prefectureCode).write { connection throws(StoreError) in
            let stagePacked = try connection.prepare(Self.stagePackedSQL)
            for (offset, row) in rows.enumerated() {
                if let packed = row.stagedPacked {
                    // `body` stays empty: the body is `packed`, its list columns beside it.
                    try connection.run(
                        stagePacked,
                        [
                            commit.sqlValue, (firstSeq + offset).sqlValue, row.op.rawValue.sqlValue, row.caseID.sqlValue,
                            row.holder.sqlValue, row.externalID.sqlValue, row.status.sqlValue, row.version.sqlValue,
                            row.createdAt.sqlValue, SQLValue.blob(packed),
                        ] + row.listValues)
                    continue
                }
                try connection.run(
                    """
                    INSERT INTO staged (commit_id, seq, op, case_id, holder, external_id, status, body, version, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                    [
                        commit, firstSeq + offset, row.op.rawValue, row.caseID, row.holder, row.externalID, row.status,
                        row.body, row.version, row.createdAt,
                    ])
            }
        }
    }

    private static let stagePackedSQL = """
        INSERT INTO staged (commit_id, seq, op, case_id, holder, external_id, status, body, version, created_at, packed,
            \(CaseBody.listColumns))
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, '', ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)
        """

    /// The staged rows of `?1` that are new cases to insert in bulk: staged packed, as an
    /// upsert, with no case of their key yet.
    private static let freshRows = """
        s.commit_id = ?1 AND s.op = 'upsert' AND s.packed IS NOT NULL
            AND NOT EXISTS (SELECT 1 FROM cases AS c WHERE c.holder = s.holder AND c.external_id = s.external_id)
        """

    /// Stages, beside a case being moved into `destination`, its notes and attachments from
    /// `source` (before the commit point, like the case row itself).
    func stageAttachedRows(of caseID: String, from source: String, commit: String, in destination: String) throws(StoreError) {
        let notes = try partition(source).read { connection throws(StoreError) in
            try connection.query("SELECT id, at, author, authority, text FROM notes WHERE case_id = ?", [caseID]) {
                [$0.text(0), $0.text(1), $0.text(2), $0.text(3), $0.text(4)]
            }
        }
        let attachments = try partition(source).read { connection throws(StoreError) in
            try connection.query(
                "SELECT id, media_type, name, size, sha256, content, at, author, authority FROM attachments WHERE case_id = ?", [caseID]
            ) { row -> [SQLValue] in
                [
                    .text(row.text(0)), .text(row.text(1)), .text(row.text(2)), .integer(Int64(row.int(3))), .text(row.text(4)),
                    .blob(row.blob(5)), .text(row.text(6)), .text(row.text(7)), .text(row.text(8)),
                ]
            }
        }
        // The progress goes with the case, but not the person in charge: the new holder assigns its own.
        let progress = try partition(source).read { connection throws(StoreError) in
            try connection.first(
                "SELECT category, NULL, risk, next_review, plan, updated_at, updated_by FROM case_progress WHERE case_id = ?", [caseID]
            ) { row in (Int32(0)..<7).map { row.optionalText($0)?.sqlValue ?? .null } }
        }
        let plans = try partition(source).read { connection throws(StoreError) in
            try connection.query("SELECT id, at, author, authority, plan FROM plan_history WHERE case_id = ?", [caseID]) {
                [$0.text(0), $0.text(1), $0.text(2), $0.text(3), $0.text(4)]
            }
        }
        guard !notes.isEmpty || !attachments.isEmpty || progress != nil || !plans.isEmpty else { return }
        try partition(destination).write { connection throws(StoreError) in
            if let progress {
                try connection.run(
                    """
                    INSERT INTO staged_progress (commit_id, case_id, category, assignee, risk, next_review, plan, updated_at, updated_by)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, [commit.sqlValue, caseID.sqlValue] + progress)
            }
            for plan in plans {
                try connection.run(
                    "INSERT INTO staged_plan_history (commit_id, case_id, id, at, author, authority, plan) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [commit, caseID] + plan)
            }
            for note in notes {
                try connection.run(
                    "INSERT INTO staged_notes (commit_id, case_id, id, at, author, authority, text) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [commit, caseID] + note)
            }
            for attachment in attachments {
                try connection.run(
                    """
                    INSERT INTO staged_attachments (commit_id, case_id, id, media_type, name, size, sha256, content, at, author, authority)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, [commit.sqlValue, caseID.sqlValue] + attachment)
            }
        }
    }

    /// The commit point: once this returns, the commit will be applied in full, even across
    /// a crash. The audit entry is written in the same catalogue transaction.
    func markCommitted(_ commit: String, audit entry: (actor: Actor, action: String, target: String?, detail: String?))
        throws(StoreError)
    {
        try catalogue.write { connection throws(StoreError) in
            try connection.run("UPDATE commits SET state = 'committed' WHERE id = ? AND state = 'prepared'", [commit])
            guard connection.changes == 1 else { throw StoreError(.conflict, "commit \(commit) is no longer prepared") }
            try store.audit(connection, actor: entry.actor, action: entry.action, target: entry.target, detail: entry.detail)
        }
    }

    /// Applies a committed commit's staged rows in every partition, then marks it done.
    /// Idempotent: a partition's staged rows are deleted in the transaction that applies them.
    /// The first partition is applied alone; the others, each in its own file and transaction,
    /// on every core (their order never mattered: recovery applies whatever is left).
    func applyCommitted(_ commit: String, partitions codes: [String]) throws(StoreError) -> ApplyCounts {
        var total = ApplyCounts()
        if let first = codes.first {
            total = try applyAndReclaim(commit, in: first)
            FaultInjection.reach("commit.applied-first")
        }
        let rest = try Parallel.map(Array(codes.dropFirst()), minimumChunk: 1, context: ()) { (_, code) throws(StoreError) in
            try applyAndReclaim(commit, in: code)
        }
        total = rest.reduce(total, +)
        try finish(commit, state: "done")
        store.notifyChanged(Set(codes))
        return total
    }

    /// Applies one partition's staged rows of `commit`, then gives its free pages back and,
    /// after a large apply, empties the partition's WAL (which held the staged and the
    /// applied rows), so that a bulk import's WAL files stay small, and its page cache, so
    /// that memory does not grow with the number of partitions applied.
    private func applyAndReclaim(_ commit: String, in code: String) throws(StoreError) -> ApplyCounts {
        let database = try partition(code)
        let counts = try apply(commit, in: database)
        try database.reclaimFreePages()
        try database.checkpoint(ifWALExceeds: Self.walCheckpointBytes)
        try database.releaseMemory()
        return counts
    }

    /// The WAL size above which a partition is checkpointed (and its WAL truncated) after an
    /// apply: a WAL never shrinks by itself, and the 47 partitions of a national import would
    /// otherwise each keep one until the process ends (`journal_size_limit` cuts a WAL back
    /// only when it is next written).
    static let walCheckpointBytes = 4 << 20

    /// Discards a commit that never reached its commit point.
    func abortCommit(_ commit: String, partitions codes: [String]) throws(StoreError) {
        for code in codes {
            try partition(code).write { connection throws(StoreError) in try Self.discardStaged(commit, connection) }
        }
        try finish(commit, state: "aborted")
    }

    private func finish(_ commit: String, state: String) throws(StoreError) {
        try catalogue.write { connection throws(StoreError) in
            try connection.run("UPDATE commits SET state = ?, finished_at = ? WHERE id = ?", [state, Timestamp.now(), commit])
        }
    }

    private func apply(_ commit: String, in database: Database) throws(StoreError) -> ApplyCounts {
        // Who made the commit, for the notifications an import sends ("login@authority").
        let maker = try catalogue.read { connection throws(StoreError) in
            try connection.first("SELECT actor FROM commits WHERE id = ?", [commit]) { $0.text(0) }
        }
        let from = maker.flatMap { $0.split(separator: "@", maxSplits: 1).dropFirst().first.map(String.init) }
        let (counts, notices) = try database.write { connection throws(StoreError) -> (ApplyCounts, [AuditRecord]) in
            // One by one: moves, rows staged with their JSON, and upserts of a case that exists
            // (all of an import's rows when it updates). The new cases of a bulk import follow.
            let rows = try connection.query(
                """
                SELECT op, case_id, holder, external_id, status, body, version, created_at,
                    CASE WHEN packed IS NULL THEN json_extract(body, '$.address.municipality_code') ELSE address_municipality END,
                    packed
                FROM staged AS s
                WHERE commit_id = ?1 AND (op <> 'upsert' OR packed IS NULL
                    OR EXISTS (SELECT 1 FROM cases AS c WHERE c.holder = s.holder AND c.external_id = s.external_id))
                ORDER BY seq
                """,
                [commit]
            ) { row throws(StoreError) in
                let packed = row.isNull(9) ? nil : row.blob(9)
                guard let body = packed.map({ CaseBody.unpack($0) }) ?? row.text(5) else {
                    throw StoreError(.storage, "a staged body of commit \(commit) cannot be unpacked")
                }
                return (
                    StagedRow(
                        op: StagedRow.Op(rawValue: row.text(0)) ?? .upsert, caseID: row.text(1), holder: row.text(2),
                        externalID: row.text(3), status: row.text(4), body: body, version: row.int(6),
                        createdAt: row.text(7), packed: packed),
                    row.optionalText(8)
                )
            }
            var counts = ApplyCounts()
            // The imported cases that changed, for their partners' inboxes (as an online entry tells them).
            var changed: [ImportedChange] = []
            let now = Timestamp.now()
            for (row, municipality) in rows {
                switch row.op {
                case .upsert:
                    let existing = try connection.first(
                        "SELECT id, body FROM cases WHERE holder = ? AND external_id = ?", [row.holder, row.externalID]
                    ) { ($0.text(0), $0.withBlob(1, CaseBody.unpack)) }
                    if let (id, body) = existing {
                        if body == row.body {
                            counts.unchanged += 1
                            continue
                        }
                        try connection.run(
                            """
                            UPDATE cases SET status = ?1, body = ?2, version = version + 1, updated_at = ?3,
                                \(CaseBody.listAssignments(json: "?5", externalID: "external_id"))
                            WHERE id = ?4
                            """, [row.status, SQLValue.blob(row.packed ?? CaseBody.pack(row.body)), now, id, row.body])
                        try ChangeFeed.recordChange(connection, caseID: id, kind: "upsert", at: now)
                        counts.updated += 1
                        changed.append(ImportedChange(caseID: id, holder: row.holder, municipality: municipality, kind: "case.updated"))
                    } else {
                        try insert(connection, row, updatedAt: now)
                        counts.inserted += 1
                        changed.append(
                            ImportedChange(caseID: row.caseID, holder: row.holder, municipality: municipality, kind: "case.created"))
                    }
                case .insert:
                    // A case arriving whole (a move): keep its id, version and creation time.
                    guard try connection.first("SELECT 1 FROM cases WHERE id = ?", [row.caseID], { _ in true }) == nil else {
                        continue
                    }
                    try insert(connection, row, updatedAt: now)
                    try connection.run(
                        "INSERT OR IGNORE INTO notes SELECT id, case_id, at, author, authority, text FROM staged_notes WHERE commit_id = ? AND case_id = ?",
                        [commit, row.caseID])
                    try connection.run(
                        """
                        INSERT OR IGNORE INTO attachments
                        SELECT id, case_id, media_type, name, size, sha256, content, at, author, authority
                        FROM staged_attachments WHERE commit_id = ? AND case_id = ?
                        """, [commit, row.caseID])
                    try connection.run(
                        """
                        INSERT OR IGNORE INTO case_progress
                        SELECT case_id, category, assignee, risk, next_review, plan, updated_at, updated_by
                        FROM staged_progress WHERE commit_id = ? AND case_id = ?
                        """, [commit, row.caseID])
                    try connection.run(
                        """
                        INSERT OR IGNORE INTO plan_history SELECT id, case_id, at, author, authority, plan
                        FROM staged_plan_history WHERE commit_id = ? AND case_id = ?
                        """, [commit, row.caseID])
                    counts.inserted += 1
                case .delete:
                    try connection.run("DELETE FROM notes WHERE case_id = ?", [row.caseID])
                    try connection.run("DELETE FROM attachments WHERE case_id = ?", [row.caseID])
                    try connection.run("DELETE FROM case_progress WHERE case_id = ?", [row.caseID])
                    try connection.run("DELETE FROM plan_history WHERE case_id = ?", [row.caseID])
                    try connection.run("DELETE FROM cases WHERE id = ?", [row.caseID])
                    if connection.changes > 0 {
                        try ChangeFeed.recordChange(connection, caseID: row.caseID, kind: "delete", at: now)
                        counts.deleted += 1
                    }
                }
            }
            // The new cases of a bulk import, set-based: their change rows, then the cases
            // themselves, each body as it was staged (packed, with its list columns).
            let fresh = try connection.query(
                "SELECT case_id, holder, address_municipality FROM staged AS s WHERE \(Self.freshRows) ORDER BY seq", [commit]
            ) { row in
                ImportedChange(caseID: row.text(0), holder: row.text(1), municipality: row.optionalText(2), kind: "case.created")
            }
            if !fresh.isEmpty {
                try connection.run(
                    "INSERT INTO changes (case_id, kind, at) SELECT case_id, 'upsert', ?2 FROM staged AS s WHERE \(Self.freshRows) ORDER BY seq",
                    [commit, now])
                try connection.run(
                    """
                    INSERT INTO cases (id, holder, external_id, status, version, body, created_at, updated_at, \(CaseBody.listColumns))
                    SELECT case_id, holder, external_id, status, version, packed, created_at, ?2, \(CaseBody.listColumns)
                    FROM staged AS s WHERE \(Self.freshRows) ORDER BY seq
                    """, [commit, now])
                guard connection.changes == fresh.count else {
                    throw StoreError(.storage, "commit \(commit): \(connection.changes) new cases inserted of \(fresh.count)")
                }
                counts.inserted += fresh.count
                changed += fresh
            }
            try Self.discardStaged(commit, connection)
            let notices = try store.notifications.aboutImport(changed, from: from, commit: commit).map { record throws(StoreError) in
                try store.writeOutbox(record, connection)
            }
            return (counts, notices)
        }
        try store.carry(notices, from: database)
        return counts
    }

    /// Every table that holds rows staged by a commit.
    static let stagingTables = ["staged", "staged_notes", "staged_attachments", "staged_progress", "staged_plan_history"]

    private static func discardStaged(_ commit: String, _ connection: Connection) throws(StoreError) {
        for table in Self.stagingTables {
            try connection.run("DELETE FROM \(table) WHERE commit_id = ?", [commit])
        }
    }

    private func insert(_ connection: Connection, _ row: StagedRow, updatedAt: String) throws(StoreError) {
        try connection.run(
            CaseBody.insertSQL,
            [
                row.caseID, row.holder, row.externalID, row.status, row.version, SQLValue.blob(row.packed ?? CaseBody.pack(row.body)),
                row.createdAt, updatedAt, row.body,
            ])
        try ChangeFeed.recordChange(connection, caseID: row.caseID, kind: "upsert", at: updatedAt)
    }

    /// Finishes or undoes every cross-partition commit a crash interrupted: staged rows of a
    /// committed commit are applied, all other staged rows are discarded. Commits whose
    /// owning process is still running (another `mimamori` on the same folder) are left alone.
    static func recover(_ store: Store) throws(StoreError) {
        try CrossPartitionCommit(store: store).recover()
    }

    private func recover() throws(StoreError) {
        let states = try catalogue.read { connection throws(StoreError) in
            try connection.query("SELECT id, state, owner_pid FROM commits WHERE state IN ('prepared', 'committed')") {
                ($0.text(0), $0.text(1), Int32($0.int(2)))
            }
        }
        let live = Set(states.filter { Self.isRunning($0.2) }.map(\.0))
        let codes = store.existingPartitions()
        for (commit, state, _) in states where !live.contains(commit) {
            if state == "committed" {
                _ = try applyCommitted(commit, partitions: codes)
            } else {
                try abortCommit(commit, partitions: codes)
            }
        }
        // Staged rows whose commit is finished (or unknown) can never be applied: discard them.
        // The state is read after the staged rows, so a commit another process began
        // meanwhile is seen as prepared and left alone.
        for code in codes {
            let database = try partition(code)
            let staged = try database.read { connection throws(StoreError) in
                try connection.query(
                    Self.stagingTables.map { "SELECT commit_id FROM \($0)" }.joined(separator: " UNION ")
                ) { $0.text(0) }
            }
            for commit in staged {
                let state = try catalogue.read { connection throws(StoreError) in
                    try connection.first("SELECT state FROM commits WHERE id = ?", [commit]) { $0.text(0) }
                }
                guard state == nil || state == "done" || state == "aborted" else { continue }
                try database.write { connection throws(StoreError) in try Self.discardStaged(commit, connection) }
            }
        }
    }

    /// Whether a process other than this one with that id is running. A restored store's
    /// commits are disowned (`owner_pid = 0`, `Backups.disownCommits`): the process that
    /// began them ran on another copy (or host), whatever process has that id here now.
    static func isRunning(_ pid: Int32) -> Bool {
        pid > 0 && pid != getpid() && (kill(pid, 0) == 0 || errno == EPERM)
    }
}
