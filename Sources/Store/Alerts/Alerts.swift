import Foundation
import SQLiteDB

/// A missing-child alert (CA情報): the child's identity summary, the circumstances and a
/// photo, broadcast to every CGC while it is open.
package struct MissingChildAlert: Sendable, Hashable, Codable {
    package enum State: String, Sendable, Hashable, Codable { case open, closed }

    package struct Profile: Sendable, Hashable, Codable {
        package let name: String
        package let kana: String?
        package let birthdate: String?
        package let sex: String?
    }

    package struct Response: Sendable, Hashable, Codable {
        package enum Kind: String, Sendable, Hashable, Codable { case located, information }
        package let at: String
        package let actor: String
        package let authority: String
        package let kind: Kind
        package let text: String
    }

    package struct View: Sendable, Hashable, Codable {
        package let authority: String
        package let firstSeenAt: String
        enum CodingKeys: String, CodingKey { case authority, firstSeenAt = "first_seen_at" }
    }

    package let id: String
    package let caseID: String
    package let origin: String
    package let state: State
    package let profile: Profile
    package let circumstances: String
    package let hasPhoto: Bool
    package let createdAt: String
    package let closedAt: String?
    /// The answers; recipients see their own, the originating CGC sees all.
    package var responses: [Response] = []
    /// Which CGCs have opened the alert (the originating CGC only).
    package var views: [View]?

    enum CodingKeys: String, CodingKey {
        case id, caseID = "case_id", origin, state, profile, circumstances, hasPhoto = "has_photo", createdAt = "created_at"
        case closedAt = "closed_at", responses, views
    }
}

