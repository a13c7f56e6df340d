import SQLiteDB

extension Attachments {
    /// Voids an attachment entered by mistake (a photo attached to the wrong case): the holder
    /// (who may change the case) gives a reason; the file is kept for the audit and hidden from
    /// every reader from then on (the case page, the API, an alert's photo). Audited.
    /// - Returns: the id of the case the file was attached to.
    @discardableResult
    package func void(_ id: String, reason: String, as actor: Actor) throws(StoreError) -> String {
        let found = try voidable(id, as: actor)
        let reason = try VoidReason.checked(reason, voiding: "file")
        try catalogue.write { connection throws(StoreError) in
            try connection.run(
                "INSERT INTO voided_attachments (attachment_id, case_id, authority, actor, reason, at) VALUES (?, ?, ?, ?, ?, ?)",
                [id, found.id, actor.authority ?? found.holder, actor.description, reason, Timestamp.now()])
            // An alert that showed it as the missing child's photo shows none from now on.
            try connection.run("UPDATE alerts SET photo_attachment_id = NULL WHERE photo_attachment_id = ?", [id])
            try store.audit(
                connection, actor: actor, action: "attachment.void", target: found.id, detail: "attachment=\(id)",
                cases: [(found.id, found.holder)])
        }
        return found.id
    }

    /// Refuses (audited) unless `actor` may void the attachment: before a request's body is read.
    package func requireVoidable(_ id: String, as actor: Actor) throws(StoreError) {
        _ = try voidable(id, as: actor)
    }

    /// The case of a live (not voided) attachment, if `actor` may change it.
    private func voidable(_ id: String, as actor: Actor) throws(StoreError) -> StoredCase {
        guard !id.isEmpty, id.count <= 64 else { throw StoreError(.notFound, "no attachment \(id.prefix(64))") }
        for code in store.existingPartitions() {
            let row = try partition(code).read { connection throws(StoreError) in try Self.attachment(id, connection) }
            guard let row else { continue }
            guard let found = try locate(row.caseID), try voided([id]).isEmpty else { break }
            try store.authorize(.edit, "attachment.void", on: found, as: actor)
            return found
        }
        throw StoreError(.notFound, "no attachment \(id.prefix(64))")
    }

    /// The voided attachments among `ids`.
    func voided(_ ids: [String]) throws(StoreError) -> Set<String> {
        guard !ids.isEmpty else { return [] }
        let placeholders = Array(repeating: "?", count: ids.count).joined(separator: ",")
        return try catalogue.read { connection throws(StoreError) in
            Set(try connection.query("SELECT attachment_id FROM voided_attachments WHERE attachment_id IN (\(placeholders))", ids) { $0.text(0) })
        }
    }
}
