import Foundation
import SQLiteDB
import Synchronization

/// What the search index may know of a case: identity data only, never its content
/// (consultations, notes, family situation, address lines).
package struct CaseIdentity: Sendable, Hashable {
    package let caseID: String
    package let externalID: String
    package let holder: String
    package let prefectureCode: String
    package let status: CaseStatus
    /// The municipality of the child's address (it decides the partner authority).
    package let addressMunicipality: String?
    package let persons: [(role: PersonRole, relation: String?, identity: PersonIdentity)]

    package static func == (lhs: CaseIdentity, rhs: CaseIdentity) -> Bool {
        lhs.caseID == rhs.caseID && lhs.externalID == rhs.externalID && lhs.holder == rhs.holder
            && lhs.status == rhs.status && lhs.addressMunicipality == rhs.addressMunicipality
            && lhs.persons.map(\.identity) == rhs.persons.map(\.identity)
    }

    package func hash(into hasher: inout Hasher) { hasher.combine(caseID) }

    /// The identity fields of a stored body, decoded without the rest of the record.
    struct Body: Decodable, Sendable {
        let externalID: String
        let status: CaseStatus
        let child: PersonIdentity
        let guardians: [Guardian]
        let household: [HouseholdMember]
        let address: Address?

        enum CodingKeys: String, CodingKey {
            case externalID = "external_id", status, child, guardians, household, address
        }

        /// The fields as decoding the record's stored body gives them.
        init(_ record: CaseRecord) {
            externalID = record.externalID
            status = record.status
            child = record.child
            guardians = record.guardians
            household = record.household
            address = record.address
        }
    }

    init(caseID: String, holder: String, prefectureCode: String, body: Body) {
        self.caseID = caseID
        externalID = body.externalID
        self.holder = holder
        self.prefectureCode = prefectureCode
        status = body.status
        addressMunicipality = body.address?.municipalityCode
        persons =
            [(PersonRole.child, nil, body.child)]
            + body.guardians.map { (PersonRole.guardian, $0.relation.rawValue, $0.identity) }
            + body.household.map { (PersonRole.household, $0.relation.rawValue, $0.identity) }
    }
}

/// One entry of a partition's change log.
package struct CaseChange: Sendable, Hashable {
    package let seq: Int
    package let caseID: String
    /// The case's identity now, or nil if it left the partition (deleted or moved away).
    package let identity: CaseIdentity?
}

