import Foundation
import SQLiteDB

/// One entry of an authority's inbox: a reference to a case or transfer, never its content.
package struct InboxNotification: Sendable, Hashable, Codable {
    package let id: Int
    /// `case.created`, `case.updated`, `transfer.*`, `request.*`, `alert.opened`, `alert.located`, `alert.information`.
    package let kind: String
    package let caseID: String?
    /// What the notification is about besides the case: a transfer, request or alert id, or the other case of a match.
    package let ref: String?
    package let from: String?
    package let at: String
    package let readAt: String?

    enum CodingKeys: String, CodingKey {
        case id, kind, caseID = "case_id", ref = "ref", from, at, readAt = "read_at"
    }
}

/// Each authority's inbox: notifications that name a case, transfer, request or alert, never
/// their content; written in the transaction of what they report (and queued for the
/// authority's webhook there).
package struct Notifications: StoreFeature {
    package let store: Store

    /// The notifications a change to a case sends: to its partner authorities and every
    /// authority holding a live grant on it, except the authority that made the change.
    func aboutCase(
        _ caseID: String, holder: String, municipality: String?, kind: String, by actor: Actor
    ) throws(StoreError) -> [NotificationDraft] {
        let facts = try store.accessFacts(of: [(caseID, holder, municipality)])[caseID]!
        return facts.partners.union(facts.grantees).subtracting([actor.authority ?? ""]).sorted().map {
            NotificationDraft(authority: $0, kind: kind, caseID: caseID, ref: nil, from: actor.authority ?? holder)
        }
    }

    /// The notifications an import's changed cases send, one per case and partner, as an online
    /// entry sends them: audit records (one per 2,000 cases, so that each outbox entry stays
    /// small) written by the system on the importer's behalf, without case links (the import's
    /// own audit entry names the file and the count).
    func aboutImport(_ changes: [ImportedChange], from importer: String?, commit: String) throws(StoreError) -> [AuditRecord] {
        var records: [AuditRecord] = []
        var start = 0
        while start < changes.count {
            let chunk = changes[start..<min(start + 2_000, changes.count)]
            let facts = try store.accessFacts(of: chunk.map { ($0.caseID, $0.holder, $0.municipality) })
            var drafts: [NotificationDraft] = []
            for change in chunk {
                guard let fact = facts[change.caseID] else { continue }
                let from = importer ?? change.holder
                for authority in fact.partners.union(fact.grantees).subtracting([from]).sorted() {
                    drafts.append(NotificationDraft(authority: authority, kind: change.kind, caseID: change.caseID, ref: nil, from: from))
                }
            }
            if !drafts.isEmpty {
                records.append(
                    AuditRecord(
                        actor: .localAdministrator, action: "case.import.notify", target: commit,
                        detail: "cases=\(chunk.count) notifications=\(drafts.count)", cases: [], notifications: drafts))
            }
            start += chunk.count
        }
        return records
    }

    /// Writes notifications into their inboxes and, for authorities with a webhook, into the
    /// webhook outbox (in the caller's transaction: a notification and its delivery exist together).
    static func deliver(_ notifications: [NotificationDraft], _ connection: Connection) throws(StoreError) {
        let now = Timestamp.now()
        for notification in notifications {
            try connection.run(
                "INSERT INTO notifications (authority, kind, case_id, ref, from_authority, at) VALUES (?, ?, ?, ?, ?, ?)",
                [notification.authority, notification.kind, notification.caseID, notification.ref, notification.from, now])
            let hooked =
                try connection.first(
                    """
                    SELECT 1 FROM settings WHERE authority = ?1 AND webhook_url IS NOT NULL
                    AND NOT EXISTS (SELECT 1 FROM notification_targets WHERE authority = ?1 AND kind = ?2 AND webhook = 0)
                    """, [notification.authority, notification.kind], { _ in true }) ?? false
            guard hooked else { continue }
            let id = try connection.first("SELECT last_insert_rowid()") { $0.int(0) } ?? 0
            let payload = InboxNotification(
                id: id, kind: notification.kind, caseID: notification.caseID, ref: notification.ref, from: notification.from, at: now,
                readAt: nil)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            let body: Data
            do { body = try encoder.encode(payload) } catch {
                throw StoreError(.storage, "cannot encode a webhook payload: \(error)")
            }
            try connection.run(
                "INSERT INTO webhook_deliveries (authority, notification_id, payload, next_attempt_at) VALUES (?, ?, ?, ?)",
                [notification.authority, id, String(decoding: body, as: UTF8.self), now])
        }
    }

    /// An authority's inbox for its users: unread first, then newest first.
    package func inbox(of authority: String, as actor: Actor, unreadOnly: Bool = false, limit: Int = 100) throws(StoreError) -> [InboxNotification] {
        try store.require(
            .listOwn(authority: authority, what: "notifications", refusingOperators: false), as: actor, action: "notification.list", target: authority
        )
        // Kinds the authority routed to others than the actor (administrators see every kind, so nothing is lost).
        let elsewhere: [String] =
            if case .user(_, _, .administrator) = actor { [] } else {
                try store.settings.notificationTargets(of: authority).filter { !$0.value.audience.admits(actor) }.keys.sorted()
            }
        let excluded = elsewhere.isEmpty ? "" : "AND kind NOT IN (\(Array(repeating: "?", count: elsewhere.count).joined(separator: ",")))"
        return try catalogue.read { connection throws(StoreError) in
            try connection.query(
                """
                SELECT \(Self.notificationColumns) FROM notifications
                WHERE authority = ? \(unreadOnly ? "AND read_at IS NULL" : "") \(excluded)
                ORDER BY read_at IS NOT NULL, id DESC LIMIT ?
                """, [authority] + elsewhere + [max(1, min(limit, 1000))], Self.notification(row:))
        }
    }

    static let notificationColumns = "id, kind, case_id, ref, from_authority, at, read_at"

    static func notification(row: Statement) -> InboxNotification {
        InboxNotification(
            id: row.int(0), kind: row.text(1), caseID: row.optionalText(2), ref: row.optionalText(3), from: row.optionalText(4),
            at: row.text(5), readAt: row.optionalText(6))
    }

    /// Marks a notification of the actor's authority read (once: the first reader stays).
    /// - Returns: the notification, to go on to what it is about.
    @discardableResult
    package func markRead(_ id: Int, as actor: Actor) throws(StoreError) -> InboxNotification {
        let owner = try catalogue.read { connection throws(StoreError) in
            try connection.first("SELECT authority FROM notifications WHERE id = ?", [id]) { $0.text(0) }
        }
        guard let owner else { throw StoreError(.notFound, "no notification \(id)") }
        try store.require(.readNotification(owner: owner), as: actor, action: "notification.read", target: String(id), hidden: "notification")
        return try catalogue.write { connection throws(StoreError) -> InboxNotification in
            try connection.run(
                "UPDATE notifications SET read_at = coalesce(read_at, ?), read_by = coalesce(read_by, ?) WHERE id = ?",
                [Timestamp.now(), actor.description, id])
            guard let read = try connection.first("SELECT \(Self.notificationColumns) FROM notifications WHERE id = ?", [id], Self.notification(row:))
            else { throw StoreError(.storage, "notification \(id) vanished") }
            return read
        }
    }
}

