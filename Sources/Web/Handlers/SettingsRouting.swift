import Store

/// An audience as the settings document answers it: `{"roles": [...], "users": [...]}`.
struct AudienceDocument: Encodable {
    let roles: [String]
    let users: [String]
    /// Notification targets only: whether the webhook gets the kind.
    var webhook: Bool?

    init(_ audience: Audience, webhook: Bool? = nil) {
        roles = Audience.namableRoles.filter(audience.roles.contains).map(\.rawValue)
        users = audience.users.sorted()
        self.webhook = webhook
    }
}

extension SettingsDocument {
    /// The approvers of every workflow and the routed notification kinds of `authority`.
    mutating func addRouting(of authority: String, _ store: Store) throws {
        approvers = Dictionary(
            uniqueKeysWithValues: try store.settings.approvers(of: authority).map { ($0.key.rawValue, AudienceDocument($0.value)) })
        notificationTargets = Dictionary(
            uniqueKeysWithValues: try store.settings.notificationTargets(of: authority).map {
                ($0.key, AudienceDocument($0.value.audience, webhook: $0.value.webhook))
            })
    }
}

extension WebApplication {
    /// `{"transfer": {"roles": ["supervisor"], "users": ["tanaka"]}, "request": null}`: per
    /// workflow named, its approvers (null: back to the default).
    static func approvers(_ value: JSONValue) throws(Refusal) -> [ApprovalWorkflow: Audience?] {
        let workflows = ApprovalWorkflow.allCases.map(\.rawValue).joined(separator: ", ")
        guard case .object(let entries) = value else { throw Refusal(400, "Invalid settings", "approvers: an object of workflow → {roles, users}") }
        var approvers: [ApprovalWorkflow: Audience?] = [:]
        for (name, entry) in entries.sorted(by: { $0.key < $1.key }) {
            guard let workflow = ApprovalWorkflow(rawValue: name) else {
                throw Refusal(400, "Invalid settings", "approvers: \(name.prefix(40)) is not one of \(workflows)")
            }
            // updateValue keeps a null (back to the default) as a member: a subscript assignment of nil would drop it.
            approvers.updateValue(try audience(entry, "approvers.\(name)", webhook: false)?.audience, forKey: workflow)
        }
        return approvers
    }

    /// `{"case.updated": {"roles": ["supervisor"], "users": [], "webhook": false}, "transfer.sent": null}`:
    /// per kind named, who sees it and whether the webhook gets it (null: everyone and the webhook).
    static func notificationTargets(_ value: JSONValue) throws(Refusal) -> [String: NotificationTarget?] {
        guard case .object(let entries) = value else {
            throw Refusal(400, "Invalid settings", "notification_targets: an object of kind → {roles, users, webhook}")
        }
        var targets: [String: NotificationTarget?] = [:]
        for (kind, entry) in entries.sorted(by: { $0.key < $1.key }) {
            guard Notifications.kinds.contains(kind) else {
                throw Refusal(
                    400, "Invalid settings", "notification_targets: \(kind.prefix(40)) is not one of \(Notifications.kinds.joined(separator: ", "))")
            }
            let target = try audience(entry, "notification_targets.\(kind)", webhook: true).map {
                NotificationTarget(audience: $0.audience, webhook: $0.webhook)
            }
            targets.updateValue(target, forKey: kind)
        }
        return targets
    }

    /// One audience: null, or an object of `roles` and `users` (lists of strings, either may be
    /// absent) and, where `webhook` is allowed, a boolean `webhook` (default true).
    private static func audience(_ value: JSONValue, _ field: String, webhook allowed: Bool) throws(Refusal) -> (audience: Audience, webhook: Bool)? {
        if case .null = value { return nil }
        let members = allowed ? "roles, users, webhook" : "roles, users"
        guard case .object(let object) = value else { throw Refusal(400, "Invalid settings", "\(field): an object of \(members), or null") }
        if let unknown = object.keys.sorted().first(where: { !members.contains($0) }) {
            throw Refusal(400, "Invalid settings", "\(field): unknown member \(unknown.prefix(40)); the members are \(members)")
        }
        func strings(_ name: String) throws(Refusal) -> [String] {
            guard let member = object[name] else { return [] }
            guard case .array(let items) = member, items.count <= 100 else {
                throw Refusal(400, "Invalid settings", "\(field).\(name): a list of at most 100 strings")
            }
            var texts: [String] = []
            for item in items {
                guard let text = item.stringValue else { throw Refusal(400, "Invalid settings", "\(field).\(name): each a string") }
                texts.append(text)
            }
            return texts
        }
        var roles: Set<Actor.Role> = []
        for name in try strings("roles") {
            guard let role = Actor.Role(rawValue: name), Audience.namableRoles.contains(role) else {
                throw Refusal(400, "Invalid settings", "\(field).roles: \(name.prefix(40)) is not one of worker, supervisor, administrator")
            }
            roles.insert(role)
        }
        var webhook = true
        switch object["webhook"] {
        case nil: break
        case .bool(let flag)?: webhook = flag
        default: throw Refusal(400, "Invalid settings", "\(field).webhook: true or false")
        }
        return (Audience(roles: roles, users: Set(try strings("users"))), webhook)
    }
}
