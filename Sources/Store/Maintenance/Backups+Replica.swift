package import Foundation
import SQLiteDB

/// What `reconcileReplicaCut` repaired and found.
package struct ReplicaReconciliation: Sendable {
    /// Cases found in two partitions (a move whose source replica lagged): the newer copy was kept.
    package let duplicatesRemoved: Int
    /// Transfers the catalogue's replica had not yet seen confirmed though the case had arrived: now confirmed.
    package let transfersSettled: Int
    /// Transfers whose case is in no partition (a move whose destination replica lagged): lost
    /// in transit, for the operator to recover from the origin's earlier state.
    package let lostInTransit: [String]
}

extension Backups {
    /// Repairs what restoring each file from its own Litestream replica can leave: the replicas
    /// are synced file by file, so they are not one instant of the whole store (unlike a
    /// `mimamori backup`). A case moved between prefectures may be in both partitions (the
    /// source's replica older than the destination's; the destination applies a move only after
    /// its commit point, so the move happened and the newer copy is kept), or in neither (the
    /// destination's replica older: reported, not invented). Audited as `store.reconcile`.
    package func reconcileReplicaCut(as actor: Actor) throws(StoreError) -> ReplicaReconciliation {
        try store.require(.serviceData, as: actor, action: "store.reconcile")
        var copies: [String: [(code: String, version: Int, updatedAt: String)]] = [:]
        for code in store.existingPartitions() {
            let rows = try partition(code).read { connection throws(StoreError) in
                try connection.query("SELECT id, version, updated_at FROM cases") { ($0.text(0), $0.int(1), $0.text(2)) }
            }
            for (id, version, updatedAt) in rows { copies[id, default: []].append((code, version, updatedAt)) }
        }
        var removed = 0
        for (id, found) in copies where found.count > 1 {
            let kept = found.max { ($0.version, $0.updatedAt) < ($1.version, $1.updatedAt) }!
            for stale in found where stale.code != kept.code {
                try partition(stale.code).write { connection throws(StoreError) in
                    try connection.run("DELETE FROM notes WHERE case_id = ?", [id])
                    try connection.run("DELETE FROM attachments WHERE case_id = ?", [id])
                    try connection.run("DELETE FROM cases WHERE id = ?", [id])
                    try ChangeFeed.recordChange(connection, caseID: id, kind: "delete", at: Timestamp.now())
                }
                removed += 1
            }
        }
        // A transfer still `sent` whose case is at its destination was confirmed after the
        // catalogue's replica last synced: settled as an interrupted confirmation is.
        let open = try catalogue.read { connection throws(StoreError) in
            try connection.query(
                "SELECT id, case_id, destination, state FROM transfers WHERE kind = 'transfer' AND state IN ('sent', 'confirming', 'confirmed')"
            ) { ($0.text(0), $0.text(1), $0.text(2), $0.text(3)) }
        }
        var settled = 0
        var lost: [String] = []
        for (transfer, caseID, destination, state) in open {
            let holder = try locate(caseID)?.holder
            if holder == nil, state != "sent" { lost.append(transfer) }
            guard state == "sent", holder == destination else { continue }
            try catalogue.write { connection throws(StoreError) in
                try connection.run("UPDATE transfers SET state = 'confirming', confirming_pid = 0 WHERE id = ? AND state = 'sent'", [transfer])
            }
            settled += 1
        }
        if settled > 0 { try store.transfers.settleInterrupted() }
        try store.audit(
            actor: actor, action: "store.reconcile", target: nil, detail: "duplicates=\(removed) settled=\(settled) lost=\(lost.count)")
        return ReplicaReconciliation(duplicatesRemoved: removed, transfersSettled: settled, lostInTransit: lost.sorted())
    }
}

/// A transfer whose case a replica restore found in no partition: where to look for it.
package struct LostTransfer: Sendable {
    package let transfer: String
    package let caseID: String
    /// The partition the case left (its origin's prefecture).
    package let originPrefecture: String
}