/// The index's view of the Store: case identities only (never content), through this one
/// path, for the service itself (the local administrator), never a signed-in user.
package struct ChangeFeed: StoreFeature {
    package let store: Store

    /// Records a change of a case in its partition's change log (in the write's transaction).
    static func recordChange(_ connection: Connection, caseID: String, kind: String, at: String) throws(StoreError) {
        try connection.run("INSERT INTO changes (case_id, kind, at) VALUES (?, ?, ?)", [caseID, kind, at])
    }

    /// The changes of a prefecture's partition after `seq`, oldest first, with each case's
    /// current identity. This is how the search index follows the Store: it sees identity
    /// data only, through this one path.
    package func changes(inPrefecture code: String, after seq: Int, limit: Int = 10_000, as actor: Actor) throws(StoreError) -> [CaseChange] {
        try store.require(.serviceData, as: actor, action: "feed.read")
        guard store.existingPartitions().contains(code) else { return [] }
        // One query for the page; the bodies are decoded afterwards, outside the read, on every core.
        let rows = try partition(code).read { connection throws(StoreError) in
            try connection.query(
                """
                SELECT ch.seq, ch.case_id, c.holder, c.body FROM changes ch LEFT JOIN cases c ON c.id = ch.case_id
                WHERE ch.seq > ? ORDER BY ch.seq LIMIT ?
                """, [seq, limit]
            ) { row in (seq: row.int(0), caseID: row.text(1), holder: row.optionalText(2), body: row.isNull(3) ? nil : row.blob(3)) }
        }
        let recent = store.recentIdentities
        return try Parallel.map(rows, context: JSONDecoder()) { (decoder, row) throws(StoreError) -> CaseChange in
            guard let holder = row.holder, let body = row.body else { return CaseChange(seq: row.seq, caseID: row.caseID, identity: nil) }
            // A body an import of this process has just stored: its identity is in hand.
            if let known = body.withUnsafeBytes({ recent.take(row.caseID, bodyBytes: $0) }) {
                let identity = CaseIdentity(caseID: row.caseID, holder: holder, prefectureCode: code, body: known)
                return CaseChange(seq: row.seq, caseID: row.caseID, identity: identity)
            }
            let identity = try Self.identity(
                caseID: row.caseID, holder: holder, body: Self.unpack(body, caseID: row.caseID, prefecture: code), prefecture: code,
                decoder: decoder)
            return CaseChange(seq: row.seq, caseID: row.caseID, identity: identity)
        }
    }

    /// The last change number of a prefecture's partition (0 if none).
    package func latestChange(inPrefecture code: String) throws(StoreError) -> Int {
        guard store.existingPartitions().contains(code) else { return 0 }
        return try partition(code).read { connection throws(StoreError) in
            try connection.first("SELECT coalesce(max(seq), 0) FROM changes") { $0.int(0) } ?? 0
        }
    }

    /// Every case identity of a partition, in id order, a page at a time (for rebuilding the index).
    package func identities(inPrefecture code: String, afterID: String, limit: Int, as actor: Actor) throws(StoreError) -> [CaseIdentity] {
        try store.require(.serviceData, as: actor, action: "feed.read")
        guard store.existingPartitions().contains(code) else { return [] }
        let rows = try partition(code).read { connection throws(StoreError) in
            try connection.query("SELECT id, holder, body FROM cases WHERE id > ? ORDER BY id LIMIT ?", [afterID, limit]) { row in
                (caseID: row.text(0), holder: row.text(1), body: row.blob(2))
            }
        }
        return try Parallel.map(rows, context: JSONDecoder()) { (decoder, row) throws(StoreError) -> CaseIdentity in
            try Self.identity(
                caseID: row.caseID, holder: row.holder, body: Self.unpack(row.body, caseID: row.caseID, prefecture: code), prefecture: code,
                decoder: decoder)
        }
    }

    /// The identity of one case (identity data only, unchecked and unaudited, like the
    /// index's feed: for the match alerts).
    package func identity(ofCase id: String, as actor: Actor) throws(StoreError) -> CaseIdentity? {
        try store.require(.serviceData, as: actor, action: "feed.read")
        guard let found = try locate(id) else { return nil }
        return try partition(found.prefectureCode).read { connection throws(StoreError) in
            try connection.first("SELECT id, holder, body FROM cases WHERE id = ?", [id]) { row throws(StoreError) in
                try Self.identity(row, prefecture: found.prefectureCode)
            }
        }
    }

    /// A case's identity from a `SELECT id, holder, body` row.
    private static func identity(_ row: Statement, prefecture: String) throws(StoreError) -> CaseIdentity {
        try identity(
            caseID: row.text(0), holder: row.text(1), body: unpack(row.blob(2), caseID: row.text(0), prefecture: prefecture),
            prefecture: prefecture, decoder: JSONDecoder())
    }

    /// The JSON of a stored body (`CaseBody`).
    private static func unpack(_ body: [UInt8], caseID: String, prefecture: String) throws(StoreError) -> String {
        guard let json = CaseBody.unpack(body) else {
            throw StoreError(.storage, "case \(caseID) in pref-\(prefecture) has an unreadable body: it is neither JSON nor a packed body")
        }
        return json
    }

    /// A case's identity from its stored body.
    private static func identity(
        caseID: String, holder: String, body: String, prefecture: String, decoder: JSONDecoder
    ) throws(StoreError) -> CaseIdentity {
        do {
            let decoded = try decoder.decode(CaseIdentity.Body.self, from: Data(body.utf8))
            return CaseIdentity(caseID: caseID, holder: holder, prefectureCode: prefecture, body: decoded)
        } catch {
            throw StoreError(.storage, "case \(caseID) in pref-\(prefecture) has an unreadable body: \(error)")
        }
    }
}
