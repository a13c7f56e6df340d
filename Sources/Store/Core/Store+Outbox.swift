import Foundation
import Logging
import SQLiteDB

/// The outbox of a partition: a write of case data, its audit entry and its notifications
/// live in two files (the prefecture's partition and the catalogue), which no SQLite
/// transaction spans in WAL mode. So the audit record is written into the partition's
/// `outbox` in the case's own transaction, then carried into the catalogue (audit row and
/// notifications in one transaction, recorded in `outbox_carried` so it is carried once),
/// then removed from the outbox. A crash after the case commit leaves the record in the
/// outbox, and the next start carries it (`carryOutboxLeftovers`): the case never exists
/// without its audit row and notifications.
extension Store {
    /// Commits `write` in a prefecture's partition together with `record` (audit entry and
    /// notifications), which is durable in the catalogue when this returns.
    func commitCaseWrite<T: Sendable>(
        in prefecture: String, _ record: AuditRecord, _ write: (Connection) throws(StoreError) -> T
    ) throws(StoreError) -> T {
        let database = try partition(prefecture)
        let (result, written) = try database.write { connection throws(StoreError) -> (T, AuditRecord) in
            let result = try write(connection)
            let written = try writeOutbox(record, connection)
            FaultInjection.reach("case.writing")
            return (result, written)
        }
        FaultInjection.reach("case.committed")
        try carry([written], from: database)
        return result
    }

    /// Puts an audit record (with its notifications) into a partition's outbox, in the caller's
    /// write transaction: it then exists exactly when the write it describes does.
    func writeOutbox(_ record: AuditRecord, _ connection: Connection) throws(StoreError) -> AuditRecord {
        var record = record
        let id = UUID().uuidString.lowercased()
        record.outboxID = id
        try connection.run("INSERT INTO outbox (id, record) VALUES (?, ?)", [id, try OutboxEntry(record).encoded()])
        return record
    }

    /// Carries outbox records into the audit log (and their notifications into the inboxes)
    /// now; a crash before leaves them to `carryOutboxLeftovers`, which writes each once.
    func carry(_ records: [AuditRecord], from database: Database) throws(StoreError) {
        guard !records.isEmpty else { return }
        try audit(records)
        FaultInjection.reach("outbox.carried")
        try database.write { connection throws(StoreError) in
            for record in records { try connection.run("DELETE FROM outbox WHERE id = ?", [record.outboxID ?? ""]) }
        }
    }

    /// Carries into the catalogue every outbox entry a crash (or a failed catalogue write) left
    /// in a partition: at start, and every minute in `serve`. An entry being carried by its own
    /// write meanwhile is written once all the same (`outbox_carried`).
    package func carryOutboxLeftovers() throws(StoreError) {
        for code in existingPartitions() {
            let database = try partition(code)
            let entries = try database.read { connection throws(StoreError) in
                try connection.query("SELECT id, record FROM outbox ORDER BY seq") { ($0.text(0), $0.text(1)) }
            }
            for (id, text) in entries {
                guard let record = OutboxEntry.decoded(text, id: id) else {
                    // Never expected (written by this code): kept for an operator rather than dropped.
                    logger.critical(
                        "an outbox entry cannot be read; it stays in the partition", metadata: ["partition": "\(code)", "outbox": "\(id)"])
                    continue
                }
                try audit([record])
                try database.write { connection throws(StoreError) in try connection.run("DELETE FROM outbox WHERE id = ?", [id]) }
                logger.notice("carried an audit entry left in the outbox", metadata: ["partition": "\(code)", "outbox": "\(id)"])
            }
        }
    }
}

/// An `AuditRecord` as the outbox stores it (JSON).
private struct OutboxEntry: Codable {
    var login: String?
    var authority: String?
    var role: String?
    var action: String
    var target: String?
    var detail: String?
    var cases: [[String]]
    var notifications: [NotificationDraft]

    init(_ record: AuditRecord) {
        if case .user(let login, let authority, let role) = record.actor {
            self.login = login
            self.authority = authority
            self.role = role.rawValue
        }
        action = record.action
        target = record.target
        detail = record.detail
        cases = record.cases.map { [$0.id, $0.holder] }
        notifications = record.notifications
    }

    func encoded() throws(StoreError) -> String {
        do { return String(decoding: try JSONEncoder().encode(self), as: UTF8.self) } catch {
            throw StoreError(.storage, "cannot encode an audit record: \(error)")
        }
    }

    static func decoded(_ text: String, id: String) -> AuditRecord? {
        guard let entry = try? JSONDecoder().decode(OutboxEntry.self, from: Data(text.utf8)) else { return nil }
        let actor: Actor
        if let login = entry.login, let authority = entry.authority, let role = entry.role.flatMap(Actor.Role.init(rawValue:)) {
            actor = .user(login: login, authority: authority, role: role)
        } else {
            actor = .localAdministrator
        }
        return AuditRecord(
            actor: actor, action: entry.action, target: entry.target, detail: entry.detail,
            cases: entry.cases.compactMap { $0.count == 2 ? ($0[0], $0[1]) : nil }, notifications: entry.notifications, outboxID: id)
    }
}
