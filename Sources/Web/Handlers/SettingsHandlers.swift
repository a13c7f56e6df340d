import HTTPServer
import Store

extension WebApplication {
    /// GET /api/v1/settings: the caller's authority's settings.
    func readSettings(_ request: HTTPRequest, _ caller: Caller) -> HTTPResponse {
        respond {
            guard let authority = caller.actor.authority else { throw Refusal(403, "Forbidden", "no authority") }
            let store = try requireStore()
            let (settings, rules) = try store.settings.read(of: authority, as: caller.actor)
            var document = SettingsDocument(settings, rules: rules, contacts: store.contacts(of: authority))
            document.hiddenFields = try store.settings.hiddenFields(of: authority, as: caller.actor).mapKeysAndValues()
            try document.addRouting(of: authority, store)
            return .encoded(200, document)
        }
    }

    /// PUT /api/v1/settings: administrators change their authority's settings.
    func updateSettings(_ request: HTTPRequest, _ caller: Caller) -> HTTPResponse {
        respond {
            let store = try requireStore()
            guard let authority = caller.actor.authority else { throw Refusal(403, "Forbidden", "no authority") }
            try store.settings.requireChange(of: authority, as: caller.actor)  // before the body is read
            let object = try request.jsonObject()
            var settings = try store.settings.read(of: authority, as: caller.actor).settings
            if let value = object["approval_required"] {
                guard case .bool(let flag) = value else { throw Refusal(400, "Invalid settings", "approval_required: true or false") }
                settings.approvalRequired = flag
            }
            if let value = object["second_factor_required"] {
                guard case .bool(let flag) = value else { throw Refusal(400, "Invalid settings", "second_factor_required: true or false") }
                settings.secondFactorRequired = flag
            }
            if let value = object["grant_days"] { settings.grantDays = try value.integer("grant_days", in: 1...3650) }
            switch object["retention_days"] {
            case nil: break
            case .null?: settings.retentionDays = nil
            case let value?: settings.retentionDays = try value.integer("retention_days (or null to keep closed cases)", in: 1...36500)
            }
            for (key, keyPath) in [("webhook_url", \AuthoritySettings.webhookURL), ("webhook_secret", \AuthoritySettings.webhookSecret)] {
                switch object[key] {
                case nil: break
                case .null?: settings[keyPath: keyPath] = nil
                case .string(let text)?: settings[keyPath: keyPath] = text
                default: throw Refusal(400, "Invalid settings", "\(key): a string, or null")
                }
            }
            // Access rules: {"partner": ["summary", "record"], "other": null}; checked whole before anything is written.
            var rules: [CaseRelation: AccessPolicy.Capabilities?] = [:]
            if let value = object["access_rules"] {
                guard case .object(let entries) = value else {
                    throw Refusal(400, "Invalid settings", "access_rules: an object of relation → capabilities")
                }
                for (name, entry) in entries.sorted(by: { $0.key < $1.key }) {
                    guard let relation = CaseRelation(rawValue: name), relation != .holder else {
                        throw Refusal(
                            400, "Invalid settings",
                            "access_rules: \(name.prefix(40)) is not a relation that can be tightened (partner, granted, alert, ministry, other, operator)"
                        )
                    }
                    rules[relation] = try Self.capabilities(entry, relation: relation)
                }
            }
            let contacts = try object["contacts"].map { value throws(Refusal) in try Self.contacts(value) }
            let hidden = try object["hidden_fields"].map { value throws(Refusal) in try Self.hiddenFields(value) }
            let approvers = try object["approvers"].map { value throws(Refusal) in try Self.approvers(value) }
            let targets = try object["notification_targets"].map { value throws(Refusal) in try Self.notificationTargets(value) }
            // Everything is checked before anything is written; settings, rules and contacts in one transaction.
            if let approvers { try store.settings.check(approvers, of: authority) }
            if let targets { try store.settings.check(targets, of: authority) }
            try store.settings.update(of: authority, settings, rules: rules, contacts: contacts, as: caller.actor)
            if let hidden { try store.settings.setHiddenFields(of: authority, hidden, as: caller.actor) }
            if let approvers { try store.settings.setApprovers(of: authority, approvers, as: caller.actor) }
            if let targets { try store.settings.setNotificationTargets(of: authority, targets, as: caller.actor) }
            var document = SettingsDocument(
                settings, rules: try store.settings.read(of: authority, as: caller.actor).rules, contacts: store.contacts(of: authority))
            document.hiddenFields = try store.settings.hiddenFields(of: authority, as: caller.actor).mapKeysAndValues()
            try document.addRouting(of: authority, store)
            return .encoded(200, document)
        }
    }
}

extension WebApplication {
    /// Contacts from `{"department": …, "daytime": …, "night_holiday": …}`: every member a
    /// string or null (null or absent: unknown), nothing else. The Store checks the values.
    static func contacts(_ value: JSONValue) throws(Refusal) -> AuthorityContacts {
        let names = AuthorityContacts.members.map(\.name)
        guard case .object(let entries) = value else {
            throw Refusal(400, "Invalid settings", "contacts: an object with \(names.joined(separator: ", "))")
        }
        if let unknown = entries.keys.sorted().first(where: { !names.contains($0) }) {
            throw Refusal(400, "Invalid settings", "contacts: \(unknown.prefix(40)) is not one of \(names.joined(separator: ", "))")
        }
        var contacts = AuthorityContacts()
        for (name, keyPath) in AuthorityContacts.members {
            switch entries[name] {
            case nil, .null?: break
            case .string(let text)?: contacts[keyPath: keyPath] = text
            default: throw Refusal(400, "Invalid settings", "contacts.\(name): a string, or null")
            }
        }
        return contacts
    }