extension Backups {
    /// Where the case of each lost transfer came from.
    package func lostTransfers(_ ids: [String], as actor: Actor) throws(StoreError) -> [LostTransfer] {
        try store.require(.serviceData, as: actor, action: "store.reconcile")
        var lost: [LostTransfer] = []
        for id in ids {
            let row = try catalogue.read { connection throws(StoreError) in
                try connection.first("SELECT case_id, origin FROM transfers WHERE id = ?", [id]) { ($0.text(0), $0.text(1)) }
            }
            guard let (caseID, origin) = row, let prefecture = directory[origin]?.prefectureCode else { continue }
            lost.append(LostTransfer(transfer: id, caseID: caseID, originPrefecture: prefecture))
        }
        return lost
    }

    /// Puts back a case lost in transit from an older copy of its origin partition (restored
    /// from the replica at an earlier transaction), with its notes and attachments, in the
    /// origin partition as it was before the move; the transfer goes back to `sent` (event
    /// `confirmation-lost-in-failover`) so the destination confirms it again. Audited as
    /// `store.reconcile`.
    /// - Returns: false when the older copy does not hold the case (try an earlier one).
    package func restoreLostCase(_ lost: LostTransfer, from olderPartition: URL, as actor: Actor) throws(StoreError) -> Bool {
        try store.require(.serviceData, as: actor, action: "store.reconcile")
        guard try locate(lost.caseID) == nil else { return true }
        // The older copy is migrated to the current schema, so every column is copied by name
        // and with its storage class (a column added later, a BLOB body, is not left behind).
        let older = try Database(path: olderPartition.path, migrations: PartitionSchema.migrations)
        let found = try older.read { connection throws(StoreError) -> (Row, [Row], [Row])? in
            guard let row = try connection.first("SELECT * FROM cases WHERE id = ?", [lost.caseID], Row.init) else { return nil }
            let notes = try connection.query("SELECT * FROM notes WHERE case_id = ?", [lost.caseID], Row.init)
            let attachments = try connection.query("SELECT * FROM attachments WHERE case_id = ?", [lost.caseID], Row.init)
            return (row, notes, attachments)
        }
        guard let (row, notes, attachments) = found else { return false }
        try partition(lost.originPrefecture).write { connection throws(StoreError) in
            try row.insert(into: "cases", connection)
            guard connection.changes == 1 else { throw StoreError(.conflict, "case \(lost.caseID) could not be put back in its origin partition") }
            for note in notes { try note.insert(into: "notes", connection) }
            for attachment in attachments { try attachment.insert(into: "attachments", connection) }
            try ChangeFeed.recordChange(connection, caseID: lost.caseID, kind: "upsert", at: Timestamp.now())
        }
        try catalogue.write { connection throws(StoreError) in
            try connection.run("UPDATE transfers SET state = 'sent', updated_at = ? WHERE id = ?", [Timestamp.now(), lost.transfer])
            try connection.run(
                "INSERT INTO transfer_events (transfer_id, at, actor, event, note) VALUES (?, ?, ?, 'confirmation-lost-in-failover', NULL)",
                [lost.transfer, Timestamp.now(), actor.description])
            try store.audit(
                connection, actor: actor, action: "store.reconcile", target: lost.transfer, detail: "case=\(lost.caseID) restored to its origin")
        }
        return true
    }
}

/// One row of a table, every column by name with its value as stored.
private struct Row {
    let columns: [String]
    let values: [SQLValue]

    init(_ statement: Statement) {
        columns = (0..<statement.columnCount).map(statement.columnName)
        values = (0..<statement.columnCount).map(statement.value)
    }

    /// Inserts the row (a row with the same key already there is kept).
    func insert(into table: String, _ connection: Connection) throws(StoreError) {
        let names = columns.map { "\"\($0)\"" }.joined(separator: ", ")
        let marks = Array(repeating: "?", count: columns.count).joined(separator: ", ")
        try connection.run("INSERT OR IGNORE INTO \(table) (\(names)) VALUES (\(marks))", values)
    }
}
