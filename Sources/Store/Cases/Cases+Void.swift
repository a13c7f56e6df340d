import SQLiteDB

/// Why something entered by mistake is voided, as its void keeps it.
package enum VoidReason {
    /// The longest reason a void gives.
    package static let maxLength = 500

    /// `reason` trimmed, if it is 1–`maxLength` characters without control characters (line
    /// breaks allowed); `what` names the thing voided in the refusal.
    static func checked(_ reason: String, voiding what: String) throws(StoreError) -> String {
        let reason = reason.trimmingSpaces()
        guard !reason.isEmpty, reason.count <= maxLength,
            !reason.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\n" || $0.value == 0x7F })
        else {
            throw StoreError(.invalidInput, "reason: why the \(what) is voided, 1–\(maxLength) characters without control characters")
        }
        return reason
    }
}

extension Cases {
    /// Voids a case entered by mistake (registered twice, the wrong child): a supervisor or
    /// administrator of the holder gives a reason. The case leaves `cases` for `voided_cases`
    /// in the same partition, with who voided it, when and why: from then on no read, list,
    /// export or search shows it to anyone, and the audit log keeps the void. A case something
    /// still depends on (an open alert, a transfer or request under way, the serious-case list,
    /// a link to another holder's record) is refused until that is settled.
    package func void(_ id: String, reason: String, as actor: Actor) throws(StoreError) {
        let found = try voidable(id, as: actor)
        let reason = try VoidReason.checked(reason, voiding: "case")
        guard try store.retention.heldCases(among: [found.id]).isEmpty else {
            throw StoreError(
                .conflict,
                "case \(found.id) has an open alert, a transfer or request under way, or is on the serious-case list: settle that before voiding it")
        }
        guard try store.links.linkedCases(among: [found.id]).isEmpty else {
            throw StoreError(.conflict, "case \(found.id) is linked to another holder's record of the child: unlink it before voiding it")
        }
        let record = AuditRecord(
            actor: actor, action: "case.void", target: found.id, detail: "holder=\(found.holder) version=\(found.version)",
            cases: [(found.id, found.holder)])
        try store.commitCaseWrite(in: found.prefectureCode, record) { connection throws(StoreError) in
            let at = Timestamp.now()
            try connection.run(
                """
                INSERT INTO voided_cases (id, holder, external_id, status, version, body, created_at, updated_at, voided_at, voided_by, reason)
                SELECT id, holder, external_id, status, version, body, created_at, updated_at, ?, ?, ? FROM cases WHERE id = ? AND version = ?
                """, [at, actor.description, reason, found.id, found.version])
            guard connection.changes == 1 else {
                throw StoreError(.stale, "case \(found.id) changed or moved meanwhile: read it again before voiding it")
            }
            try connection.run("DELETE FROM cases WHERE id = ?", [found.id])
            try ChangeFeed.recordChange(connection, caseID: found.id, kind: "delete", at: at)
        }
        store.notifyChanged([found.prefectureCode])
    }

    /// Refuses (audited) unless `actor` may void the case: before a request's body is read.
    package func requireVoidable(_ id: String, as actor: Actor) throws(StoreError) {
        _ = try voidable(id, as: actor)
    }

    /// The case, if `actor` may change it and is a supervisor or administrator of its holder.
    private func voidable(_ id: String, as actor: Actor) throws(StoreError) -> StoredCase {
        guard let found = try locate(id) else { throw StoreError(.notFound, "no case \(id.prefix(64))") }
        try store.authorize(.edit, "case.void", on: found, as: actor)
        try store.require(.voidCase(holder: found.holder), as: actor, action: "case.void", target: found.id)
        return found
    }
}
