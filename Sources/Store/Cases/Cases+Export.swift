import SQLiteDB

extension Cases {
    /// Every case an authority holds, for its own staff to export (a spreadsheet, JSON Lines):
    /// audited as one export naming every case it carries. Oldest first, so that an export
    /// reads like the authority's register.
    package func export(heldBy holder: String, as actor: Actor) throws(StoreError) -> [StoredCase] {
        try store.require(.listOwn(authority: holder, what: "cases", refusingOperators: true), as: actor, action: "case.export", target: holder)
        guard directory[holder]?.holdsCases == true else { return [] }
        let prefecture = try store.prefectureCode(ofHolder: holder)
        guard store.existingPartitions().contains(prefecture) else { return [] }
        let found = try partition(prefecture).read { connection throws(StoreError) in
            try connection.query("SELECT \(Self.columns) FROM cases WHERE holder = ? ORDER BY created_at, id", [holder]) { row throws(StoreError) in
                try Self.storedCase(row, prefecture: prefecture)
            }
        }
        try store.audit(
            actor: actor, action: "case.export", target: holder, detail: "cases=\(found.count)", cases: found.map { ($0.id, $0.holder) })
        return found
    }
}