extension Notifications {
    /// Tells both holders that a newly registered child matches, by identity, a child in the
    /// other's open case (as the Netherlands' Verwijsindex does). Each pair is told once; the
    /// notifications carry the case ids only, and each side sees the other's identity summary
    /// through search.
    /// - Returns: whether the pair was new.
    @discardableResult
    package func recordMatch(newCase: String, newHolder: String, existingCase: String, existingHolder: String) throws(StoreError) -> Bool {
        try catalogue.write { connection throws(StoreError) -> Bool in
            // A pair a holder said is two different children is never raised again.
            let (first, second) = newCase < existingCase ? (newCase, existingCase) : (existingCase, newCase)
            guard try connection.first("SELECT 1 FROM match_dismissals WHERE case_a = ? AND case_b = ?", [first, second], { _ in true }) == nil
            else { return false }
            try connection.run(
                "INSERT OR IGNORE INTO match_alerts (new_case, new_holder, existing_case, existing_holder, at) VALUES (?, ?, ?, ?, ?)",
                [newCase, newHolder, existingCase, existingHolder, Timestamp.now()])
            guard connection.changes == 1 else { return false }
            // Each holder hears of the other's case only if the other holder's rules let it see
            // that case's summary (a case hidden from `other` is not revealed by a match either).
            var drafts: [NotificationDraft] = []
            if try mayKnow(existingCase, authority: newHolder) {
                drafts.append(NotificationDraft(authority: newHolder, kind: "match.found", caseID: newCase, ref: existingCase, from: existingHolder))
            }
            if try mayKnow(newCase, authority: existingHolder) {
                drafts.append(NotificationDraft(authority: existingHolder, kind: "match.found", caseID: existingCase, ref: newCase, from: newHolder))
            }
            try Self.deliver(drafts, connection)
            try store.audit(
                connection, actor: .localAdministrator, action: "match.alert", target: newCase, detail: "matches=\(existingCase)",
                cases: [(newCase, newHolder), (existingCase, existingHolder)])
            return true
        }
    }