/// Missing-child alerts (CA情報): broadcast to every CGC while open, answered through the
/// system, with a record of who has seen each.
package struct Alerts: StoreFeature {
    package let store: Store

    /// A CGC opens an alert for a child in a case it holds, every CGC in Japan is notified.
    /// `photoAttachmentID` names an image already attached to the case.
    package func open(
        forCase caseID: String, circumstances: String, photoAttachmentID: String?, as actor: Actor
    ) throws(StoreError) -> MissingChildAlert {
        guard let found = try locate(caseID) else { throw StoreError(.notFound, "no case \(caseID.prefix(64))") }
        try store.authorize(.edit, "alert.open", on: found, as: actor)
        guard directory[found.holder]?.kind == .childGuidanceCentre else {
            throw StoreError(.invalidInput, "missing-child alerts are opened by child guidance centres; ask the CGC of \(found.holder) to open one")
        }
        let circumstances = circumstances.trimmingSpaces()
        guard !circumstances.isEmpty, circumstances.count <= RecordValidator.maxTextLength else {
            throw StoreError(
                .invalidInput, "circumstances: describe when and where the child was last seen (1–\(RecordValidator.maxTextLength) characters)")
        }
        if let photoAttachmentID {
            guard
                try store.cases.withAttachedRows(found).attachments.contains(where: {
                    $0.id == photoAttachmentID && $0.mediaType.hasPrefix("image/")
                })
            else {
                throw StoreError(.invalidInput, "photo_attachment_id: not an image attached to case \(caseID)")
            }
        }
        let child = found.record.child
        let profile = MissingChildAlert.Profile(
            name: [child.familyName, child.givenName].compactMap { $0 }.joined(separator: " "),
            kana: [child.familyNameKana, child.givenNameKana].compactMap { $0 }.joined(separator: " ").nilIfEmpty,
            birthdate: child.birthdate?.iso, sex: child.sex?.rawValue)
        let profileJSON: String
        do { profileJSON = String(decoding: try JSONEncoder().encode(profile), as: UTF8.self) } catch {
            throw StoreError(.invalidInput, "cannot encode the profile: \(error)")
        }
        let id = UUID().uuidString.lowercased()
        // Every CGC the holder's rules let see an alert's profile (all of them by default).
        var facts = try store.accessFacts(of: found)
        facts.alertOpen = true
        let centres = directory.authorities.values.filter { centre in
            centre.kind == .childGuidanceCentre && centre.code != found.holder
                && store.capabilities(ofAuthority: centre.code, on: facts).contains(.readAlertProfile)
        }.map(\.code).sorted()
        try catalogue.write { connection throws(StoreError) in
            if let open = try connection.first("SELECT id FROM alerts WHERE case_id = ? AND state = 'open'", [caseID], { $0.text(0) }) {
                throw StoreError(.conflict, "alert \(open) for case \(caseID) is already open")
            }
            try connection.run(
                """
                INSERT INTO alerts (id, case_id, origin, state, profile, circumstances, photo_attachment_id, created_by, created_at)
                VALUES (?, ?, ?, 'open', ?, ?, ?, ?, ?)
                """, [id, caseID, found.holder, profileJSON, circumstances, photoAttachmentID, actor.description, Timestamp.now()])
            try Notifications.deliver(
                centres.map { NotificationDraft(authority: $0, kind: "alert.opened", caseID: nil, ref: id, from: found.holder) }, connection)
            try store.audit(
                connection, actor: actor, action: "alert.open", target: id, detail: "case=\(caseID) recipients=\(centres.count)",
                cases: [(caseID, found.holder)])
        }
        return try read(id, as: actor)
    }

    /// An alert, for a CGC while it is open, and for its originating CGC always. The first
    /// look of each CGC is recorded; the originator sees who looked and every answer.
    package func read(_ id: String, as actor: Actor) throws(StoreError) -> MissingChildAlert {
        var (alert, _) = try loadAlert(id, as: actor)
        let isOrigin = actor.authority == nil || actor.authority == alert.origin
        try catalogue.write { connection throws(StoreError) in
            if let authority = actor.authority, !isOrigin {
                try connection.run(
                    "INSERT OR IGNORE INTO alert_views (alert_id, authority, first_seen_at) VALUES (?, ?, ?)", [id, authority, Timestamp.now()])
            }
            alert.responses = try connection.query(
                "SELECT at, actor, authority, kind, text FROM alert_responses WHERE alert_id = ? AND (?2 OR authority = ?3) ORDER BY id",
                [id, isOrigin, actor.authority ?? ""]
            ) { row in
                MissingChildAlert.Response(
                    at: row.text(0), actor: row.text(1), authority: row.text(2),
                    kind: MissingChildAlert.Response.Kind(rawValue: row.text(3)) ?? .information, text: row.text(4))
            }
            if isOrigin {
                alert.views = try connection.query("SELECT authority, first_seen_at FROM alert_views WHERE alert_id = ? ORDER BY first_seen_at", [id])
                {
                    MissingChildAlert.View(authority: $0.text(0), firstSeenAt: $0.text(1))
                }
            }
            try store.audit(connection, actor: actor, action: "alert.read", target: id, detail: nil, cases: [(alert.caseID, alert.origin)])
        }
        return alert
    }

    /// The alerts a CGC may see: every open one, and those it opened.
    package func list(as actor: Actor, includeClosed: Bool = false) throws(StoreError) -> [MissingChildAlert] {
        try store.require(.receiveAlerts, as: actor, action: "alert.list")
        let authority = actor.authority ?? "local"
        let alerts = try catalogue.read { connection throws(StoreError) in
            try connection.query(
                """
                SELECT \(Self.alertColumns) FROM alerts WHERE state = 'open' OR (?1 AND origin = ?2)
                ORDER BY state = 'closed', created_at DESC LIMIT 500
                """, [includeClosed, authority], Self.alert(row:))
        }
        // Another CGC lists only the alerts whose holder's rules let it see the profile.
        var visible: [MissingChildAlert] = []
        for alert in alerts {
            if alert.origin != authority, authority != "local" {
                guard let found = try locate(alert.caseID), try store.capabilities(of: actor, on: found).contains(.readAlertProfile) else {
                    continue
                }
            }
            visible.append(alert)
        }
        return visible
    }

    /// A CGC answers an open alert: the child was located, or more information. The
    /// originating CGC is notified.
    package func respond(
        _ id: String, kind: MissingChildAlert.Response.Kind, text: String, as actor: Actor
    ) throws(StoreError) -> MissingChildAlert {
        let text = text.trimmingSpaces()
        guard !text.isEmpty, text.count <= RecordValidator.maxTextLength else {
            throw StoreError(.invalidInput, "text: say where and when (1–\(RecordValidator.maxTextLength) characters)")
        }
        let (alert, authority) = try loadAlert(id, as: actor, needs: .respondToAlert)
        try catalogue.write { connection throws(StoreError) in
            let state = try connection.first("SELECT state FROM alerts WHERE id = ?", [id]) { $0.text(0) }
            guard state == "open" else { throw StoreError(.conflict, "alert \(id) is closed; contact \(alert.origin) directly") }
            try connection.run(
                "INSERT INTO alert_responses (alert_id, at, actor, authority, kind, text) VALUES (?, ?, ?, ?, ?, ?)",
                [id, Timestamp.now(), actor.description, authority, kind.rawValue, text])
            try Notifications.deliver(
                [NotificationDraft(authority: alert.origin, kind: "alert.\(kind.rawValue)", caseID: alert.caseID, ref: id, from: authority)],
                connection)
            try store.audit(
                connection, actor: actor, action: "alert.respond", target: id, detail: "kind=\(kind.rawValue)", cases: [(alert.caseID, alert.origin)])
        }
        return try read(id, as: actor)
    }

    /// The originating CGC closes its alert; recipients lose access to the profile and photo.
    package func close(_ id: String, as actor: Actor) throws(StoreError) -> MissingChildAlert {
        let (alert, _) = try loadAlert(id, as: actor)
        try store.require(.closeAlert(origin: alert.origin), as: actor, action: "alert.close", target: id)
        try catalogue.write { connection throws(StoreError) in
            try connection.run(
                "UPDATE alerts SET state = 'closed', closed_by = ?, closed_at = ? WHERE id = ? AND state = 'open'",
                [actor.description, Timestamp.now(), id])
            guard connection.changes == 1 else { throw StoreError(.conflict, "alert \(id) is already closed") }
            try store.audit(connection, actor: actor, action: "alert.close", target: id, detail: nil, cases: [(alert.caseID, alert.origin)])
        }
        return try read(id, as: actor)
    }

    /// The alert's photo, under the same rule as the alert.
    package func photo(_ id: String, as actor: Actor) throws(StoreError) -> Attachment {
        let photoID = try catalogue.read { connection throws(StoreError) in
            try connection.first("SELECT photo_attachment_id FROM alerts WHERE id = ?", [id]) { $0.optionalText(0) } ?? nil
        }
        let (alert, _) = try loadAlert(id, as: actor)
        guard let photoID, let found = try locate(alert.caseID) else { throw StoreError(.notFound, "alert \(id) has no photo") }
        let photo = try partition(found.prefectureCode).read { connection throws(StoreError) in try Attachments.attachment(photoID, connection) }
        guard let photo, photo.caseID == alert.caseID, try store.attachments.voided([photoID]).isEmpty else {
            throw StoreError(.notFound, "alert \(id) has no photo")
        }
        try store.audit(actor: actor, action: "alert.photo", target: id, detail: nil, cases: [(alert.caseID, alert.origin)])
        return photo
    }

    // MARK: Reading

    /// Loads an alert the actor may see: a CGC while it is open (if the holder's rules give it
    /// `needs` on the case), its originator always.
    private func loadAlert(
        _ id: String, as actor: Actor, needs: AccessPolicy.Capabilities = .readAlertProfile
    ) throws(StoreError) -> (MissingChildAlert, String) {
        let found = try catalogue.read { connection throws(StoreError) in
            try connection.first("SELECT \(Self.alertColumns) FROM alerts WHERE id = ?", [id], Self.alert(row:))
        }
        // Only CGCs receive alerts; a closed one stays visible to its originator only.
        let reader = actor.authority ?? "local"
        guard let found, store.allows(.receiveAlerts, actor), found.state == .open || reader == found.origin || reader == "local" else {
            try store.hide(actor, "alert.read", target: id, "open alert")
        }
        if reader != found.origin, reader != "local" {
            guard let held = try locate(found.caseID) else { try store.hide(actor, "alert.read", target: id, "open alert") }
            try store.authorize(needs, "alert.read", on: held, as: actor)
        }
        return (found, reader)
    }

    static let alertColumns = "id, case_id, origin, state, profile, circumstances, photo_attachment_id, created_at, closed_at"

    static func alert(row: Statement) -> MissingChildAlert {
        let profile = Self.profile(row, column: 4)
        return MissingChildAlert(
            id: row.text(0), caseID: row.text(1), origin: row.text(2), state: MissingChildAlert.State(rawValue: row.text(3)) ?? .closed,
            profile: profile, circumstances: row.text(5), hasPhoto: row.optionalText(6) != nil, createdAt: row.text(7),
            closedAt: row.optionalText(8))
    }
}

extension String {
    /// nil for the empty string (optional JSON fields).
    package var nilIfEmpty: String? { isEmpty ? nil : self }
}
