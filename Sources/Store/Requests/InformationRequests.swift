import Foundation
import SQLiteDB

/// A request for a record that another authority holds, found by search.
package struct InformationRequest: Sendable, Hashable, Codable {
    package enum State: String, Sendable, Hashable, Codable { case requested, approved, declined }

    package let id: String
    package let caseID: String
    package let requester: String
    package let holder: String
    package let reason: String
    package let state: State
    /// The holder's reason when it declined.
    package let answer: String?
    /// The information provision an approval started.
    package let transferID: String?
    package let createdBy: String
    package let createdAt: String
    package let answeredBy: String?
    package let answeredAt: String?

    enum CodingKeys: String, CodingKey {
        case id, caseID = "case_id", requester, holder, reason, state, answer, transferID = "transfer_id", createdBy = "created_by"
        case createdAt = "created_at", answeredBy = "answered_by", answeredAt = "answered_at"
    }
}

/// Information requests (情報提供依頼): an authority that found a case by search asks its
/// holder for the record; an approval starts an information provision.
package struct InformationRequests: StoreFeature {
    package let store: Store

    /// Asks the holder of a case the actor can see in search results for the record.
    package func create(aboutCase caseID: String, reason: String, as actor: Actor) throws(StoreError) -> InformationRequest {
        guard let found = try locate(caseID) else { throw StoreError(.notFound, "no case \(caseID.prefix(64))") }
        try store.authorize(.seeSummary, "request.create", on: found, as: actor)
        guard let requester = actor.authority, requester != found.holder, directory[requester]?.holdsCases == true else {
            throw StoreError(.invalidInput, "only another municipality or CGC can request a record from its holder")
        }
        let reason = reason.trimmingSpaces()
        guard !reason.isEmpty, reason.count <= 2_000 else {
            throw StoreError(.invalidInput, "reason: say why the record is needed (1–2,000 characters)")
        }
        let id = UUID().uuidString.lowercased()
        try catalogue.write { connection throws(StoreError) in
            let open = try connection.first(
                "SELECT id FROM information_requests WHERE case_id = ? AND requester = ? AND state = 'requested'", [caseID, requester]
            ) { $0.text(0) }
            if let open { throw StoreError(.conflict, "request \(open) for case \(caseID) is still open") }
            try connection.run(
                """
                INSERT INTO information_requests (id, case_id, requester, holder, reason, state, created_by, created_at)
                VALUES (?, ?, ?, ?, ?, 'requested', ?, ?)
                """, [id, caseID, requester, found.holder, reason, actor.description, Timestamp.now()])
            try Notifications.deliver(
                [NotificationDraft(authority: found.holder, kind: "request.received", caseID: caseID, ref: nil, from: requester)], connection)
            try store.audit(connection, actor: actor, action: "request.create", target: id, detail: "case=\(caseID)", cases: [(caseID, found.holder)])
        }
        return try read(id, as: actor)
    }

    /// The holder approves: an information provision to the requester starts (sent, or
    /// proposed when the holder's settings require a supervisor's approval), in the same
    /// transaction as the answer.
    package func approve(_ id: String, as actor: Actor) throws(StoreError) -> InformationRequest {
        let request = try openRequest(id, as: actor)
        _ = try store.transfers.propose(
            ofCase: request.caseID, to: request.requester, kind: .provision, urgent: false, reason: "情報提供依頼への回答: \(request.reason)",
            as: actor
        ) { connection, transfer throws(StoreError) in
            try answer(request, state: .approved, answer: nil, transferID: transfer.id, as: actor, in: connection)
        }
        return try read(id, as: actor)
    }

    /// The holder declines, saying why.
    package func decline(_ id: String, reason: String, as actor: Actor) throws(StoreError) -> InformationRequest {
        let reason = reason.trimmingSpaces()
        guard !reason.isEmpty, reason.count <= 2_000 else { throw StoreError(.invalidInput, "reason: say why the request is declined") }
        let request = try openRequest(id, as: actor)
        try catalogue.write { connection throws(StoreError) in
            try answer(request, state: .declined, answer: reason, transferID: nil, as: actor, in: connection)
        }
        return try read(id, as: actor)
    }

    /// A request, for its requester or the holder.
    package func read(_ id: String, as actor: Actor) throws(StoreError) -> InformationRequest {
        let found = try catalogue.read { connection throws(StoreError) in
            try connection.first("SELECT \(Self.requestColumns) FROM information_requests WHERE id = ?", [id], Self.request(row:))
        }
        guard let found else { throw StoreError(.notFound, "no request \(id.prefix(64))") }
        try store.require(
            .readRequest(requester: found.requester, holder: found.holder), as: actor, action: "request.read", target: id, hidden: "request")
        return found
    }

    /// The requests an authority made or received, newest first.
    package func list(of authority: String, as actor: Actor, limit: Int = 100) throws(StoreError) -> [InformationRequest] {
        try store.require(
            .listOwn(authority: authority, what: "requests", refusingOperators: false), as: actor, action: "request.list", target: authority)
        return try catalogue.read { connection throws(StoreError) in
            try connection.query(
                """
                SELECT \(Self.requestColumns) FROM information_requests WHERE requester = ?1 OR holder = ?1
                ORDER BY created_at DESC, id LIMIT ?2
                """, [authority, max(1, min(limit, 1000))], Self.request(row:))
        }
    }

    private func openRequest(_ id: String, as actor: Actor) throws(StoreError) -> InformationRequest {
        let request = try read(id, as: actor)
        let approvers = try store.approvers(of: request.holder, for: .request)
        try store.require(.answerRequest(holder: request.holder, approvers: approvers), as: actor, action: "request.answer", target: id)
        return request
    }

    private func answer(
        _ request: InformationRequest, state: InformationRequest.State, answer: String?, transferID: String?, as actor: Actor,
        in connection: Connection
    ) throws(StoreError) {
        try connection.run(
            """
            UPDATE information_requests SET state = ?, answer = ?, transfer_id = ?, answered_by = ?, answered_at = ?
            WHERE id = ? AND state = 'requested'
            """, [state.rawValue, answer, transferID, actor.description, Timestamp.now(), request.id])
        guard connection.changes == 1 else { throw StoreError(.conflict, "request \(request.id) has already been answered") }
        try Notifications.deliver(
            [
                NotificationDraft(
                    authority: request.requester, kind: "request.\(state.rawValue)", caseID: request.caseID, ref: transferID, from: request.holder)
            ],
            connection)
        try store.audit(
            connection, actor: actor, action: "request.\(state == .approved ? "approve" : "decline")", target: request.id,
            detail: "case=\(request.caseID)", cases: [(request.caseID, request.holder)])
    }

    static let requestColumns =
        "id, case_id, requester, holder, reason, state, answer, transfer_id, created_by, created_at, answered_by, answered_at"

    static func request(row: Statement) -> InformationRequest {
        InformationRequest(
            id: row.text(0), caseID: row.text(1), requester: row.text(2), holder: row.text(3), reason: row.text(4),
            state: InformationRequest.State(rawValue: row.text(5)) ?? .requested, answer: row.optionalText(6),
            transferID: row.optionalText(7), createdBy: row.text(8), createdAt: row.text(9), answeredBy: row.optionalText(10),
            answeredAt: row.optionalText(11))
    }
}
