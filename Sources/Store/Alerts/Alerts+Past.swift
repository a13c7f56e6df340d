package import Foundation
import SQLiteDB

/// A closed missing-child alert as another CGC finds it: who was sought, by whom, when, and how
/// it ended — never the circumstances or the photo, which ended with the alert.
package struct PastAlert: Sendable, Hashable, Codable {
    package let id: String
    package let origin: String
    package let profile: MissingChildAlert.Profile
    package let createdAt: String
    package let closedAt: String?
    /// The CGC that answered "located", and when (nil: closed without such an answer).
    package let locatedBy: String?
    package let locatedAt: String?

    enum CodingKeys: String, CodingKey {
        case id, origin, profile, createdAt = "created_at", closedAt = "closed_at", locatedBy = "located_by", locatedAt = "located_at"
    }
}

/// What a search of past alerts asks: parts of the name or reading, a birthdate (or its start),
/// and the period in which the alert was opened.
package struct PastAlertQuery: Sendable, Hashable {
    package var name: String?
    package var kana: String?
    package var birthdate: String?
    package var from: String?
    package var to: String?

    package init(name: String? = nil, kana: String? = nil, birthdate: String? = nil, from: String? = nil, to: String? = nil) {
        self.name = name
        self.kana = kana
        self.birthdate = birthdate
        self.from = from
        self.to = to
    }

    /// Whether anything is asked (a search of everything is refused: it is a search, not a list).
    var isEmpty: Bool { [name, kana, birthdate].allSatisfy { ($0 ?? "").isEmpty } }
}

extension Alerts {
    /// The most past alerts a search answers.
    package static let pastLimit = 100

    /// Closed alerts matching a name, reading or birthdate (and a period), for CGCs, under the
    /// same rule as open ones (the holder's rules must let the CGC see the profile); the search
    /// is audited with its terms and the alerts shown, like a search of the index.
    package func searchPast(_ query: PastAlertQuery, as actor: Actor) throws(StoreError) -> [PastAlert] {
        try store.require(.receiveAlerts, as: actor, action: "alert.search")
        guard !query.isEmpty else { throw StoreError(.invalidInput, "give a name, a reading or a birthdate") }
        func compact(_ text: String?) -> String? {
            guard let text else { return nil }
            let folded = text.precomposedStringWithCompatibilityMapping.filter { !$0.isWhitespace }
            return (folded.applyingTransform(.hiraganaToKatakana, reverse: false) ?? folded).nilIfEmpty.map { String($0.prefix(50)) }
        }
        let name = compact(query.name)
        let kana = compact(query.kana)
        let birthdate = query.birthdate.map { String($0.prefix(10)) }
        let rows = try catalogue.read { connection throws(StoreError) in
            try connection.query(
                """
                SELECT a.id, a.origin, a.profile, a.created_at, a.closed_at, a.case_id,
                    (SELECT authority FROM alert_responses r WHERE r.alert_id = a.id AND r.kind = 'located' ORDER BY r.id LIMIT 1),
                    (SELECT at FROM alert_responses r WHERE r.alert_id = a.id AND r.kind = 'located' ORDER BY r.id LIMIT 1)
                FROM alerts a
                WHERE a.state = 'closed'
                    AND (?1 IS NULL OR instr(replace(replace(json_extract(a.profile, '$.name'), ' ', ''), '　', ''), ?1) > 0)
                    AND (?2 IS NULL OR instr(replace(replace(coalesce(json_extract(a.profile, '$.kana'), ''), ' ', ''), '　', ''), ?2) > 0)
                    AND (?3 IS NULL OR json_extract(a.profile, '$.birthdate') LIKE ?3 || '%')
                    AND (?4 IS NULL OR a.created_at >= ?4) AND (?5 IS NULL OR a.created_at < ?5)
                ORDER BY a.created_at DESC LIMIT 500
                """, [name, kana, birthdate, query.from, query.to.map { $0 + "\u{FFFF}" }]
            ) { row in
                (
                    PastAlert(
                        id: row.text(0), origin: row.text(1), profile: Self.profile(row, column: 2), createdAt: row.text(3),
                        closedAt: row.optionalText(4), locatedBy: row.optionalText(6), locatedAt: row.optionalText(7)),
                    row.text(5)
                )
            }
        }
        var shown: [(PastAlert, String)] = []
        for (alert, caseID) in rows where shown.count < Self.pastLimit {
            // The rule of the alert while it was open: the holder's rules let CGCs see the profile.
            if alert.origin != actor.authority, actor.authority != nil {
                guard let found = try locate(caseID),
                    store.policy.capabilities(of: actor, on: CaseAccessFacts(holder: found.holder, alertOpen: true)).contains(.readAlertProfile)
                else { continue }
            }
            shown.append((alert, caseID))
        }
        let terms = [("name", query.name), ("kana", query.kana), ("birthdate", query.birthdate), ("from", query.from), ("to", query.to)]
            .compactMap { key, value in value.map { "\(key)=\(AuditChain.escapingControls(String($0.prefix(50))))" } }.joined(separator: " ")
        try store.audit(
            actor: actor, action: "alert.search", target: nil, detail: "\(terms) shown=\(shown.count)",
            cases: shown.map { (id: $0.1, holder: $0.0.origin) })
        return shown.map(\.0)
    }
}

extension Alerts {
    /// The profile stored in a row's column (the child's identity summary when the alert opened).
    static func profile(_ row: Statement, column: Int32) -> MissingChildAlert.Profile {
        (try? JSONDecoder().decode(MissingChildAlert.Profile.self, from: Data(row.text(column).utf8)))
            ?? MissingChildAlert.Profile(name: "", kana: nil, birthdate: nil, sex: nil)
    }
}
