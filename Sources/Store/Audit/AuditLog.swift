import SQLiteDB

/// One look at a case by another authority, as its holder sees it.
package struct CaseView: Sendable, Hashable, Codable {
    package let at: String
    /// `case.read`, `attachment.read`, `search` (the case was among the hits), `denied`, or the
    /// serious-case flag that opens the case to the ministry: `case.flag.request` (ministry
    /// staff asked) and `case.flag.confirm` (the holder confirmed).
    package let action: String
    /// The reader's login and authority.
    package let actor: String
    package let authority: String
}

/// The audit log as its readers see it: the chain check, the trail of an authority, and who
/// at other authorities looked at a case. (It is written by the core only.)
package struct AuditLog: StoreFeature {
    package let store: Store

    /// Who at which other authority looked at a case (read it, found it in a search, or was
    /// refused), newest first. For the holder's own users.
    package func views(ofCase id: String, as actor: Actor, limit: Int = 100, before: Int? = nil) throws(StoreError) -> [CaseView] {
        guard let found = try locate(id) else { throw StoreError(.notFound, "no case \(id.prefix(64))") }
        if !store.allows(.readCaseViews(holder: found.holder), actor) {
            try store.authorize(.edit, "case.views", on: found, as: actor)  // audits the refusal as 404 when the case is unseen
            try store.require(.readCaseViews(holder: found.holder), as: actor, action: "case.views", target: id)
        }
        return try catalogue.read { connection throws(StoreError) in
            try connection.query(
                """
                SELECT a.at, a.action, a.actor, a.authority FROM audit_log a
                WHERE a.id IN (\(AuditViews.idsByCase)) AND a.authority IS NOT NULL AND a.id < ?3
                    AND ((a.authority != ?2 AND a.action IN ('case.read', 'attachment.read', 'search', 'denied', 'case.flag.request', 'caseload.read', 'caseload.meeting', 'case.flag.list'))
                        OR a.action = 'case.flag.confirm')
                ORDER BY a.id DESC LIMIT ?
                """, [id, found.holder, before ?? Int.max, max(1, min(limit, 1000))]
            ) { row in CaseView(at: row.text(0), action: row.text(1), actor: row.text(2), authority: row.optionalText(3) ?? "") }
        }
    }

    /// An authority's audit trail for its administrators: every operation of its own users
    /// (with details) and every operation of others on the cases it holds (without the
    /// other authority's details, e.g. its search terms). Newest first; page with `before`.
    package func auditTrail(of authority: String, as actor: Actor, limit: Int = 100, before: Int? = nil) throws(StoreError) -> [AuditEntry] {
        try store.require(.readAuditTrail(authority: authority), as: actor, action: "audit.read", target: authority)
        let entries = try catalogue.read { connection throws(StoreError) in
            try connection.query(
                """
                SELECT id, at, actor, authority, action, target, detail FROM audit_log
                WHERE id < ?1 AND (authority = ?2 OR id IN (\(AuditViews.idsByHolder)))
                ORDER BY id DESC LIMIT ?3
                """, [before ?? Int.max, authority, max(1, min(limit, 1000))]
            ) { row in
                let own = row.optionalText(3) == authority
                return AuditEntry(
                    id: row.int(0), at: row.text(1), actor: row.text(2), authority: row.optionalText(3), action: row.text(4),
                    target: own ? row.optionalText(5) : nil, detail: own ? row.optionalText(6) : nil)
            }
        }
        try store.audit(actor: actor, action: "audit.read", target: authority, detail: "entries=\(entries.count)")
        return entries
    }

    /// Indexes every case link committed so far by case and by holder (`AuditViews`), which a
    /// background catch-up otherwise does behind the log; the answers are the same either way.
    package func indexViews() throws(StoreError) {
        try store.auditViews.catchUp()
    }

    /// Checks the audit chain alone (each row's hash, and the case links of version-2 rows);
    /// returns the first problem, nil when intact. `verify(trusting:exported:)` also checks
    /// the log against the signed checkpoints, which this cannot: a chain recomputed after
    /// rows were removed passes here.
    package func verify() throws(StoreError) -> AuditProblem? {
        try catalogue.read { connection throws(StoreError) in try AuditChainWalk.run(connection, after: nil).problems.first }
    }

    /// The whole audit log, newest first, for the local administrator (`mimamori audit`).
    package func entries(as actor: Actor, limit: Int = 100) throws(StoreError) -> [AuditEntry] {
        try store.require(.serviceData, as: actor, action: "audit.read")
        return try catalogue.read { connection throws(StoreError) in
            try connection.query(
                "SELECT id, at, actor, authority, action, target, detail FROM audit_log ORDER BY id DESC LIMIT ?", [limit]
            ) { row in
                AuditEntry(
                    id: row.int(0), at: row.text(1), actor: row.text(2), authority: row.optionalText(3),
                    action: row.text(4), target: row.optionalText(5), detail: row.optionalText(6))
            }
        }
    }
}

/// One line of the audit log.
package struct AuditEntry: Sendable, Hashable, Encodable {
    package let id: Int
    package let at: String
    package let actor: String
    package let authority: String?
    package let action: String
    package let target: String?
    package let detail: String?
}