    /// A relation's capabilities from `["summary", "record"]` (null: back to the default).
    static func capabilities(_ value: JSONValue, relation: CaseRelation) throws(Refusal) -> AccessPolicy.Capabilities? {
        if case .null = value { return nil }
        guard case .array(let items) = value else {
            throw Refusal(400, "Invalid settings", "access_rules.\(relation.rawValue): a list of capabilities, or null")
        }
        var capabilities = AccessPolicy.Capabilities()
        for item in items {
            guard let name = item.stringValue, let capability = AccessPolicy.Capabilities.names.first(where: { $0.0 == name })?.1 else {
                throw Refusal(
                    400, "Invalid settings",
                    "access_rules.\(relation.rawValue): capabilities are \(AccessPolicy.Capabilities.names.map(\.0).joined(separator: ", "))")
            }
            capabilities.insert(capability)
        }
        return capabilities
    }
}

/// An authority's settings as the API answers them.
struct SettingsDocument: Encodable {
    let approvalRequired: Bool
    let secondFactorRequired: Bool
    let grantDays: Int
    let retentionDays: Int?
    let webhookURL: String?
    /// The secret itself is never answered.
    let webhookSecretSet: Bool
    /// The relations this authority has tightened for its cases (the others follow the default table).
    let accessRules: [String: [String]]
    /// Whom other authorities call (shown on their search hits).
    let contacts: AuthorityContacts
    /// Relation → the fields hidden from it.
    var hiddenFields: [String: [String]] = [:]
    /// Workflow (transfer, provision, request) → who approves it.
    var approvers: [String: AudienceDocument] = [:]
    /// Notification kind → who sees it and whether the webhook gets it (kinds not named: everyone, webhook on).
    var notificationTargets: [String: AudienceDocument] = [:]

    init(_ settings: AuthoritySettings, rules: [CaseRelation: AccessPolicy.Capabilities], contacts: AuthorityContacts) {
        self.contacts = contacts
        accessRules = Dictionary(uniqueKeysWithValues: rules.map { ($0.key.rawValue, $0.value.names) })
        approvalRequired = settings.approvalRequired
        secondFactorRequired = settings.secondFactorRequired
        grantDays = settings.grantDays
        retentionDays = settings.retentionDays
        webhookURL = settings.webhookURL
        webhookSecretSet = settings.webhookSecretSet
    }

    enum CodingKeys: String, CodingKey {
        case approvalRequired = "approval_required", secondFactorRequired = "second_factor_required", grantDays = "grant_days"
        case retentionDays = "retention_days"
        case webhookURL = "webhook_url", webhookSecretSet = "webhook_secret_set", accessRules = "access_rules", contacts
        case hiddenFields = "hidden_fields", approvers, notificationTargets = "notification_targets"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(approvalRequired, forKey: .approvalRequired)
        try container.encode(secondFactorRequired, forKey: .secondFactorRequired)
        try container.encode(grantDays, forKey: .grantDays)
        try container.encode(retentionDays, forKey: .retentionDays)  // null when closed cases are kept
        try container.encode(webhookURL, forKey: .webhookURL)
        try container.encode(webhookSecretSet, forKey: .webhookSecretSet)
        try container.encode(accessRules, forKey: .accessRules)
        try container.encode(contacts, forKey: .contacts)
        try container.encode(hiddenFields, forKey: .hiddenFields)
        try container.encode(approvers, forKey: .approvers)
        try container.encode(notificationTargets, forKey: .notificationTargets)
    }
}

extension [CaseRelation: Set<HideableField>] {
    /// As the settings answer them: relation name → field names, sorted.
    func mapKeysAndValues() -> [String: [String]] {
        [String: [String]](uniqueKeysWithValues: map { ($0.key.rawValue, $0.value.map(\.rawValue).sorted()) })
    }
}

extension WebApplication {
    /// `{"partner": ["family_situation", "address_line"], "granted": []}`: per relation named, the
    /// fields hidden from it (an empty list shows them all again); each name checked.
    static func hiddenFields(_ value: JSONValue) throws(Refusal) -> [CaseRelation: Set<HideableField>] {
        let relations = AccessPolicy.hideableRelations.map(\.rawValue).joined(separator: ", ")
        let fields = HideableField.allCases.map(\.rawValue).joined(separator: ", ")
        guard case .object(let entries) = value else { throw Refusal(400, "Invalid settings", "hidden_fields: an object of relation → fields") }
        var hidden: [CaseRelation: Set<HideableField>] = [:]
        for (name, entry) in entries.sorted(by: { $0.key < $1.key }) {
            guard let relation = CaseRelation(rawValue: name), AccessPolicy.hideableRelations.contains(relation) else {
                throw Refusal(400, "Invalid settings", "hidden_fields: \(name.prefix(40)) is not one of \(relations)")
            }
            guard case .array(let items) = entry else { throw Refusal(400, "Invalid settings", "hidden_fields.\(name): a list of \(fields)") }
            var chosen: Set<HideableField> = []
            for item in items {
                guard let field = item.stringValue.flatMap(HideableField.init(rawValue:)) else {
                    throw Refusal(400, "Invalid settings", "hidden_fields.\(name): each one of \(fields)")
                }
                chosen.insert(field)
            }
            hidden[relation] = chosen
        }
        return hidden
    }
}
