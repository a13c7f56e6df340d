import SQLiteDB

/// A voided case as its list shows it: which case, whose, when and by whom, never the reason
/// (free text) or anything of the record.
package struct VoidedCase: Sendable, Hashable, Encodable {
    package let id: String
    package let holder: String
    /// The holder's own case number.
    package let externalID: String
    package let voidedAt: String
    /// The login of who voided it (`local-administrator` for the server's command line).
    package let voidedBy: String

    enum CodingKeys: String, CodingKey {
        case id, holder, externalID = "external_id", voidedAt = "voided_at", voidedBy = "voided_by"
    }
}

extension Cases {
    /// The longest list of voided cases one call answers.
    package static let voidedListLimit = 1000

    /// The cases voided as entered by mistake (`void`), newest first: of `holder` for its
    /// administrators, of every holder (nil) for the local administrator. Kept for the audit;
    /// the list names each case by id, holder and case number only. Audited as a read of the
    /// cases listed.
    package func voided(holder: String?, as actor: Actor, limit: Int = voidedListLimit) throws(StoreError) -> [VoidedCase] {
        try store.require(.listVoidedCases(holder: holder), as: actor, action: "case.voided.list", target: holder)
        let codes: [String]
        if let holder {
            let code = try store.prefectureCode(ofHolder: holder)
            codes = store.existingPartitions().contains(code) ? [code] : []
        } else {
            codes = store.existingPartitions()
        }
        var listed: [VoidedCase] = []
        for code in codes {
            listed += try partition(code).read { connection throws(StoreError) in
                try connection.query(
                    """
                    SELECT id, holder, external_id, voided_at, voided_by FROM voided_cases
                    WHERE ?1 IS NULL OR holder = ?1 ORDER BY voided_at DESC, id LIMIT ?2
                    """, [holder, limit]
                ) { row in
                    VoidedCase(
                        id: row.text(0), holder: row.text(1), externalID: row.text(2), voidedAt: row.text(3),
                        voidedBy: Self.login(ofActor: row.text(4)))
                }
            }
        }
        listed.sort { ($0.voidedAt, $1.id) > ($1.voidedAt, $0.id) }
        listed = Array(listed.prefix(limit))
        try store.audit(
            actor: actor, action: "case.voided.list", target: holder, detail: "shown=\(listed.count)",
            cases: listed.map { (id: $0.id, holder: $0.holder) })
        return listed
    }

    /// The login of an actor as the Store names it (`login@authority`, or `local-administrator`).
    static func login(ofActor name: String) -> String {
        name.split(separator: "@", maxSplits: 1).first.map(String.init) ?? name
    }
}
