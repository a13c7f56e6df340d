package import Foundation
import SQLiteDB

/// The cases themselves: read, list, register, update, annotate and move them. Every read and
/// write is decided by the core's policy and audited; writes commit with their audit entry
/// and notifications (`Store.commitCaseWrite`).
package struct Cases: StoreFeature {
    package let store: Store

    /// Reads one case with its notes and the list of its attachments, if `actor` may read
    /// the full record. Every read is audited, and listed for the holder when another
    /// authority read it; a refusal is audited too.
    /// - Throws: `.notFound` if no partition holds `id` or the actor may not know it exists;
    ///   `.permissionDenied` if it may see the summary only.
    package func read(id: String, as actor: Actor) throws(StoreError) -> StoredCase {
        try read(id: id, needing: .readRecord, "case.read", as: actor)
    }

    /// Reads a case if `actor` has `needed` on it (`action` names a refusal), audited as a read.
    func read(id: String, needing needed: AccessPolicy.Capabilities, _ action: String, as actor: Actor) throws(StoreError) -> StoredCase {
        try withAttachedRows(try authorizedRead(id: id, needing: needed, action, as: actor))
    }

    /// A case as a print view shows it for a handover meeting (ケース移管の面談): what `read` gives,
    /// with up to `printedNotes` notes (oldest first), audited as a read marked `print`.
    package func readForPrint(id: String, as actor: Actor) throws(StoreError) -> StoredCase {
        var found = try withAttachedRows(try authorizedRead(id: id, needing: .readRecord, "case.read", as: actor, detail: " print"))
        found.notes = try partition(found.prefectureCode).read { connection throws(StoreError) in
            try Self.notes(of: found.id, limit: Self.printedNotes, offset: 0, connection).reversed()
        }
        return found
    }

    /// The most notes a printed case carries (newest kept): a handover pack, not an archive.
    package static let printedNotes = 500

    /// How many notes a case shows with its record; older ones are read page by page.
    package static let recentNotes = 20
    /// The longest note, in characters: a note is an entry in the record (a document is attached).
    package static let maxNoteLength = 4_000
    /// The page sizes and offsets `notes(ofCase:limit:offset:as:)` accepts.
    package static let noteLimits = 1...200
    package static let noteOffsets = 0...1_000_000

    /// A page of a case's notes, newest first, and how many there are, for whoever may read
    /// the record; audited as a read of the record.
    package func notes(ofCase id: String, limit: Int, offset: Int, as actor: Actor) throws(StoreError) -> (total: Int, notes: [CaseNote]) {
        guard Self.noteLimits.contains(limit), Self.noteOffsets.contains(offset) else {
            throw StoreError(.invalidInput, "limit must lie in \(Self.noteLimits) and offset in \(Self.noteOffsets)")
        }
        let found = try authorizedRead(id: id, needing: .readRecord, "case.read", as: actor, detail: " notes offset=\(offset)")
        return try partition(found.prefectureCode).read { connection throws(StoreError) in
            (try Self.noteCount(of: found.id, connection), try Self.notes(of: found.id, limit: limit, offset: offset, connection))
        }
    }

    /// The case, once the policy allowed `needed` and the read is audited (with the holder's
    /// notice where it watches the case), as the reader may see it.
    func authorizedRead(
        id: String, needing needed: AccessPolicy.Capabilities, _ action: String, as actor: Actor, detail: String = ""
    ) throws(StoreError) -> StoredCase {
        guard let found = try locate(id) else { throw StoreError(.notFound, "no case \(id.prefix(64))") }
        let facts = try store.authorize(needed, action, on: found, as: actor)
        let relations = store.policy.relations(of: actor, to: facts)
        try store.audit([
            AuditRecord(
                actor: actor, action: "case.read", target: found.id,
                detail: "holder=\(found.holder) as=\(relations.map(\.rawValue).sorted().joined(separator: ","))\(detail)",
                cases: [(found.id, found.holder)],
                notifications: try store.viewNotices(of: found.id, holder: found.holder, relations: relations, kind: "case.viewed", by: actor))
        ])
        return try store.redacted(found, for: relations)
    }

    /// The case with its notes and the list of its attachments.
    func withAttachedRows(_ found: StoredCase) throws(StoreError) -> StoredCase {
        var found = found
        try partition(found.prefectureCode).read { connection throws(StoreError) in
            found.notesTotal = try Self.noteCount(of: found.id, connection)
            found.notes = try Self.notes(of: found.id, limit: Self.recentNotes, offset: 0, connection).reversed()
            found.attachments = try Attachments.attachmentInfos(of: found.id, connection)
            found.progress = try Casework.progress(of: found.id, connection)
            found.plans = try Casework.plans(of: found.id, connection)
        }
        let voided = try store.attachments.voided(found.attachments.map(\.id))
        found.attachments.removeAll { voided.contains($0.id) }
        return found
    }

    /// The cases an authority holds, newest change first: for the holder's own users.
    package func list(heldBy holder: String, as actor: Actor, limit: Int = 50, offset: Int = 0) throws(StoreError)
        -> [StoredCase]
    {
        try list(heldBy: holder, as: actor, matching: CaseListQuery(limit: limit, offset: offset)).cases
    }

    /// One page of an authority's own cases, filtered and sorted, with the number that match.
    package func list(heldBy holder: String, as actor: Actor, matching query: CaseListQuery) throws(StoreError)
        -> (total: Int, cases: [StoredCase])
    {
        try store.require(.listOwn(authority: holder, what: "cases", refusingOperators: true), as: actor, action: "case.list", target: holder)
        guard directory[holder]?.holdsCases == true else { return (0, []) }
        let prefecture = try store.prefectureCode(ofHolder: holder)
        guard store.existingPartitions().contains(prefecture) else { return (0, []) }
        var conditions = ["holder = ?"]
        var values: [any SQLBindable] = [holder]
        if let status = query.status {
            conditions.append("status = ?")
            values.append(status.rawValue)
        }
        let needle = query.normalizedText
        if !needle.isEmpty {
            // `list_text`: the external id and the child's names, lower-cased (`CaseBody.listValues`).
            conditions.append("instr(list_text, ?) > 0")
            values.append(needle)
        }
        let order =
            switch query.sort {
            // Ties by rowid, the last column of every index entry (partition migration 6).
            case .updated: "updated_at DESC, rowid DESC"
            case .created: "created_at DESC, rowid DESC"
            case .name: "child_family_kana, child_given_kana, rowid"
            case .birthdate: "child_birthdate IS NULL, child_birthdate, rowid"
            }
        let filter = conditions.joined(separator: " AND ")
        return try partition(prefecture).read { connection throws(StoreError) in
            let total = try connection.first("SELECT count(*) FROM cases WHERE \(filter)", values) { $0.int(0) } ?? 0
            let page = try connection.query(
                "SELECT \(Self.columns) FROM cases WHERE \(filter) ORDER BY \(order) LIMIT ? OFFSET ?",
                values + [max(0, min(query.limit, 1000)), max(0, query.offset)]
            ) { row throws(StoreError) in try Self.storedCase(row, prefecture: prefecture) }
            return (total, page)
        }
    }

    /// How many cases an authority holds (no personal data; used by directory maintenance).
    package func count(heldBy holder: String) throws(StoreError) -> Int {
        guard let prefecture = directory[holder]?.prefectureCode, store.existingPartitions().contains(prefecture) else { return 0 }
        return try partition(prefecture).read { connection throws(StoreError) in
            try connection.first("SELECT count(*) FROM cases WHERE holder = ?", [holder]) { $0.int(0) } ?? 0
        }
    }

    /// How many cases each partition holds.
    package func countsByPrefecture() throws(StoreError) -> [String: Int] {
        var counts: [String: Int] = [:]
        for code in store.existingPartitions() {
            counts[code] = try partition(code).read { connection throws(StoreError) in
                try connection.first("SELECT count(*) FROM cases") { $0.int(0) } ?? 0
            }
        }
        return counts
    }

    /// Moves a case to another holder. Within a prefecture this is one transaction; across
    /// prefectures it is a cross-partition commit, so that a crash at any point leaves the
    /// case in exactly one partition once the store is reopened.
    /// - Returns: the case as stored under its new holder.
    @discardableResult
    package func move(id: String, to destination: String, as actor: Actor) throws(StoreError) -> StoredCase {
        guard let found = try locate(id) else { throw StoreError(.notFound, "no case \(id.prefix(64))") }
        try store.authorize(.transfer, "case.move", on: found, as: actor)
        let moved = try relocate(caseID: id, to: destination, as: actor)
        try catalogue.write { connection throws(StoreError) in
            try Self.handOver(id, from: found.holder, to: destination, directory: directory, connection)
        }
        return moved
    }

    /// What a case's former holder arranged passes with the case (in the catalogue write that
    /// records the new holder): its open missing-child alert follows the case to the new
    /// holder (to the CGC covering it, when the new holder is a municipality: alerts are the
    /// CGCs'), and the information provisions the former holder granted end (the new holder
    /// may provide again). Access never outlives the holder that gave it.
    static func handOver(
        _ caseID: String, from former: String, to holder: String, directory: AuthorityDirectory, _ connection: Connection
    ) throws(StoreError) {
        let alertHolder = directory[holder]?.kind == .childGuidanceCentre ? holder : directory.childGuidanceCentre(for: holder)?.code
        if let alertHolder {
            try connection.run("UPDATE alerts SET origin = ? WHERE case_id = ? AND state = 'open' AND origin = ?", [alertHolder, caseID, former])
        }
        try connection.run("DELETE FROM grants WHERE case_id = ?", [caseID])
    }

    /// Moves a case to another holder without asking the policy (callers have: a holder's
    /// move, a confirmed case transfer).
    func relocate(caseID id: String, to destination: String, as actor: Actor) throws(StoreError) -> StoredCase {
        guard let found = try locate(id) else { throw StoreError(.notFound, "no case \(id.prefix(64))") }
        let targetPrefecture = try store.prefectureCode(ofHolder: destination)
        guard destination != found.holder else { throw StoreError(.conflict, "case \(id) is already held by \(destination)") }
        var record = found.record
        record.authority = destination
        let body = Self.encode(record)
        let clash = try partition(targetPrefecture).read { connection throws(StoreError) in
            try connection.first("SELECT 1 FROM cases WHERE holder = ? AND external_id = ?", [destination, record.externalID]) { _ in true }
        }
        if clash != nil {
            throw StoreError(.conflict, "\(destination) already holds a case with external_id \(record.externalID)")
        }
        let detail = "from=\(found.holder) to=\(destination)"
        if targetPrefecture == found.prefectureCode {
            let record = AuditRecord(actor: actor, action: "case.move", target: id, detail: detail, cases: [(id, destination)])
            try store.commitCaseWrite(in: targetPrefecture, record) { connection throws(StoreError) in
                let now = Timestamp.now()
                try connection.run(
                    """
                    UPDATE cases SET holder = ?1, body = ?2, version = version + 1, updated_at = ?3,
                        \(CaseBody.listAssignments(json: "?5", externalID: "external_id"))
                    WHERE id = ?4
                    """, [destination, SQLValue.blob(CaseBody.pack(body)), now, id, body])
                // The new holder assigns its own person in charge.
                try connection.run("UPDATE case_progress SET assignee = NULL WHERE case_id = ?", [id])
                try ChangeFeed.recordChange(connection, caseID: id, kind: "upsert", at: now)
            }
            store.notifyChanged([targetPrefecture])
        } else {
            let commits = CrossPartitionCommit(store: store)
            let commit = try commits.beginCommit(kind: "move", actor: actor)
            let incoming = StagedRow(
                op: .insert, caseID: id, holder: destination, externalID: record.externalID,
                status: record.status.rawValue, body: body, version: found.version + 1, createdAt: found.createdAt)
            let outgoing = StagedRow(
                op: .delete, caseID: id, holder: found.holder, externalID: record.externalID,
                status: record.status.rawValue, body: "{}", version: found.version, createdAt: found.createdAt)
            try commits.stage([incoming], commit: commit, in: targetPrefecture, firstSeq: 0)
            try commits.stageAttachedRows(of: id, from: found.prefectureCode, commit: commit, in: targetPrefecture)
            FaultInjection.reach("move.staged-destination")
            try commits.stage([outgoing], commit: commit, in: found.prefectureCode, firstSeq: 0)
            FaultInjection.reach("commit.prepared")
            try commits.markCommitted(commit, audit: (actor, "case.move", id, detail))
            FaultInjection.reach("commit.committed")
            _ = try commits.applyCommitted(commit, partitions: [targetPrefecture, found.prefectureCode])
        }
        guard let moved = try locate(id) else { throw StoreError(.storage, "case \(id) vanished during its move") }
        return moved
    }

    /// Starts an all-or-nothing import of records (see `ImportSession`).
    package func beginImport(as actor: Actor) throws(StoreError) -> ImportSession {
        try ImportSession(store: store, actor: actor)
    }

    // MARK: Reading rows

    static let columns = "id, holder, version, created_at, updated_at, body"

    static func storedCase(_ row: Statement, prefecture: String) throws(StoreError) -> StoredCase {
        let record: CaseRecord
        do {
            guard let body = row.withBlob(5, CaseBody.unpack) else { throw StoreError(.storage, "not a stored body") }
            record = try JSONDecoder().decode(CaseRecord.self, from: Data(body.utf8))
        } catch {
            throw StoreError(.storage, "case \(row.text(0)) in pref-\(prefecture) has an unreadable body: \(error)")
        }
        return StoredCase(
            id: row.text(0), holder: row.text(1), version: row.int(2), createdAt: row.text(3), updatedAt: row.text(4),
            prefectureCode: prefecture, record: record)
    }

    /// A case's stored body: the record in the import format, keys sorted (the bytes
    /// `JSONEncoder` with `.sortedKeys` and `.withoutEscapingSlashes` writes; see `BodyWriter`).
    package static func encode(_ record: CaseRecord) -> String { BodyWriter.json(of: record) }

    /// One page of a case's notes, newest first.
    static func notes(of caseID: String, limit: Int, offset: Int, _ connection: Connection) throws(StoreError) -> [CaseNote] {
        try connection.query(
            "SELECT id, at, author, authority, text FROM notes WHERE case_id = ? ORDER BY at DESC, id DESC LIMIT ? OFFSET ?",
            [caseID, limit, offset]
        ) { row in
            CaseNote(id: row.text(0), at: row.text(1), author: row.text(2), authority: row.text(3), text: row.text(4))
        }
    }

    static func noteCount(of caseID: String, _ connection: Connection) throws(StoreError) -> Int {
        try connection.first("SELECT count(*) FROM notes WHERE case_id = ?", [caseID]) { $0.int(0) } ?? 0
    }
}
