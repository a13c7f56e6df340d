import Foundation
import SQLiteDB

/// Serious cases under review (重大事案・死亡事例検証): a flag that gives ministry staff read
/// access to a case, and the ministry's list of them.
package struct SeriousCases: StoreFeature {
    package let store: Store

    /// Where a case's serious-case flag stands.
    package enum FlagState: String, Sendable, Hashable, Codable {
        /// Ministry staff asked; the holder has not confirmed: the flag opens nothing yet.
        case requested
        /// Set by the holder, or confirmed by it: ministry staff may read the record.
        case confirmed
    }

    /// Flags a case as a serious case under review (重大事案・死亡事例検証), or clears the flag.
    /// The holder's flag takes effect at once and gives ministry staff read access. Ministry
    /// staff can only ask: their flag is a request that the holder's supervisor or
    /// administrator confirms (`confirm`), and the request reaches the holder's inbox and the
    /// case's views; until then it opens nothing. Ministry staff may clear a flag.
    /// - Returns: where the flag stands (nil: cleared).
    @discardableResult
    package func flag(_ caseID: String, _ serious: Bool, as actor: Actor) throws(StoreError) -> FlagState? {
        guard let found = try locate(caseID) else { throw StoreError(.notFound, "no case \(caseID.prefix(64))") }
        let holderSide = try store.capabilities(of: actor, on: found).contains(.edit)
        if !holderSide, !store.allows(.ministry, actor) {
            try store.authorize(.edit, "case.flag", on: found, as: actor)  // refuses, audited
        }
        let cases = [(caseID, found.holder)]
        return try catalogue.write { connection throws(StoreError) -> FlagState? in
            let current = try Self.state(of: caseID, connection)
            let now = Timestamp.now()
            guard serious else {
                try connection.run(
                    """
                    INSERT INTO case_flags (case_id, serious, flagged_by, flagged_at, state) VALUES (?, 0, ?, ?, 'confirmed')
                    ON CONFLICT (case_id) DO UPDATE SET serious = 0, flagged_by = excluded.flagged_by, flagged_at = excluded.flagged_at
                    """, [caseID, actor.description, now])
                try store.audit(connection, actor: actor, action: "case.flag", target: caseID, detail: "serious=false", cases: cases)
                return nil
            }
            if current == .confirmed { return .confirmed }
            let state: FlagState = holderSide ? .confirmed : .requested
            try connection.run(
                """
                INSERT INTO case_flags (case_id, serious, flagged_by, flagged_at, state, confirmed_by, confirmed_at) VALUES (?1, 1, ?2, ?3, ?4, ?5, ?6)
                ON CONFLICT (case_id) DO UPDATE SET serious = 1, flagged_by = excluded.flagged_by, flagged_at = excluded.flagged_at,
                    state = excluded.state, confirmed_by = excluded.confirmed_by, confirmed_at = excluded.confirmed_at
                """,
                [caseID, actor.description, now, state.rawValue, holderSide ? actor.description : nil, holderSide ? now : nil])
            if state == .requested {
                try Notifications.deliver(
                    [NotificationDraft(authority: found.holder, kind: "flag.requested", caseID: caseID, ref: nil, from: actor.authority)], connection)
                try store.audit(connection, actor: actor, action: "case.flag.request", target: caseID, detail: "serious=true", cases: cases)
            } else {
                try store.audit(connection, actor: actor, action: "case.flag", target: caseID, detail: "serious=true", cases: cases)
            }
            return state
        }
    }

    /// The holder's supervisor or administrator confirms the ministry's request: from now on
    /// ministry staff may read the record. The confirmation reaches the holder's and the
    /// ministry's inboxes and the case's views.
    package func confirm(_ caseID: String, as actor: Actor) throws(StoreError) {
        guard let found = try locate(caseID) else { throw StoreError(.notFound, "no case \(caseID.prefix(64))") }
        try store.require(.confirmSeriousFlag(holder: found.holder), as: actor, action: "case.flag.confirm", target: caseID)
        try catalogue.write { connection throws(StoreError) in
            try connection.run(
                "UPDATE case_flags SET state = 'confirmed', confirmed_by = ?, confirmed_at = ? WHERE case_id = ? AND serious = 1 AND state = 'requested'",
                [actor.description, Timestamp.now(), caseID])
            guard connection.changes == 1 else { throw StoreError(.conflict, "case \(caseID) has no serious-case request to confirm") }
            try Notifications.deliver(
                [found.holder, Authority.ministryCode].map {
                    NotificationDraft(authority: $0, kind: "flag.confirmed", caseID: caseID, ref: nil, from: found.holder)
                }, connection)
            try store.audit(
                connection, actor: actor, action: "case.flag.confirm", target: caseID, detail: nil, cases: [(caseID, found.holder)])
        }
    }

    /// Where the flag of a case the caller has read stands (its page shows it; nil: none).
    package func state(of found: StoredCase) throws(StoreError) -> FlagState? {
        try catalogue.read { connection throws(StoreError) in try Self.state(of: found.id, connection) }
    }

    private static func state(of caseID: String, _ connection: Connection) throws(StoreError) -> FlagState? {
        try connection.first("SELECT state FROM case_flags WHERE case_id = ? AND serious = 1", [caseID]) { FlagState(rawValue: $0.text(0)) } ?? nil
    }

    /// One case of the serious-case list.
    package struct Entry: Sendable {
        package let caseID: String
        package let flaggedBy: String
        package let flaggedAt: String
        /// The case as it stands (nil if it is no longer held: purged or voided).
        package let found: StoredCase?
    }

    /// The cases flagged serious, newest flag first, with the child, the holder and the status:
    /// for ministry staff (who may read these records). Audited as a read of the cases listed;
    /// each record is opened through the Store, which audits that read too.
    package func list(as actor: Actor) throws(StoreError) -> [Entry] {
        try store.require(.ministry, as: actor, action: "case.flag.list")
        let flagged = try catalogue.read { connection throws(StoreError) in
            try connection.query(
                "SELECT case_id, flagged_by, flagged_at FROM case_flags WHERE serious = 1 AND state = 'confirmed' ORDER BY flagged_at DESC LIMIT 500"
            ) {
                ($0.text(0), $0.text(1), $0.text(2))
            }
        }
        // One lookup for the whole page: a query per partition, not per case and partition.
        let located = try locate(all: flagged.map(\.0))
        let entries = flagged.map { caseID, flaggedBy, flaggedAt in
            Entry(caseID: caseID, flaggedBy: flaggedBy, flaggedAt: flaggedAt, found: located[caseID])
        }
        let shown = entries.compactMap(\.found).map { (id: $0.id, holder: $0.holder) }
        try store.audit(actor: actor, action: "case.flag.list", target: nil, detail: "shown=\(shown.count)", cases: shown)
        return entries
    }
}
