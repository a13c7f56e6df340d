import Foundation
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
