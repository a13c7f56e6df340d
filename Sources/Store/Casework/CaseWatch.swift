import SQLiteDB

/// A holder's request to be told whenever another authority opens one of its cases (as
/// England's CP-IS tells the owning authority on every view of a flagged child).
package struct CaseWatch: Sendable, Hashable, Codable {
    /// Reads by the partner authority (the CGC and municipality working the case together) are routine: no notice.
    package var exemptPartners: Bool
    package var setBy: String
    package var setAt: String

    enum CodingKeys: String, CodingKey { case exemptPartners = "exempt_partners", setBy = "set_by", setAt = "set_at" }
}

extension Casework {
    /// Whether the holder is told of every read of a case by another authority; for whoever may read the record.
    package func watch(ofCase id: String, as actor: Actor) throws(StoreError) -> CaseWatch? {
        guard let found = try locate(id) else { throw StoreError(.notFound, "no case \(id.prefix(64))") }
        try store.authorize(.readRecord, "case.watch", on: found, as: actor)
        return try Self.watch(of: found.id, store.catalogue)
    }

    /// Refuses (audited) unless `actor` may change the case (its holder): before a request's body is read.
    package func requireHolder(ofCase id: String, as actor: Actor) throws(StoreError) {
        guard let found = try locate(id) else { throw StoreError(.notFound, "no case \(id.prefix(64))") }
        try store.authorize(.edit, "case.watch", on: found, as: actor)
    }

    /// Starts (`watching`) or stops telling the holder of every read by another authority; only
    /// the holder (who may change the case). Audited.
    @discardableResult
    package func setWatch(ofCase id: String, watching: Bool, exemptPartners: Bool, as actor: Actor) throws(StoreError) -> CaseWatch? {
        guard let found = try locate(id) else { throw StoreError(.notFound, "no case \(id.prefix(64))") }
        try store.authorize(.edit, "case.watch", on: found, as: actor)
        let watch = watching ? CaseWatch(exemptPartners: exemptPartners, setBy: actor.description, setAt: Timestamp.now()) : nil
        try catalogue.write { connection throws(StoreError) in
            if let watch {
                try connection.run(
                    """
                    INSERT INTO case_watches (case_id, exempt_partners, set_by, set_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT (case_id) DO UPDATE SET exempt_partners = excluded.exempt_partners, set_by = excluded.set_by, set_at = excluded.set_at
                    """, [found.id, watch.exemptPartners ? 1 : 0, watch.setBy, watch.setAt])
            } else {
                try connection.run("DELETE FROM case_watches WHERE case_id = ?", [found.id])
            }
            try store.audit(
                connection, actor: actor, action: "case.watch", target: found.id,
                detail: watch.map { "on exempt_partners=\($0.exemptPartners)" } ?? "off", cases: [(found.id, found.holder)])
        }
        return watch
    }

    static func watch(of caseID: String, _ catalogue: Database) throws(StoreError) -> CaseWatch? {
        try catalogue.read { connection throws(StoreError) in
            try connection.first("SELECT exempt_partners, set_by, set_at FROM case_watches WHERE case_id = ?", [caseID]) {
                CaseWatch(exemptPartners: $0.int(0) == 1, setBy: $0.text(1), setAt: $0.text(2))
            }
        }
    }
}

extension Store {
    /// The notice a read of a watched case sends its holder: who (`from`, and the reader's login
    /// in `ref`), when, and what (`kind`: `case.viewed`, `attachment.viewed`). None for the
    /// holder's own staff, or for a partner's routine read where the holder exempted those.
    func viewNotices(
        of caseID: String, holder: String, relations: Set<CaseRelation>, kind: String, by actor: Actor
    ) throws(StoreError) -> [NotificationDraft] {
        guard let reader = actor.authority, reader != holder, case .user(let login, _, _) = actor,
            let watch = try Casework.watch(of: caseID, catalogue), !(watch.exemptPartners && relations.contains(.partner))
        else { return [] }
        return [NotificationDraft(authority: holder, kind: kind, caseID: caseID, ref: login, from: reader)]
    }
}
