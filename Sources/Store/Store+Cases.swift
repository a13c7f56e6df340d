import Foundation

extension Store {
    /// Reads one case with its notes and the list of its attachments, if `actor` may read
    /// the full record. Every read is audited, and listed for the holder when another
    /// authority read it; a refusal is audited too.
    /// - Throws: `.notFound` if no partition holds `id` or the actor may not know it exists;
    ///   `.permissionDenied` if it may see the summary only.
    package func storedCase(id: String, as actor: Actor) throws(StoreError) -> StoredCase {
        guard let found = try locate(id) else { throw StoreError(.notFound, "no case \(id.prefix(64))") }
        let facts = try authorize(.readRecord, "case.read", on: found, as: actor)
        let relations = policy.relations(of: actor, to: facts)
        try audit(
            actor: actor, action: "case.read", target: found.id,
            detail: "holder=\(found.holder) as=\(relations.map(\.rawValue).sorted().joined(separator: ","))",
            cases: [(found.id, found.holder)])
        return try withAttachedRows(found)
    }

    /// The case with its notes and the list of its attachments.
    func withAttachedRows(_ found: StoredCase) throws(StoreError) -> StoredCase {
        var found = found
        try partition(found.prefectureCode).read { connection throws(StoreError) in
            found.notes = try Self.notes(of: found.id, connection)
            found.attachments = try Self.attachmentInfos(of: found.id, connection)
        }
        return found
    }

    /// What `actor` may do with a case (for the API's answer and the UI's buttons).
    package func capabilities(of actor: Actor, on found: StoredCase) throws(StoreError) -> AccessPolicy.Capabilities {
        policy.capabilities(of: actor, on: try accessFacts(of: found))
    }

    /// The cases an authority holds, newest change first: for the holder's own users.
    package func cases(heldBy holder: String, as actor: Actor, limit: Int = 50, offset: Int = 0) throws(StoreError)
        -> [StoredCase]
    {
        try cases(heldBy: holder, as: actor, matching: CaseListQuery(limit: limit, offset: offset)).cases
    }

    /// One page of an authority's own cases, filtered and sorted, with the number that match.
    package func cases(heldBy holder: String, as actor: Actor, matching query: CaseListQuery) throws(StoreError)
        -> (total: Int, cases: [StoredCase])
    {
        try requireOwn(holder, actor, "case.list", "cases", refusingOperators: true)
        guard directory[holder]?.holdsCases == true else { return (0, []) }
        let prefecture = try prefectureCode(ofHolder: holder)
        guard existingPartitions().contains(prefecture) else { return (0, []) }
        var conditions = ["holder = ?"]
        var values: [any SQLBindable] = [holder]
        if let status = query.status {
            conditions.append("status = ?")
            values.append(status.rawValue)
        }
        let needle = query.normalizedText
        if !needle.isEmpty {
            conditions.append(
                """
                instr(lower(external_id || '|' || coalesce(json_extract(body, '$.child.family_name'), '')
                    || coalesce(json_extract(body, '$.child.given_name'), '') || '|'
                    || coalesce(json_extract(body, '$.child.family_name_kana'), '') || coalesce(json_extract(body, '$.child.given_name_kana'), '')
                    || '|' || replace(coalesce(json_extract(body, '$.child.romaji'), ''), ' ', '')), ?) > 0
                """)
            values.append(needle)
        }
        let order = switch query.sort {
        case .updated: "updated_at DESC, id DESC"
        case .created: "created_at DESC, id DESC"
        case .name: "json_extract(body, '$.child.family_name_kana'), json_extract(body, '$.child.given_name_kana'), id"
        case .birthdate: "json_extract(body, '$.child.birthdate') IS NULL, json_extract(body, '$.child.birthdate'), id"
        }
        let filter = conditions.joined(separator: " AND ")
        return try partition(prefecture).read { connection throws(StoreError) in
            let total = try connection.first("SELECT count(*) FROM cases WHERE \(filter)", values) { $0.int(0) } ?? 0
            let page = try connection.query(
                "SELECT \(Self.caseColumns) FROM cases WHERE \(filter) ORDER BY \(order) LIMIT ? OFFSET ?",
                values + [max(0, min(query.limit, 1000)), max(0, query.offset)]
            ) { row throws(StoreError) in try Self.storedCase(row, prefecture: prefecture) }
            return (total, page)
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
        guard let found = try locate(id) else { throw StoreError(.notFound, "no case \(id.prefix(64))") }
        try authorize(.transfer, "case.move", on: found, as: actor)
        return try relocate(caseID: id, to: destination, as: actor)
    }

    /// Moves a case to another holder without asking the policy (callers have: a holder's
    /// move, a confirmed case transfer).
    func relocate(caseID id: String, to destination: String, as actor: Actor) throws(StoreError) -> StoredCase {
        guard let found = try locate(id) else { throw StoreError(.notFound, "no case \(id.prefix(64))") }
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
            try audit(actor: actor, action: "case.move", target: id, detail: detail, cases: [(id, destination)])
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
            try stageAttachedRows(of: id, from: found.prefectureCode, commit: commit, in: targetPrefecture)
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
    func locate(_ id: String) throws(StoreError) -> StoredCase? {
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
    /// The cases found (id and holder): each holder can see that its case was looked up.
    package let cases: [(id: String, holder: String)]
    package var refused: String?

    package init(request: String, cases: [(id: String, holder: String)], refused: String? = nil) {
        self.request = request
        self.cases = cases
        self.refused = refused
    }
}

extension Store {
    /// Records searches in the audit log, one entry each, in one transaction: the search
    /// terms (personal data, in the entry's designated `detail` field) and the cases found,
    /// so a holder can see that its case was looked up.
    package func auditSearches(_ searches: [SearchAudit], actor: Actor) throws(StoreError) {
        try audit(searches.map { search in
            let outcome = search.refused.map { "refused=\($0)" } ?? "hits=\(search.cases.count)"
            return AuditRecord(
                actor: actor, action: "search", target: search.cases.isEmpty ? nil : search.cases.map(\.id).joined(separator: ","),
                detail: "\(search.request) \(outcome)", cases: search.cases)
        })
    }
}

/// Which of its own cases an authority lists (the staff UI's case list).
package struct CaseListQuery: Sendable, Hashable {
    package enum Sort: String, Sendable, Hashable, CaseIterable { case updated, created, name, birthdate }

    /// Part of the child's name, reading, romaji or the authority's own case number.
    package var text: String
    package var status: CaseStatus?
    package var sort: Sort
    package var limit: Int
    package var offset: Int

    package init(text: String = "", status: CaseStatus? = nil, sort: Sort = .updated, limit: Int = 50, offset: Int = 0) {
        self.text = text
        self.status = status
        self.sort = sort
        self.limit = limit
        self.offset = offset
    }

    /// The text as it is compared: without spaces, lower case, hiragana as katakana (readings are stored in katakana).
    var normalizedText: String {
        let compact = text.filter { !$0.isWhitespace }.lowercased()
        return compact.applyingTransform(.hiraganaToKatakana, reverse: false) ?? compact
    }
}
