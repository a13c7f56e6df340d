import Foundation
import SQLiteDB

/// A case transfer (ケース移管: the destination becomes the holder) or an information
/// provision (情報提供: the destination may read the record for a time), as both sides see it.
package struct Transfer: Sendable, Hashable, Codable {
    package enum Kind: String, Sendable, Hashable, Codable { case transfer, provision }
    package enum State: String, Sendable, Hashable, Codable {
        case proposed, sent, confirming, confirmed, declined, withdrawn
    }

    package struct Event: Sendable, Hashable, Codable {
        package let at: String
        package let actor: String
        package let event: String
        package let note: String?
    }

    package let id: String
    package let caseID: String
    package let kind: Kind
    package let origin: String
    package let destination: String
    package let urgent: Bool
    package let reason: String
    package let state: State
    /// The case's version when the transfer was proposed: a later update must be re-sent.
    package let caseVersion: Int
    package let createdBy: String
    package let createdAt: String
    package let updatedAt: String
    package var events: [Event] = []

    enum CodingKeys: String, CodingKey {
        case id, caseID = "case_id", kind, origin, destination, urgent, reason, state, caseVersion = "case_version"
        case createdBy = "created_by", createdAt = "created_at", updatedAt = "updated_at", events
    }
}

/// Transfers and information provisions between authorities: state machines whose every
/// step is decided by the core's policy, recorded as an event, notified and audited in one
/// catalogue transaction.
package struct Transfers: StoreFeature {
    package let store: Store

    /// Starts a transfer of a case its holder holds. With the holder's setting
    /// `approvalRequired` it waits for a supervisor (`proposed`), otherwise it is `sent`.
    /// - Throws: `.invalidInput` for a bad destination or reason; `.conflict` if one is already open
    ///   to that destination; `.permissionDenied`/`.notFound` for anyone but the holder.
    package func propose(
        ofCase caseID: String, to destination: String, kind: Transfer.Kind, urgent: Bool, reason: String, as actor: Actor
    ) throws(StoreError) -> Transfer {
        try propose(ofCase: caseID, to: destination, kind: kind, urgent: urgent, reason: reason, as: actor) { _, _ throws(StoreError) in }
    }

    /// Starts a transfer; `alsoInTransaction` writes what must commit with it (an answered request).
    func propose(
        ofCase caseID: String, to destination: String, kind: Transfer.Kind, urgent: Bool, reason: String, as actor: Actor,
        alsoInTransaction: (Connection, Transfer) throws(StoreError) -> Void
    ) throws(StoreError) -> Transfer {
        guard let found = try locate(caseID) else { throw StoreError(.notFound, "no case \(caseID.prefix(64))") }
        try store.authorize(.transfer, "transfer.propose", on: found, as: actor)
        guard let target = directory[destination], target.holdsCases else {
            throw StoreError(
                .invalidInput,
                "destination: \(directory[destination] == nil ? directory.unknownCodeMessage(destination) : "\(destination) does not hold cases")")
        }
        guard destination != found.holder else { throw StoreError(.invalidInput, "destination: \(destination) already holds case \(caseID)") }
        let reason = reason.trimmingSpaces()
        guard !reason.isEmpty, reason.count <= 2_000 else {
            throw StoreError(.invalidInput, "reason: say why (1–2,000 characters), e.g. 転居のため")
        }
        let approval = try store.settings.stored(of: found.holder).approvalRequired
        let now = Timestamp.now()
        let transfer = Transfer(
            id: UUID().uuidString.lowercased(), caseID: caseID, kind: kind, origin: found.holder, destination: destination,
            urgent: urgent, reason: reason, state: approval ? .proposed : .sent, caseVersion: found.version,
            createdBy: actor.description, createdAt: now, updatedAt: now)
        try catalogue.write { connection throws(StoreError) in
            let open = try connection.first(
                "SELECT id FROM transfers WHERE case_id = ? AND destination = ? AND state IN ('proposed', 'sent', 'confirming')",
                [caseID, destination]
            ) { $0.text(0) }
            if let open { throw StoreError(.conflict, "transfer \(open) of case \(caseID) to \(destination) is still open") }
            try connection.run(
                """
                INSERT INTO transfers (id, case_id, kind, origin, destination, urgent, reason, state, case_version, created_by, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [
                    transfer.id, caseID, kind.rawValue, found.holder, destination, urgent, reason, transfer.state.rawValue, found.version,
                    actor.description, now, now,
                ])
            try event(connection, transfer.id, actor, approval ? "proposed" : "sent", nil)
            if !approval {
                try Notifications.deliver(
                    [NotificationDraft(authority: destination, kind: "transfer.sent", caseID: caseID, ref: transfer.id, from: found.holder)],
                    connection)
            }
            try store.audit(
                connection, actor: actor, action: "transfer.\(approval ? "propose" : "send")", target: transfer.id,
                detail: "case=\(caseID) kind=\(kind.rawValue) to=\(destination) urgent=\(urgent)", cases: [(caseID, found.holder)])
            try alsoInTransaction(connection, transfer)
        }
        return try read(transfer.id, as: actor)
    }

    /// A supervisor (or administrator) of the origin approves a proposed transfer: it is sent.
    package func approve(_ id: String, as actor: Actor) throws(StoreError) -> Transfer {
        try step(id, "approve", as: actor, side: .origin, from: [.proposed], to: .sent, note: nil) { transfer throws(StoreError) in
            let approvers = try store.approvers(of: transfer.origin, for: transfer.kind == .provision ? .provision : .transfer)
            try store.require(
                .approveTransfer(origin: transfer.origin, proposedBy: transfer.createdBy, approvers: approvers), as: actor,
                action: "transfer.approve", target: transfer.id)
        }
    }

    /// The origin withdraws a transfer that has not been answered.
    package func withdraw(_ id: String, as actor: Actor) throws(StoreError) -> Transfer {
        try step(id, "withdraw", as: actor, side: .origin, from: [.proposed, .sent], to: .withdrawn, note: nil)
    }

    /// The destination declines, saying why.
    package func decline(_ id: String, reason: String, as actor: Actor) throws(StoreError) -> Transfer {
        let reason = reason.trimmingSpaces()
        guard !reason.isEmpty, reason.count <= 2_000 else { throw StoreError(.invalidInput, "reason: say why the transfer is declined") }
        return try step(id, "decline", as: actor, side: .destination, from: [.sent], to: .declined, note: reason)
    }

    /// The destination confirms. A case transfer moves the record to the destination (its
    /// partition, atomically, history intact); an information provision grants the destination
    /// read access for the origin's `grantDays`. An urgent transfer needs `handoverConfirmed`
    /// (the national rules ask for a face-to-face handover of high-risk cases).
    /// - Throws: `.conflict` if the case changed since the transfer was sent (the origin must
    ///   withdraw and send it again), or the transfer is no longer open.
    package func confirm(_ id: String, handoverConfirmed: Bool, as actor: Actor) throws(StoreError) -> Transfer {
        let current = try loadTransfer(id)
        if current.urgent, !handoverConfirmed, current.state == .sent {
            throw StoreError(
                .invalidInput,
                "handover_confirmed: an urgent transfer is confirmed only after the face-to-face handover; send true once it took place")
        }
        if current.kind == .provision {
            let days = try store.settings.stored(of: current.origin).grantDays
            return try step(id, "confirm", as: actor, side: .destination, from: [.sent], to: .confirmed, note: nil) {
                transfer throws(StoreError) in
                try requireUnchanged(transfer)
            } inTransaction: { connection, transfer throws(StoreError) in
                try connection.run(
                    "INSERT INTO grants (case_id, authority, transfer_id, expires_at) VALUES (?, ?, ?, ?)",
                    [transfer.caseID, transfer.destination, transfer.id, Timestamp.string(Date().addingTimeInterval(Double(days) * 86_400))])
            }
        }
        // A case transfer: mark it confirming, move the case, then mark it confirmed. A crash
        // in between is settled on open from where the case is (see settleTransfers).
        // The confirmation is this process's: a store another process opens meanwhile leaves it alone.
        _ = try step(id, "confirm", as: actor, side: .destination, from: [.sent], to: .confirming, note: nil) { transfer throws(StoreError) in
            try requireUnchanged(transfer)
        } inTransaction: { connection, _ throws(StoreError) in
            try connection.run("UPDATE transfers SET confirming_pid = ? WHERE id = ?", [Int(getpid()), id])
        }
        FaultInjection.reach("transfer.confirming")
        try store.cases.keepFormerRecord(of: current.caseID, transfer: current.id)
        _ = try store.cases.relocate(caseID: current.caseID, to: current.destination, as: actor)
        FaultInjection.reach("transfer.moved")
        try settleInterrupted(only: id)
        return try read(id, as: actor)
    }

    /// A transfer, with its events, as its origin or destination sees it.
    package func read(_ id: String, as actor: Actor) throws(StoreError) -> Transfer {
        var transfer = try loadTransfer(id)
        try store.require(
            .transfer(origin: transfer.origin, destination: transfer.destination, reachedDestination: try wasSent(id), side: nil),
            as: actor, action: "transfer.read", target: id, hidden: "transfer")
        transfer.events = try catalogue.read { connection throws(StoreError) in
            try connection.query("SELECT at, actor, event, note FROM transfer_events WHERE transfer_id = ? ORDER BY id", [id]) { row in
                Transfer.Event(at: row.text(0), actor: row.text(1), event: row.text(2), note: row.optionalText(3))
            }
        }
        return transfer
    }

    /// The transfers an authority sent or received, newest change first.
    package func list(of authority: String, as actor: Actor, limit: Int = 100) throws(StoreError) -> [Transfer] {
        try store.require(
            .listOwn(authority: authority, what: "transfers", refusingOperators: false), as: actor, action: "transfer.list", target: authority)
        return try catalogue.read { connection throws(StoreError) in
            try connection.query(
                """
                SELECT \(Self.transferColumns) FROM transfers WHERE origin = ?1
                    OR (destination = ?1 AND EXISTS (SELECT 1 FROM transfer_events e WHERE e.transfer_id = transfers.id AND e.event = 'sent'))
                ORDER BY updated_at DESC, id LIMIT ?2
                """,
                [authority, max(1, min(limit, 1000))], Self.transfer(row:))
        }
    }

    /// Settles case transfers left `confirming` by a crash: confirmed if the case reached the
    /// destination, back to `sent` if not. Runs on open (leaving alone the confirmations another
    /// running process is carrying out) and after each confirmation (`only` that one: others of
    /// this process may be moving their case right now).
    func settleInterrupted(only id: String? = nil) throws(StoreError) {
        let confirming = try catalogue.read { connection throws(StoreError) in
            try connection.query(
                "SELECT \(Self.transferColumns), confirming_pid FROM transfers WHERE state = 'confirming' AND (?1 IS NULL OR id = ?1)", [id]
            ) { row in (Self.transfer(row: row), Int32(truncatingIfNeeded: row.optionalInt(12) ?? 0)) }
        }
        for (transfer, owner) in confirming where id != nil || !CrossPartitionCommit.isRunning(owner) {
            let holder = try locate(transfer.caseID)?.holder
            let settled: Transfer.State = holder == transfer.destination ? .confirmed : .sent
            try catalogue.write { connection throws(StoreError) in
                try connection.run(
                    "UPDATE transfers SET state = ?, updated_at = ? WHERE id = ? AND state = 'confirming'",
                    [settled.rawValue, Timestamp.now(), transfer.id])
                guard connection.changes == 1 else { return }
                try event(connection, transfer.id, .localAdministrator, settled == .confirmed ? "confirmed" : "confirmation-interrupted", nil)
                if settled == .confirmed {
                    try Cases.handOver(transfer.caseID, from: transfer.origin, to: transfer.destination, directory: directory, connection)
                }
            }
        }
    }

    // MARK: Steps

    private typealias Side = Permission.TransferSide

    /// One state change of a transfer by one side, with its event and audit entry, in one
    /// catalogue transaction that first re-reads the state (so two confirmations cannot both win).
    private func step(
        _ id: String, _ name: String, as actor: Actor, side: Side, from allowed: Set<Transfer.State>, to next: Transfer.State,
        note: String?, check: (Transfer) throws(StoreError) -> Void = { _ throws(StoreError) in },
        inTransaction: (Connection, Transfer) throws(StoreError) -> Void = { _, _ throws(StoreError) in }
    ) throws(StoreError) -> Transfer {
        let transfer = try loadTransfer(id)
        let party = side == .origin ? transfer.origin : transfer.destination
        try store.require(
            .transfer(origin: transfer.origin, destination: transfer.destination, reachedDestination: try wasSent(id), side: side),
            as: actor, action: "transfer.\(name)", target: id, hidden: "transfer")
        try check(transfer)
        try catalogue.write { connection throws(StoreError) in
            let state = try connection.first("SELECT state FROM transfers WHERE id = ?", [id]) { Transfer.State(rawValue: $0.text(0)) } ?? nil
            guard let state, allowed.contains(state) else {
                throw StoreError(
                    .conflict,
                    "transfer \(id) is \(state?.rawValue ?? "gone"); it can be \(name)d only when \(allowed.map(\.rawValue).sorted().joined(separator: " or "))"
                )
            }
            try connection.run("UPDATE transfers SET state = ?, updated_at = ? WHERE id = ?", [next.rawValue, Timestamp.now(), id])
            try inTransaction(connection, transfer)
            try event(connection, id, actor, next == .confirming ? "confirm" : next.rawValue, note)
            // The other side hears of every step (an approval reaches the destination as a new
            // transfer), except the withdrawal of one it never received.
            let recipient = next == .sent || side == .origin ? transfer.destination : transfer.origin
            let kind = next == .confirming ? "transfer.confirmed" : "transfer.\(next.rawValue)"
            if !(state == .proposed && next == .withdrawn) {
                try Notifications.deliver(
                    [NotificationDraft(authority: recipient, kind: kind, caseID: transfer.caseID, ref: id, from: party)], connection)
            }
            try store.audit(
                connection, actor: actor, action: "transfer.\(name)", target: id, detail: "case=\(transfer.caseID) state=\(next.rawValue)",
                cases: [(transfer.caseID, transfer.origin)])
        }
        return try read(id, as: actor)
    }

    /// Whether a transfer ever reached its destination (sent at once, or approved): until then
    /// the destination neither lists nor reads it.
    private func wasSent(_ id: String) throws(StoreError) -> Bool {
        try catalogue.read { connection throws(StoreError) in
            try connection.first("SELECT 1 FROM transfer_events WHERE transfer_id = ? AND event = 'sent' LIMIT 1", [id]) { _ in true } ?? false
        }
    }

    private func requireUnchanged(_ transfer: Transfer) throws(StoreError) {
        guard let found = try locate(transfer.caseID) else { throw StoreError(.conflict, "case \(transfer.caseID) no longer exists") }
        guard found.holder == transfer.origin else {
            throw StoreError(.conflict, "case \(transfer.caseID) is no longer held by \(transfer.origin)")
        }
        guard found.version == transfer.caseVersion else {
            throw StoreError(
                .conflict,
                "case \(transfer.caseID) was updated after this transfer was sent (version \(transfer.caseVersion) → \(found.version)); \(transfer.origin) must withdraw it and send it again"
            )
        }
    }

    private func event(_ connection: Connection, _ id: String, _ actor: Actor, _ event: String, _ note: String?) throws(StoreError) {
        try connection.run(
            "INSERT INTO transfer_events (transfer_id, at, actor, event, note) VALUES (?, ?, ?, ?, ?)",
            [id, Timestamp.now(), actor.description, event, note])
    }

    private func loadTransfer(_ id: String) throws(StoreError) -> Transfer {
        let found = try catalogue.read { connection throws(StoreError) in
            try connection.first("SELECT \(Self.transferColumns) FROM transfers WHERE id = ?", [id], Self.transfer(row:))
        }
        guard let found else { throw StoreError(.notFound, "no transfer \(id.prefix(64))") }
        return found
    }

    static let transferColumns =
        "id, case_id, kind, origin, destination, urgent, reason, state, case_version, created_by, created_at, updated_at"

    static func transfer(row: Statement) -> Transfer {
        Transfer(
            id: row.text(0), caseID: row.text(1), kind: Transfer.Kind(rawValue: row.text(2)) ?? .provision, origin: row.text(3),
            destination: row.text(4), urgent: row.int(5) == 1, reason: row.text(6), state: Transfer.State(rawValue: row.text(7)) ?? .sent,
            caseVersion: row.int(8), createdBy: row.text(9), createdAt: row.text(10), updatedAt: row.text(11))
    }
}
