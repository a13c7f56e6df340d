import Foundation
import Outbound
import SQLiteDB
import Synchronization

/// What an authority has chosen where the defaults would otherwise apply.
package struct AuthoritySettings: Sendable, Hashable {
    /// Whether transfers and provisions need a supervisor's approval before they are sent.
    package var approvalRequired: Bool
    /// How long an information provision's read grant lasts.
    package var grantDays: Int
    /// Closed cases untouched for this many days are purged (nil: kept).
    package var retentionDays: Int?
    /// Where the authority's notifications are also POSTed (http or https), signed with its secret.
    package var webhookURL: String?
    /// A new signing secret for the webhook; nil keeps the stored one (while there is a URL).
    /// Never filled by a read: the secret does not leave the Store but to the webhook worker.
    package var webhookSecret: String?
    /// Whether a signing secret is stored (filled by `Settings.read`).
    package internal(set) var webhookSecretSet = false
    /// Whether the authority's staff must sign in with a second factor (TOTP).
    package var secondFactorRequired = false

    package init(
        approvalRequired: Bool = false, grantDays: Int = 90, retentionDays: Int? = nil, webhookURL: String? = nil,
        webhookSecret: String? = nil
    ) {
        self.approvalRequired = approvalRequired
        self.grantDays = grantDays
        self.retentionDays = retentionDays
        self.webhookURL = webhookURL
        self.webhookSecret = webhookSecret
    }
}

