import SQLiteDB

/// A part of the record a holder may hide from a relation (設定: 項目の非表示): never shown to
/// that relation's readers, in the API, the pages or the print view.
package enum HideableField: String, Sendable, Hashable, CaseIterable, Codable {
    /// 家庭の状況.
    case familySituation = "family_situation"
    /// The street address (番地以下); the prefecture and municipality stay.
    case addressLine = "address_line"
    /// The record's free-text notes (備考).
    case notes
    /// The assessment and response texts of each consultation.
    case consultationText = "consultation_text"

    package static let labels: [HideableField: String] = [
        .familySituation: "家庭の状況", .addressLine: "住所（番地以下）", .notes: "備考", .consultationText: "相談経過のアセスメント・対応",
    ]
}

extension AccessPolicy {
    /// The relations a holder may hide fields from (those that may read the record).
    package static let hideableRelations: [CaseRelation] = [.partner, .granted, .destination, .ministry]
}

extension Store {
    /// The fields `holder` hides, per relation.
    func hiddenFields(of holder: String) throws(StoreError) -> [CaseRelation: Set<HideableField>] {
        let rows = try catalogue.read { connection throws(StoreError) in
            try connection.query("SELECT relation, field FROM hidden_fields WHERE authority = ?", [holder]) { ($0.text(0), $0.text(1)) }
        }
        var hidden: [CaseRelation: Set<HideableField>] = [:]
        for (relation, field) in rows {
            guard let relation = CaseRelation(rawValue: relation), let field = HideableField(rawValue: field) else { continue }
            hidden[relation, default: []].insert(field)
        }
        return hidden
    }

    /// The case as a reader with `relations` may see it: a field is left out when every relation
    /// through which the reader may read the record hides it (the holder's own staff see all).
    func redacted(_ found: StoredCase, for relations: Set<CaseRelation>) throws(StoreError) -> StoredCase {
        guard !relations.contains(.holder) else { return found }
        let reading = relations.filter { (AccessPolicy.defaults[$0] ?? []).contains(.readRecord) }
        guard !reading.isEmpty else { return found }
        let hiddenByRelation = try hiddenFields(of: found.holder)
        guard !hiddenByRelation.isEmpty else { return found }
        let hidden = reading.map { hiddenByRelation[$0] ?? [] }.reduce(Set(HideableField.allCases)) { $0.intersection($1) }
        guard !hidden.isEmpty else { return found }
        var record = found.record
        if hidden.contains(.familySituation) { record.familySituation = nil }
        if hidden.contains(.addressLine) { record.address?.line = nil }
        if hidden.contains(.notes) { record.notes = nil }
        if hidden.contains(.consultationText) {
            record.consultations = record.consultations.map { consultation in
                var consultation = consultation
                consultation.assessment = nil
                consultation.response = nil
                return consultation
            }
        }
        var shown = StoredCase(
            id: found.id, holder: found.holder, version: found.version, createdAt: found.createdAt, updatedAt: found.updatedAt,
            prefectureCode: found.prefectureCode, record: record)
        (shown.notes, shown.notesTotal, shown.attachments, shown.progress, shown.plans) =
            (found.notes, found.notesTotal, found.attachments, found.progress, found.plans)
        shown.hiddenFields = HideableField.allCases.filter { hidden.contains($0) }
        return shown
    }
}

extension Settings {
    /// The fields an authority hides per relation (its administrators read them with the settings).
    package func hiddenFields(of authority: String, as actor: Actor) throws(StoreError) -> [CaseRelation: Set<HideableField>] {
        try store.require(.readSettings(authority: authority), as: actor, action: "settings.read", target: authority)
        return try store.hiddenFields(of: authority)
    }

    /// Replaces the fields hidden from each relation named (an empty set shows them all again);
    /// only the authority's administrators, only relations that may read the record. Audited.
    package func setHiddenFields(of authority: String, _ hidden: [CaseRelation: Set<HideableField>], as actor: Actor) throws(StoreError) {
        try requireChange(of: authority, as: actor)
        for relation in hidden.keys where !AccessPolicy.hideableRelations.contains(relation) {
            throw StoreError(
                .invalidInput,
                "hidden_fields: \(relation.rawValue) cannot read the record; fields are hidden from \(AccessPolicy.hideableRelations.map(\.rawValue).joined(separator: ", "))"
            )
        }
        try catalogue.write { connection throws(StoreError) in
            for (relation, fields) in hidden.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                try connection.run("DELETE FROM hidden_fields WHERE authority = ? AND relation = ?", [authority, relation.rawValue])
                for field in fields.sorted(by: { $0.rawValue < $1.rawValue }) {
                    try connection.run(
                        "INSERT INTO hidden_fields (authority, relation, field) VALUES (?, ?, ?)", [authority, relation.rawValue, field.rawValue])
                }
                try store.audit(
                    connection, actor: actor, action: "settings.hidden-fields", target: authority,
                    detail: "\(relation.rawValue)=\(fields.map(\.rawValue).sorted().joined(separator: ","))")
            }
        }
    }
}
