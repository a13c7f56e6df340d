import SQLiteDB

extension Store {
    /// Appends an audit entry in the catalogue, in the caller's write transaction. Only
    /// designated fields (`target`, `detail`) may hold personal data. `cases` (id, holder) are
    /// the cases the entry concerns, listed so their holders can see it; the row's hash covers
    /// them (chain version 2, `AuditChain`).
    /// - Returns: the entry's id.
    @discardableResult
    func audit(
        _ connection: Connection, actor: Actor, action: String, target: String?, detail: String?,
        cases: [(id: String, holder: String)] = []
    ) throws(StoreError) -> Int {
        let actorName = AuditChain.escapingControls(actor.description)
        let authority = actor.authority.map(AuditChain.escapingControls)
        let target = target.map(AuditChain.escapingControls)
        let detail = detail.map(AuditChain.escapingControls)
        // Inside the catalogue's write transaction, so the previous row cannot change meanwhile.
        let last = try connection.first("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1") { ($0.int(0), $0.optionalText(1)) }
        let id = (last?.0 ?? 0) + 1
        let links = AuditChain.distinctLinks(cases)
        let linksHash = AuditChain.linksHash(links)
        let at = Timestamp.now()
        let hash = AuditChain.hash(
            id: id, previous: last?.1 ?? "", at: at, actor: actorName, authority: authority, action: action, target: target,
            detail: detail, linksHash: linksHash)
        try connection.run(
            """
            INSERT INTO audit_log (id, at, actor, authority, action, target, detail, hash, chain_version, links_hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [id, at, actorName, authority, action, target, detail, hash, AuditChain.currentVersion, linksHash])
        for (caseID, holder) in links {
            try connection.run("INSERT INTO audit_cases (audit_id, case_id, holder) VALUES (?, ?, ?)", [id, caseID, holder])
        }
        return id
    }

    /// Appends audit entries with their notifications durably, in a group commit with those
    /// of concurrent requests. An entry carried from a partition's outbox is written once,
    /// however often a crash makes the carrying repeat.
    func audit(_ records: [AuditRecord]) throws(StoreError) {
        guard !records.isEmpty else { return }
        try auditQueue.submit(records) { batch throws(StoreError) in
            let last = try catalogue.write { connection throws(StoreError) in
                var last: Int?
                for record in batch {
                    if let outboxID = record.outboxID {
                        try connection.run("INSERT OR IGNORE INTO outbox_carried (id, at) VALUES (?, ?)", [outboxID, Timestamp.now()])
                        guard connection.changes == 1 else { continue }
                    }
                    last = try audit(
                        connection, actor: record.actor, action: record.action, target: record.target, detail: record.detail,
                        cases: record.cases)
                    try Notifications.deliver(record.notifications, connection)
                }
                return last
            }
            if let last { auditViews.committed(through: last) }
        }
    }

    func audit(
        actor: Actor, action: String, target: String?, detail: String?, cases: [(id: String, holder: String)] = []
    ) throws(StoreError) {
        try audit([AuditRecord(actor: actor, action: action, target: target, detail: detail, cases: cases)])
    }
}
