/// One look at a case by another authority, as its holder sees it.
package struct CaseView: Sendable, Hashable, Codable {
    package let at: String
    /// `case.read`, `attachment.read`, `search` (the case was among the hits) or `denied`.
    package let action: String
    /// The reader's login and authority.
    package let actor: String
    package let authority: String
}

extension Store {
    /// Who at which other authority looked at a case (read it, found it in a search, or was
    /// refused), newest first. For the holder's own users.
    package func views(ofCase id: String, as actor: Actor, limit: Int = 100, before: Int? = nil) throws(StoreError) -> [CaseView] {
        guard let found = try locate(id) else { throw StoreError(.notFound, "no case \(id.prefix(64))") }
        guard policy.relations(of: actor, to: try accessFacts(of: found)).contains(.holder) else {
            try authorize(.edit, "case.views", on: found, as: actor)  // audits the refusal, throws 403 or 404
            throw StoreError(.permissionDenied, "only the holder may list who read case \(id)")
        }
        return try catalogue.read { connection throws(StoreError) in
            try connection.query(
                """
                SELECT a.at, a.action, a.actor, a.authority FROM audit_cases c JOIN audit_log a ON a.id = c.audit_id
                WHERE c.case_id = ? AND a.authority IS NOT NULL AND a.authority != ?
                    AND a.action IN ('case.read', 'attachment.read', 'search', 'denied') AND a.id < ?
                ORDER BY a.id DESC LIMIT ?
                """, [id, found.holder, before ?? Int.max, max(1, min(limit, 1000))]
            ) { row in CaseView(at: row.text(0), action: row.text(1), actor: row.text(2), authority: row.optionalText(3) ?? "") }
        }
    }

    /// An authority's audit trail for its administrators: every operation of its own users
    /// (with details) and every operation of others on the cases it holds (without the
    /// other authority's details, e.g. its search terms). Newest first; page with `before`.
    package func auditTrail(of authority: String, as actor: Actor, limit: Int = 100, before: Int? = nil) throws(StoreError) -> [AuditEntry] {
        switch actor {
        case .localAdministrator: break
        case .user(_, let own, let role) where role == .administrator && own == authority: break
        default: try refuse(actor, "audit.read", target: authority, "only \(authority)'s administrators may read its audit trail")
        }
        let entries = try catalogue.read { connection throws(StoreError) in
            try connection.query(
                """
                SELECT id, at, actor, authority, action, target, detail FROM audit_log
                WHERE id < ?1 AND (authority = ?2 OR id IN (SELECT audit_id FROM audit_cases WHERE holder = ?2 AND audit_id < ?1))
                ORDER BY id DESC LIMIT ?3
                """, [before ?? Int.max, authority, max(1, min(limit, 1000))]
            ) { row in
                let own = row.optionalText(3) == authority
                return AuditEntry(
                    id: row.int(0), at: row.text(1), actor: row.text(2), authority: row.optionalText(3), action: row.text(4),
                    target: own ? row.optionalText(5) : nil, detail: own ? row.optionalText(6) : nil)
            }
        }
        try audit(actor: actor, action: "audit.read", target: authority, detail: "entries=\(entries.count)")
        return entries
    }
}
