import Foundation
import SQLiteDB

/// Serious cases under review (重大事案・死亡事例検証): a flag that gives ministry staff read
/// access to a case, and the ministry's list of them.
package struct SeriousCases: StoreFeature {
    package let store: Store

    /// Flags a case as a serious case under review (重大事案・死亡事例検証), which gives ministry
    /// staff read access, or clears the flag. The holder or ministry staff may.
    package func flag(_ caseID: String, _ serious: Bool, as actor: Actor) throws(StoreError) {
        guard let found = try locate(caseID) else { throw StoreError(.notFound, "no case \(caseID.prefix(64))") }
        if !store.allows(.ministry, actor) {
            try store.authorize(.edit, "case.flag", on: found, as: actor)
        }
        try catalogue.write { connection throws(StoreError) in
            try connection.run(
                """
                INSERT INTO case_flags (case_id, serious, flagged_by, flagged_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (case_id) DO UPDATE SET serious = excluded.serious, flagged_by = excluded.flagged_by, flagged_at = excluded.flagged_at
                """, [caseID, serious, actor.description, Timestamp.now()])
            try store.audit(
                connection, actor: actor, action: "case.flag", target: caseID, detail: "serious=\(serious)", cases: [(caseID, found.holder)])
        }
    }

    /// Whether a case the caller has read is flagged serious (its page shows the report's state).
    package func isFlagged(_ found: StoredCase) throws(StoreError) -> Bool {
        try store.accessFacts(of: found).flaggedSerious
    }

    /// The cases flagged serious, newest flag first: for ministry staff (they open each one
    /// through the Store, which audits the read).
    package func list(as actor: Actor) throws(StoreError) -> [(caseID: String, flaggedBy: String, flaggedAt: String)] {
        try store.require(.ministry, as: actor, action: "case.flag.list")
        return try catalogue.read { connection throws(StoreError) in
            try connection.query("SELECT case_id, flagged_by, flagged_at FROM case_flags WHERE serious = 1 ORDER BY flagged_at DESC LIMIT 500") {
                ($0.text(0), $0.text(1), $0.text(2))
            }
        }
    }
}
