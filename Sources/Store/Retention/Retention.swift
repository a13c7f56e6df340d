package import Foundation
import SQLiteDB

/// Retention: closed cases past their holder's `retentionDays` are purged.
package struct Retention: StoreFeature {
    package let store: Store

    /// Purges closed cases that have not changed for longer than their holder's
    /// `retentionDays` (holders without one keep everything): the case row, its notes and
    /// attachments, its grants and flags, former holders' copies of it, one audit entry each;
    /// and former holders' copies older than their own `retentionDays`. The deletion goes through
    /// the partition's change log, so the search index drops the case too. A case something
    /// still depends on is never purged: one flagged serious (or asked to be), with an open
    /// missing-child alert, a transfer or provision under way, or an information request
    /// waiting for an answer, or linked to another holder's record of the child that is still open.
    /// - Parameter dryRun: count what would go, change nothing.
    /// - Returns: the ids purged (or that would be).
    @discardableResult
    package func purgeExpired(dryRun: Bool = false, now: Date = Date()) throws(StoreError) -> [String] {
        let retention = try catalogue.read { connection throws(StoreError) in
            try connection.query("SELECT authority, retention_days FROM settings WHERE retention_days IS NOT NULL") {
                ($0.text(0), $0.int(1))
            }
        }
        var purged: [String] = []
        for (holder, days) in retention {
            guard let prefecture = directory[holder]?.prefectureCode, store.existingPartitions().contains(prefecture) else { continue }
            let cutoff = Timestamp.string(now.addingTimeInterval(-Double(days) * 86_400))
            let database = try partition(prefecture)
            let closed = try database.read { connection throws(StoreError) in
                try connection.query(
                    "SELECT id FROM cases WHERE holder = ? AND status = 'closed' AND updated_at < ? ORDER BY id", [holder, cutoff]
                ) { $0.text(0) }
            }
            let held = try heldCases(among: closed)
            let expired = closed.filter { !held.contains($0) }
            guard !dryRun, !expired.isEmpty else {
                purged += expired
                continue
            }
            for chunk in stride(from: 0, to: expired.count, by: 500).map({ Array(expired[$0..<min($0 + 500, expired.count)]) }) {
                // The state is checked again inside the transaction: a case reopened meanwhile stays.
                let gone = try database.write { connection throws(StoreError) -> [String] in
                    var gone: [String] = []
                    let at = Timestamp.now()
                    for id in chunk {
                        try connection.run("DELETE FROM cases WHERE id = ? AND status = 'closed' AND updated_at < ?", [id, cutoff])
                        guard connection.changes == 1 else { continue }
                        try connection.run("DELETE FROM notes WHERE case_id = ?", [id])
                        try connection.run("DELETE FROM attachments WHERE case_id = ?", [id])
                        try connection.run("DELETE FROM case_progress WHERE case_id = ?", [id])
                        try connection.run("DELETE FROM plan_history WHERE case_id = ?", [id])
                        try ChangeFeed.recordChange(connection, caseID: id, kind: "delete", at: at)
                        gone.append(id)
                    }
                    return gone
                }
                try catalogue.write { connection throws(StoreError) in
                    for id in gone {
                        try connection.run("DELETE FROM grants WHERE case_id = ?", [id])
                        try connection.run("DELETE FROM case_flags WHERE case_id = ?", [id])
                        try store.audit(
                            connection, actor: .localAdministrator, action: "case.purge", target: id,
                            detail: "holder=\(holder) retention_days=\(days)", cases: [(id, holder)])
                    }
                }
                try database.reclaimFreePages()
                store.notifyChanged([prefecture])
                purged += gone
            }
        }
        if !dryRun { try purgeFormerRecords(of: purged, retention: retention, now: now) }
        return purged
    }

    /// Former holders' copies of a case (`former_records`) go with the case, and once they are
    /// older than the former holder's own `retentionDays`.
    private func purgeFormerRecords(of purged: [String], retention: [(String, Int)], now: Date) throws(StoreError) {
        for code in store.existingPartitions() {
            let database = try partition(code)
            let removed = try database.write { connection throws(StoreError) -> Int in
                var removed = 0
                for id in purged {
                    try connection.run("DELETE FROM former_records WHERE case_id = ?", [id])
                    removed += connection.changes
                }
                for (holder, days) in retention where directory[holder]?.prefectureCode == code {
                    let cutoff = Timestamp.string(now.addingTimeInterval(-Double(days) * 86_400))
                    try connection.run("DELETE FROM former_records WHERE former_holder = ? AND left_at < ?", [holder, cutoff])
                    removed += connection.changes
                }
                return removed
            }
            if removed > 0 {
                try store.audit(
                    actor: .localAdministrator, action: "former-record.purge", target: nil, detail: "partition=\(code) records=\(removed)")
            }
        }
    }

    /// The cases among `ids` that something still depends on (see `purgeExpired`). Read again
    /// at each run: a case is purged only once nothing holds it.
    func heldCases(among ids: [String]) throws(StoreError) -> Set<String> {
        var held: Set<String> = []
        for start in stride(from: 0, to: ids.count, by: 500) {
            let chunk = Array(ids[start..<min(start + 500, ids.count)])
            let placeholders = Array(repeating: "?", count: chunk.count).joined(separator: ",")
            let found = try catalogue.read { connection throws(StoreError) in
                try connection.query(
                    """
                    SELECT case_id FROM case_flags WHERE serious = 1 AND case_id IN (\(placeholders))
                    UNION SELECT case_id FROM alerts WHERE state = 'open' AND case_id IN (\(placeholders))
                    UNION SELECT case_id FROM transfers WHERE state IN ('proposed', 'sent', 'confirming') AND case_id IN (\(placeholders))
                    UNION SELECT case_id FROM information_requests WHERE state = 'requested' AND case_id IN (\(placeholders))
                    """, chunk + chunk + chunk + chunk
                ) { $0.text(0) }
            }
            held.formUnion(found)
        }
        return held.union(try store.links.linkedToOpenCases(among: ids))
    }
}