    /// Dismisses a match alert in the caller's inbox as "not the same child": the pair is
    /// remembered and never raised again (for either holder), the alert is marked read; audited.
    @discardableResult
    package func dismissMatch(_ id: Int, as actor: Actor) throws(StoreError) -> InboxNotification {
        let (owner, found) = try catalogue.read { connection throws(StoreError) in
            (
                try connection.first("SELECT authority FROM notifications WHERE id = ?", [id]) { $0.text(0) },
                try connection.first("SELECT \(Self.notificationColumns) FROM notifications WHERE id = ?", [id], Self.notification(row:))
            )
        }
        guard let owner, let found else { throw StoreError(.notFound, "no notification \(id)") }
        try store.require(.readNotification(owner: owner), as: actor, action: "match.dismiss", target: String(id), hidden: "notification")
        guard found.kind == "match.found", let own = found.caseID, let other = found.ref else {
            throw StoreError(.invalidInput, "notification \(id) is not a match alert")
        }
        let (first, second) = own < other ? (own, other) : (other, own)
        let holder = try locate(own)?.holder ?? owner
        return try catalogue.write { connection throws(StoreError) -> InboxNotification in
            try connection.run(
                "INSERT OR IGNORE INTO match_dismissals (case_a, case_b, authority, actor, at) VALUES (?, ?, ?, ?, ?)",
                [first, second, owner, actor.description, Timestamp.now()])
            try connection.run(
                "UPDATE notifications SET read_at = coalesce(read_at, ?), read_by = coalesce(read_by, ?) WHERE id = ?",
                [Timestamp.now(), actor.description, id])
            try store.audit(
                connection, actor: actor, action: "match.dismiss", target: own, detail: "not the same child as \(other)", cases: [(own, holder)])
            guard let read = try connection.first("SELECT \(Self.notificationColumns) FROM notifications WHERE id = ?", [id], Self.notification(row:))
            else { throw StoreError(.storage, "notification \(id) vanished") }
            return read
        }
    }

    /// Whether the policy lets `authority`'s staff see the summary of a case.
    private func mayKnow(_ caseID: String, authority: String) throws(StoreError) -> Bool {
        guard let found = try locate(caseID) else { return false }
        return store.capabilities(ofAuthority: authority, on: try store.accessFacts(of: found)).contains(.seeSummary)
    }
}

/// A case an import created or changed, for the notifications it sends.
struct ImportedChange: Sendable {
    let caseID: String
    let holder: String
    let municipality: String?
    /// `case.created` or `case.updated`.
    let kind: String
}
