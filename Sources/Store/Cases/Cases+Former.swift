package import Foundation
import SQLiteDB

/// A case as it stood when a transfer took it from its former holder: the record and notes
/// then, kept in the former holder's partition, read-only to the former holder's staff.
package struct FormerRecord: Sendable {
    /// The case as it left (its `holder` is the former holder; `notes` those it had).
    package let found: StoredCase
    package let transferID: String
    package let leftAt: String
    /// Who holds the case now.
    package let holderNow: String
}

extension Cases {
    /// Keeps the case as it stands for its holder, before a confirmed transfer moves it away
    /// (written first: if the move then fails, the case is still the holder's own and the
    /// copy is never shown).
    func keepFormerRecord(of caseID: String, transfer: String) throws(StoreError) {
        guard let found = try locate(caseID) else { throw StoreError(.notFound, "no case \(caseID)") }
        let body = Self.encode(found.record)
        try partition(found.prefectureCode).write { connection throws(StoreError) in
            let notes = try Self.notes(of: found.id, limit: Self.printedNotes, offset: 0, connection)
            let encoded = (try? JSONEncoder().encode(notes)).flatMap { String(data: $0, encoding: .utf8) } ?? "[]"
            try connection.run(
                """
                INSERT OR REPLACE INTO former_records (case_id, former_holder, transfer_id, version, created_at, body, notes, left_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, [found.id, found.holder, transfer, found.version, found.createdAt, body, encoded, Timestamp.now()])
        }
    }

    /// The case as it stood when it left the actor's authority (the latest such transfer), for
    /// that authority's staff once the case is held elsewhere; audited as a read, so the new
    /// holder sees it among the reads of its case.
    package func readFormer(id: String, as actor: Actor) throws(StoreError) -> FormerRecord {
        guard case .user(_, let authority, let role) = actor, role != .systemOperator, let current = try locate(id),
            current.holder != authority, let prefecture = directory[authority]?.prefectureCode,
            store.existingPartitions().contains(prefecture)
        else { throw StoreError(.notFound, "no former record of case \(id.prefix(64))") }
        let row = try partition(prefecture).read { connection throws(StoreError) in
            try connection.first(
                """
                SELECT transfer_id, version, created_at, body, notes, left_at FROM former_records
                WHERE case_id = ? AND former_holder = ? ORDER BY left_at DESC LIMIT 1
                """, [current.id, authority]
            ) { ($0.text(0), $0.int(1), $0.text(2), $0.text(3), $0.text(4), $0.text(5)) }
        }
        guard let (transfer, version, createdAt, body, notesJSON, leftAt) = row else {
            try store.hide(actor, "case.read", target: id, "former record of case")
        }
        let record: CaseRecord
        do { record = try JSONDecoder().decode(CaseRecord.self, from: Data(body.utf8)) } catch {
            throw StoreError(.storage, "the former record of case \(current.id) in pref-\(prefecture) is unreadable: \(error)")
        }
        var found = StoredCase(
            id: current.id, holder: authority, version: version, createdAt: createdAt, updatedAt: leftAt, prefectureCode: prefecture, record: record)
        found.notes = ((try? JSONDecoder().decode([CaseNote].self, from: Data(notesJSON.utf8))) ?? []).reversed()
        found.notesTotal = found.notes.count
        try store.audit(
            actor: actor, action: "case.read", target: current.id, detail: "holder=\(current.holder) as=former transfer=\(transfer)",
            cases: [(current.id, current.holder)])
        return FormerRecord(found: found, transferID: transfer, leftAt: leftAt, holderNow: current.holder)
    }
}