/// An authority's settings and the access rules it has tightened for its own cases.
package struct Settings: StoreFeature {
    package let store: Store

    /// An authority's settings for its own users (the webhook secret is never answered by the
    /// API, only whether it is set), with the access rules it has tightened.
    package func read(of authority: String, as actor: Actor) throws(StoreError)
        -> (settings: AuthoritySettings, rules: [CaseRelation: AccessPolicy.Capabilities])
    {
        try store.require(.readSettings(authority: authority), as: actor, action: "settings.read", target: authority)
        var settings = try stored(of: authority)
        settings.webhookSecretSet = settings.webhookSecret != nil
        settings.webhookSecret = nil
        return (settings, store.policy.tightenedRules(of: authority))
    }

    /// Refuses (audited) unless `actor` may change the authority's settings: for a page that
    /// shows the settings form.
    package func requireChange(of authority: String, as actor: Actor) throws(StoreError) {
        try store.require(.changeSettings(authority: authority), as: actor, action: "settings.update", target: authority)
    }

    /// An authority's settings (defaults where it has chosen none, the secret included), for
    /// the Store's own workflows.
    func stored(of authority: String) throws(StoreError) -> AuthoritySettings {
        var settings = try catalogue.read { connection throws(StoreError) in
            try connection.first(
                """
                SELECT approval_required, grant_days, retention_days, webhook_url, webhook_secret, second_factor_required
                FROM settings WHERE authority = ?
                """, [authority]
            ) { row in
                var settings = AuthoritySettings(
                    approvalRequired: row.int(0) == 1, grantDays: row.int(1), retentionDays: row.optionalInt(2),
                    webhookURL: row.optionalText(3), webhookSecret: row.optionalText(4))
                settings.secondFactorRequired = row.int(5) == 1
                return settings
            } ?? AuthoritySettings()
        }
        if let sealed = settings.webhookSecret {
            settings.webhookSecret = try store.secretsKey.unsealText(sealed, column: SecretsAtRest.webhookColumn, row: authority)
        }
        return settings
    }

    /// Changes an authority's settings and (optionally) tightens or restores access rules for
    /// its cases, all checked before anything is written, all in one transaction: its
    /// administrators or the local administrator. A rule may never widen the default table.
    /// - Parameter settings: nil keeps them as they are.
    /// - Parameter rules: relation → capabilities (nil: back to the default); relations not
    ///   named keep their rule.
    /// - Parameter contacts: whom other authorities call (nil keeps them; unknown members are
    ///   stored as unknown).
    package func update(
        of authority: String, _ settings: AuthoritySettings?, rules: [CaseRelation: AccessPolicy.Capabilities?] = [:],
        contacts: AuthorityContacts? = nil, as actor: Actor
    ) throws(StoreError) {
        try requireChange(of: authority, as: actor)
        if let settings { try check(settings, storedSecret: try stored(of: authority).webhookSecret != nil) }
        let contacts = try contacts?.checked()
        // A new webhook secret is stored sealed under the secrets key (nil keeps the stored one).
        var sealedSecret: String?
        if let secret = settings?.webhookSecret {
            sealedSecret = try store.secretsKey.sealText(secret, column: SecretsAtRest.webhookColumn, row: authority)
        }
        guard rules.isEmpty || directory[authority]?.holdsCases == true else {
            throw StoreError(.invalidInput, "access_rules: \(authority) holds no cases")
        }
        for (relation, capabilities) in rules { try store.policy.checkRule(for: relation, capabilities) }
        try catalogue.write { connection throws(StoreError) in
            if let settings {
                try connection.run(
                    """
                    INSERT INTO settings (authority, approval_required, grant_days, retention_days, webhook_url, webhook_secret, second_factor_required)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (authority) DO UPDATE SET approval_required = excluded.approval_required, grant_days = excluded.grant_days,
                        second_factor_required = excluded.second_factor_required,
                        retention_days = excluded.retention_days, webhook_url = excluded.webhook_url,
                        webhook_secret = CASE WHEN excluded.webhook_url IS NULL THEN NULL
                            ELSE coalesce(excluded.webhook_secret, settings.webhook_secret) END
                    """,
                    [
                        authority, settings.approvalRequired, settings.grantDays, settings.retentionDays, settings.webhookURL,
                        settings.webhookURL == nil ? nil : sealedSecret, settings.secondFactorRequired,
                    ])
                try store.audit(
                    connection, actor: actor, action: "settings.update", target: authority,
                    detail:
                        "approval_required=\(settings.approvalRequired) grant_days=\(settings.grantDays) retention_days=\(settings.retentionDays.map(String.init) ?? "none") webhook=\(settings.webhookURL != nil) second_factor_required=\(settings.secondFactorRequired)"
                )
            }
            if let contacts {
                try connection.run(
                    """
                    INSERT INTO authority_contacts (authority, department, daytime, night_holiday, source, updated_at)
                    VALUES (?, ?, ?, ?, 'administrator', ?)
                    ON CONFLICT (authority) DO UPDATE SET department = excluded.department, daytime = excluded.daytime,
                        night_holiday = excluded.night_holiday, source = excluded.source, updated_at = excluded.updated_at
                    """, [authority, contacts.department, contacts.daytime, contacts.nightHoliday, Timestamp.now()])
                // Contacts are the authority's public telephone numbers, not personal data: the
                // audit says what was set.
                try store.audit(
                    connection, actor: actor, action: "settings.contacts", target: authority,
                    detail: AuthorityContacts.members.map { "\($0.name)=\(contacts[keyPath: $0.keyPath] ?? "none")" }.joined(separator: " "))
            }
            for (relation, capabilities) in rules.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                if let capabilities {
                    try connection.run(
                        """
                        INSERT INTO access_rules (authority, relation, capabilities) VALUES (?, ?, ?)
                        ON CONFLICT (authority, relation) DO UPDATE SET capabilities = excluded.capabilities
                        """, [authority, relation.rawValue, capabilities.rawValue])
                } else {
                    try connection.run("DELETE FROM access_rules WHERE authority = ? AND relation = ?", [authority, relation.rawValue])
                }
                try store.audit(
                    connection, actor: actor, action: "access.rule", target: authority,
                    detail: "\(relation.rawValue)=\(capabilities.map { $0.names.joined(separator: ",") } ?? "default")")
            }
        }
        // In memory only once the rules and contacts are on disk.
        for (relation, capabilities) in rules { try store.policy.setRule(of: authority, for: relation, to: capabilities) }
        if let contacts { store.contactBook.withLock { $0[authority] = contacts } }
    }

    /// Tightens (or, with nil, restores to the default) what a relation may do with the cases
    /// `holder` holds, keeping its other settings.
    package func setAccessRule(
        of holder: String, for relation: CaseRelation, to capabilities: AccessPolicy.Capabilities?, as actor: Actor
    ) throws(StoreError) {
        try update(of: holder, nil, rules: [relation: capabilities], as: actor)
    }

    private func check(_ settings: AuthoritySettings, storedSecret: Bool) throws(StoreError) {
        guard (1...3650).contains(settings.grantDays) else { throw StoreError(.invalidInput, "grant_days must be 1–3650") }
        if let days = settings.retentionDays, !(1...36500).contains(days) {
            throw StoreError(.invalidInput, "retention_days must be 1–36500, or null to keep closed cases")
        }
        if let url = settings.webhookURL {
            try Self.checkWebhookURL(url)
            if let secret = settings.webhookSecret {
                guard secret.utf8.count >= 16 else {
                    throw StoreError(.invalidInput, "webhook_secret: a signing secret needs at least 16 characters")
                }
            } else if !storedSecret {
                throw StoreError(.invalidInput, "webhook_secret: a webhook needs a signing secret of at least 16 characters")
            }
        }
    }

    /// Checks a webhook URL as the sender's libcurl reads it, with a precise message in Japanese
    /// (API and page alike). Where a name leads is judged again at every connect, by the sender.
    static func checkWebhookURL(_ url: String) throws(StoreError) {
        do { try DestinationURL.check(url) } catch {
            let message =
                switch error {
                case .tooLong: "URLは\(DestinationURL.maximumLength)バイト以内で入力してください。"
                case .notHTTP: "http:// または https:// で始まるURLを入力してください。"
                case .userInfo: "URLに利用者名・パスワード（「@」より前の部分）を含めることはできません。"
                case .noHost: "URLから送信先のホスト名を読み取れません。"
                case .forbidden(let host, let reason): "\(host) は\(reason.japanese)のため、送信先にできません。"
                }
            throw StoreError(.invalidInput, "webhook_url: " + message)
        }
    }

    /// Every authority's contacts as the catalogue holds them.
    static func contacts(in catalogue: Database) throws(StoreError) -> [String: AuthorityContacts] {
        let rows = try catalogue.read { connection throws(StoreError) in
            try connection.query("SELECT authority, department, daytime, night_holiday FROM authority_contacts") {
                ($0.text(0), AuthorityContacts(department: $0.optionalText(1), daytime: $0.optionalText(2), nightHoliday: $0.optionalText(3)))
            }
        }
        return Dictionary(rows, uniquingKeysWith: { _, last in last })
    }

    static func accessRules(in catalogue: Database) throws(StoreError) -> [String: [CaseRelation: AccessPolicy.Capabilities]] {
        let rows = try catalogue.read { connection throws(StoreError) in
            try connection.query("SELECT authority, relation, capabilities FROM access_rules") { ($0.text(0), $0.text(1), $0.int(2)) }
        }
        var rules: [String: [CaseRelation: AccessPolicy.Capabilities]] = [:]
        for (authority, relation, capabilities) in rows {
            guard let relation = CaseRelation(rawValue: relation) else { continue }
            // Stored rules were checked on the way in; masking again keeps a hand-edited row from widening.
            rules[authority, default: [:]][relation] =
                AccessPolicy.Capabilities(rawValue: capabilities).intersection(AccessPolicy.defaults[relation] ?? [])
        }
        return rules
    }
}
