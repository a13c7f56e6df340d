import SQLiteDB

extension Store {
    /// Appends an audit entry in the catalogue, in the caller's write transaction. Only
    /// designated fields (`target`, `detail`) may hold personal data. `cases` (id, holder) are
    /// the cases the entry concerns, listed so their holders can see it.
    func audit(
        _ connection: Connection, actor: Actor, action: String, target: String?, detail: String?,
        cases: [(id: String, holder: String)] = []
    ) throws(StoreError) {
        let actorName = AuditChain.escapingControls(actor.description)
        let authority = actor.authority.map(AuditChain.escapingControls)
        let target = target.map(AuditChain.escapingControls)
        let detail = detail.map(AuditChain.escapingControls)
        // Inside the catalogue's write transaction, so the previous hash cannot change meanwhile.
        let previous = try connection.first("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1") { $0.optionalText(0) } ?? nil
        let at = Timestamp.now()
        let hash = AuditChain.hash(
            previous: previous ?? "", at: at, actor: actorName, authority: authority, action: action, target: target, detail: detail)
        try connection.run(
            "INSERT INTO audit_log (at, actor, authority, action, target, detail, hash) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [at, actorName, authority, action, target, detail, hash])
        guard !cases.isEmpty else { return }
        let id = try connection.first("SELECT last_insert_rowid()") { $0.int(0) } ?? 0
        for (caseID, holder) in cases {
            try connection.run("INSERT OR IGNORE INTO audit_cases (audit_id, case_id, holder) VALUES (?, ?, ?)", [id, caseID, holder])
        }
    }

    /// Appends audit entries with their notifications durably, in a group commit with those
    /// of concurrent requests. An entry carried from a partition's outbox is written once,
    /// however often a crash makes the carrying repeat.
    func audit(_ records: [AuditRecord]) throws(StoreError) {
        guard !records.isEmpty else { return }
        try auditQueue.submit(records) { batch throws(StoreError) in
            try catalogue.write { connection throws(StoreError) in
                for record in batch {
                    if let outboxID = record.outboxID {
                        try connection.run("INSERT OR IGNORE INTO outbox_carried (id, at) VALUES (?, ?)", [outboxID, Timestamp.now()])
                        guard connection.changes == 1 else { continue }
                    }
                    try audit(
                        connection, actor: record.actor, action: record.action, target: record.target, detail: record.detail,
                        cases: record.cases)
                    try Notifications.deliver(record.notifications, connection)
                }
            }
        }
    }

    func audit(
        actor: Actor, action: String, target: String?, detail: String?, cases: [(id: String, holder: String)] = []
    ) throws(StoreError) {
        try audit([AuditRecord(actor: actor, action: action, target: target, detail: detail, cases: cases)])
    }
}
