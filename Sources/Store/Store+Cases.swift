import Foundation

extension Store {
    /// Reads one case, if `actor` may read its full record. Reads by anyone other than the
    /// holder are audited.
    /// - Throws: `.notFound` if no partition holds `id`; `.permissionDenied` if the policy refuses.
    package func storedCase(id: String, as actor: Actor) throws(StoreError) -> StoredCase {
        guard let found = try locate(id) else { throw StoreError(.notFound, "no case \(id)") }
        try policy.check(.readRecord, for: actor, onCaseHeldBy: found.holder)
        if actor.authority != found.holder {
            try audit(actor: actor, action: "case.read", target: found.id, detail: "holder=\(found.holder)")
        }
        return found
    }

    /// The cases an authority holds, newest change first, if `actor` may read them.
    package func cases(heldBy holder: String, as actor: Actor, limit: Int = 50, offset: Int = 0) throws(StoreError)
        -> [StoredCase]
    {
        let prefecture = try prefectureCode(ofHolder: holder)
        try policy.check(.readRecord, for: actor, onCaseHeldBy: holder)
        guard existingPartitions().contains(prefecture) else { return [] }
        return try partition(prefecture).read { connection throws(StoreError) in
            try connection.query(
                "SELECT \(Self.caseColumns) FROM cases WHERE holder = ? ORDER BY updated_at DESC, id LIMIT ? OFFSET ?",
                [holder, max(0, min(limit, 1000)), max(0, offset)]
            ) { row throws(StoreError) in try Self.storedCase(row, prefecture: prefecture) }
        }
    }

    /// How many cases an authority holds (no personal data; used by directory maintenance).
    package func caseCount(heldBy holder: String) throws(StoreError) -> Int {
        guard let prefecture = directory[holder]?.prefectureCode, existingPartitions().contains(prefecture) else { return 0 }
        return try partition(prefecture).read { connection throws(StoreError) in
            try connection.first("SELECT count(*) FROM cases WHERE holder = ?", [holder]) { $0.int(0) } ?? 0
        }
    }

    /// How many cases each partition holds.
    package func caseCounts() throws(StoreError) -> [String: Int] {
        var counts: [String: Int] = [:]
        for code in existingPartitions() {
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
    package func moveCase(id: String, to destination: String, as actor: Actor) throws(StoreError) -> StoredCase {
        guard let found = try locate(id) else { throw StoreError(.notFound, "no case \(id)") }
        try policy.check(.transfer, for: actor, onCaseHeldBy: found.holder)
        let targetPrefecture = try prefectureCode(ofHolder: destination)
        guard destination != found.holder else { throw StoreError(.conflict, "case \(id) is already held by \(destination)") }
        var record = found.record
        record.authority = destination
        let body = try Self.encode(record)
        let clash = try partition(targetPrefecture).read { connection throws(StoreError) in
            try connection.first("SELECT 1 FROM cases WHERE holder = ? AND external_id = ?", [destination, record.externalID]) { _ in true }
        }
        if clash != nil {
            throw StoreError(.conflict, "\(destination) already holds a case with external_id \(record.externalID)")
        }
        let detail = "from=\(found.holder) to=\(destination)"
        if targetPrefecture == found.prefectureCode {
            try partition(targetPrefecture).write { connection throws(StoreError) in
                let now = Timestamp.now()
                try connection.run(
                    "UPDATE cases SET holder = ?, body = ?, version = version + 1, updated_at = ? WHERE id = ?",
                    [destination, body, now, id])
                try recordChange(connection, caseID: id, kind: "upsert", at: now)
            }
            try audit(actor: actor, action: "case.move", target: id, detail: detail)
            notifyChanged([targetPrefecture])
        } else {
            let commit = try beginCommit(kind: "move", actor: actor)
            let incoming = StagedRow(
                op: .insert, caseID: id, holder: destination, externalID: record.externalID,
                status: record.status.rawValue, body: body, version: found.version + 1, createdAt: found.createdAt)
            let outgoing = StagedRow(
                op: .delete, caseID: id, holder: found.holder, externalID: record.externalID,
                status: record.status.rawValue, body: "{}", version: found.version, createdAt: found.createdAt)
            try stage([incoming], commit: commit, in: targetPrefecture, firstSeq: 0)
            FaultInjection.reach("move.staged-destination")
            try stage([outgoing], commit: commit, in: found.prefectureCode, firstSeq: 0)
            FaultInjection.reach("commit.prepared")
            try markCommitted(commit, audit: (actor, "case.move", id, detail))
            FaultInjection.reach("commit.committed")
            _ = try applyCommitted(commit, partitions: [targetPrefecture, found.prefectureCode])
        }
        guard let moved = try locate(id) else { throw StoreError(.storage, "case \(id) vanished during its move") }
        return moved
    }

    /// Starts an all-or-nothing import of records (see `ImportSession`).
    package func beginImport(as actor: Actor) throws(StoreError) -> ImportSession {
        try ImportSession(store: self, actor: actor)
    }

    // MARK: Reading rows

    static let caseColumns = "id, holder, version, created_at, updated_at, body"

    static func storedCase(_ row: Statement, prefecture: String) throws(StoreError) -> StoredCase {
        let record: CaseRecord
        do {
            record = try JSONDecoder().decode(CaseRecord.self, from: Data(row.text(5).utf8))
        } catch {
            throw StoreError(.storage, "case \(row.text(0)) in pref-\(prefecture) has an unreadable body: \(error)")
        }
        return StoredCase(
            id: row.text(0), holder: row.text(1), version: row.int(2), createdAt: row.text(3), updatedAt: row.text(4),
            prefectureCode: prefecture, record: record)
    }

    static func encode(_ record: CaseRecord) throws(StoreError) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return String(decoding: try encoder.encode(record), as: UTF8.self)
        } catch {
            throw StoreError(.invalidInput, "cannot encode the record: \(error)")
        }
    }

    /// Finds a case by id in whichever partition holds it (unchecked: callers check access).
    private func locate(_ id: String) throws(StoreError) -> StoredCase? {
        guard !id.isEmpty, id.count <= 64 else { return nil }
        for code in existingPartitions() {
            let found = try partition(code).read { connection throws(StoreError) in
                try connection.first("SELECT \(Self.caseColumns) FROM cases WHERE id = ?", [id]) { row throws(StoreError) in
                    try Self.storedCase(row, prefecture: code)
                }
            }
            if let found { return found }
        }
        return nil
    }
}

/// One search, as the audit log keeps it.
package struct SearchAudit: Sendable {
    package let request: String
    package let caseIDs: [String]
    package var refused: String?

    package init(request: String, caseIDs: [String], refused: String? = nil) {
        self.request = request
        self.caseIDs = caseIDs
        self.refused = refused
    }
}

extension Store {
    /// Records searches in the audit log, one entry each, in one transaction: the search
    /// terms (personal data, in the entry's designated `detail` field) and the cases found,
    /// so a holder can see that its case was looked up.
    package func auditSearches(_ searches: [SearchAudit], actor: Actor) throws(StoreError) {
        guard !searches.isEmpty else { return }
        try catalogue.write { connection throws(StoreError) in
            for search in searches {
                let outcome = search.refused.map { "refused=\($0)" } ?? "hits=\(search.caseIDs.count)"
                try audit(
                    connection, actor: actor, action: "search", target: search.caseIDs.isEmpty ? nil : search.caseIDs.joined(separator: ","),
                    detail: "\(search.request) \(outcome)")
            }
        }
    }
}
