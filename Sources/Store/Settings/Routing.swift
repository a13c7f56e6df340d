import SQLiteDB

/// Whom at one authority a setting names: roles and named users (logins of its own users).
package struct Audience: Sendable, Hashable {
    package var roles: Set<Actor.Role>
    package var users: Set<String>

    package init(roles: Set<Actor.Role> = [], users: Set<String> = []) {
        self.roles = roles
        self.users = users
    }

    /// The roles an authority's setting may name (operators and ministry staff belong to no municipality or CGC).
    package static let namableRoles: [Actor.Role] = [.worker, .supervisor, .administrator]

    /// Whether `actor` is among them (the local administrator always is).
    package func admits(_ actor: Actor) -> Bool {
        guard case .user(let login, _, let role) = actor else { return true }
        return roles.contains(role) || users.contains(login)
    }

    /// As the audit log and a refusal name it.
    package var description: String {
        let named = Audience.namableRoles.filter(roles.contains).map(\.rawValue) + users.sorted()
        return named.joined(separator: ",")
    }
}

/// A workflow step an authority chooses the approvers of (設定: 承認者).
package enum ApprovalWorkflow: String, Sendable, Hashable, CaseIterable {
    /// Approving a case transfer (移管) before it is sent.
    case transfer
    /// Approving an information provision (情報提供) before it is sent.
    case provision
    /// Answering (approving or declining) another authority's information request.
    case request

    /// Who approves when the authority has not chosen: supervisors and administrators for what
    /// leaves the authority, any of its staff for answering a request.
    package var defaultApprovers: Audience {
        switch self {
        case .transfer, .provision: Audience(roles: [.supervisor, .administrator])
        case .request: Audience(roles: [.worker, .supervisor, .administrator])
        }
    }
}

/// Who at an authority sees a kind of notification in the inbox, and whether its webhook gets it
/// (設定: 通知先). Kinds without a target go to every user and the webhook.
package struct NotificationTarget: Sendable, Hashable {
    package var audience: Audience
    package var webhook: Bool

    package init(audience: Audience, webhook: Bool = true) {
        self.audience = audience
        self.webhook = webhook
    }
}

extension Notifications {
    /// Every kind of notification the service sends.
    package static let kinds: [String] = [
        "case.created", "case.updated", "case.viewed", "attachment.viewed", "transfer.sent", "transfer.confirmed", "transfer.declined",
        "transfer.withdrawn", "request.received", "request.approved", "request.declined", "alert.opened", "alert.located",
        "alert.information", "match.found", "flag.requested", "flag.confirmed", "report.reminder", "link.proposed", "link.linked",
        "link.declined", "link.withdrawn", "link.unlinked",
    ]
}

extension Store {
    /// Who approves `workflow` at `authority` (its choice, else the default).
    func approvers(of authority: String, for workflow: ApprovalWorkflow) throws(StoreError) -> Audience {
        try settings.approvers(of: authority)[workflow] ?? workflow.defaultApprovers
    }
}

extension Settings {
    /// Every workflow's approvers at `authority`, defaults filled in.
    package func approvers(of authority: String) throws(StoreError) -> [ApprovalWorkflow: Audience] {
        let rows = try catalogue.read { connection throws(StoreError) in
            try connection.query("SELECT workflow, roles, users FROM approvers WHERE authority = ?", [authority]) {
                ($0.text(0), Self.audience(roles: $0.text(1), users: $0.text(2)))
            }
        }
        var approvers = Dictionary(uniqueKeysWithValues: ApprovalWorkflow.allCases.map { ($0, $0.defaultApprovers) })
        for (name, audience) in rows {
            guard let workflow = ApprovalWorkflow(rawValue: name) else { continue }
            approvers[workflow] = audience
        }
        return approvers
    }

    /// The notification kinds `authority` has routed, with their targets.
    package func notificationTargets(of authority: String) throws(StoreError) -> [String: NotificationTarget] {
        let rows = try catalogue.read { connection throws(StoreError) in
            try connection.query("SELECT kind, roles, users, webhook FROM notification_targets WHERE authority = ?", [authority]) {
                ($0.text(0), NotificationTarget(audience: Self.audience(roles: $0.text(1), users: $0.text(2)), webhook: $0.int(3) == 1))
            }
        }
        return Dictionary(rows, uniquingKeysWith: { _, last in last })
    }

    /// Sets who approves each workflow named (nil: back to the default); its administrators
    /// only, every audience checked (roles the authority's, users its own, never nobody) before
    /// anything is written. Audited.
    package func setApprovers(of authority: String, _ approvers: [ApprovalWorkflow: Audience?], as actor: Actor) throws(StoreError) {
        try requireChange(of: authority, as: actor)
        try check(approvers, of: authority)
        try catalogue.write { connection throws(StoreError) in
            for (workflow, audience) in approvers.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                if let audience {
                    try connection.run(
                        """
                        INSERT INTO approvers (authority, workflow, roles, users) VALUES (?, ?, ?, ?)
                        ON CONFLICT (authority, workflow) DO UPDATE SET roles = excluded.roles, users = excluded.users
                        """, [authority, workflow.rawValue, Self.text(audience.roles.map(\.rawValue)), Self.text(audience.users)])
                } else {
                    try connection.run("DELETE FROM approvers WHERE authority = ? AND workflow = ?", [authority, workflow.rawValue])
                }
                try store.audit(
                    connection, actor: actor, action: "settings.approvers", target: authority,
                    detail: "\(workflow.rawValue)=\(audience?.description ?? "default")")
            }
        }
    }

    /// Routes each notification kind named to roles and users, with or without the webhook
    /// (nil: back to everyone and the webhook); its administrators only, checked whole first. Audited.
    package func setNotificationTargets(of authority: String, _ targets: [String: NotificationTarget?], as actor: Actor) throws(StoreError) {
        try requireChange(of: authority, as: actor)
        try check(targets, of: authority)
        try catalogue.write { connection throws(StoreError) in
            for (kind, target) in targets.sorted(by: { $0.key < $1.key }) {
                if let target {
                    try connection.run(
                        """
                        INSERT INTO notification_targets (authority, kind, roles, users, webhook) VALUES (?, ?, ?, ?, ?)
                        ON CONFLICT (authority, kind) DO UPDATE SET roles = excluded.roles, users = excluded.users, webhook = excluded.webhook
                        """,
                        [authority, kind, Self.text(target.audience.roles.map(\.rawValue)), Self.text(target.audience.users), target.webhook ? 1 : 0])
                } else {
                    try connection.run("DELETE FROM notification_targets WHERE authority = ? AND kind = ?", [authority, kind])
                }
                try store.audit(
                    connection, actor: actor, action: "settings.notification-targets", target: authority,
                    detail: "\(kind)=\(target.map { "\($0.audience.description) webhook=\($0.webhook)" } ?? "default")")
            }
        }
    }

    /// Refuses approvers that name nobody, a role an authority's staff do not have, or a login
    /// that is not one of the authority's users: before anything of a settings change is written.
    package func check(_ approvers: [ApprovalWorkflow: Audience?], of authority: String) throws(StoreError) {
        for (workflow, audience) in approvers.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            guard let audience else { continue }
            try check(audience, of: authority, "approvers.\(workflow.rawValue)")
        }
    }

    /// Refuses targets of an unknown kind or with an audience `check` refuses.
    package func check(_ targets: [String: NotificationTarget?], of authority: String) throws(StoreError) {
        for (kind, target) in targets.sorted(by: { $0.key < $1.key }) {
            guard Notifications.kinds.contains(kind) else {
                throw StoreError(
                    .invalidInput,
                    "notification_targets: \(kind.prefix(40)) is not a kind of notification (\(Notifications.kinds.joined(separator: ", ")))")
            }
            guard let target else { continue }
            try check(target.audience, of: authority, "notification_targets.\(kind)")
        }
    }

    /// Refuses an audience that names nobody, a role an authority's staff do not have, or a
    /// login that is not one of the authority's users.
    private func check(_ audience: Audience, of authority: String, _ field: String) throws(StoreError) {
        guard !audience.roles.isEmpty || !audience.users.isEmpty else {
            throw StoreError(.invalidInput, "\(field): name at least one role or user")
        }
        if let role = audience.roles.first(where: { !Audience.namableRoles.contains($0) }) {
            throw StoreError(.invalidInput, "\(field): \(role.rawValue) is not a role of \(authority)'s staff (worker, supervisor, administrator)")
        }
        guard audience.users.count <= 100 else { throw StoreError(.invalidInput, "\(field): at most 100 users") }
        for login in audience.users.sorted() {
            let known = try catalogue.read { connection throws(StoreError) in
                try connection.first("SELECT 1 FROM users WHERE login = ? AND authority = ?", [login, authority]) { _ in true }
            }
            guard known != nil else { throw StoreError(.invalidInput, "\(field): \(login.prefix(64)) is not a user of \(authority)") }
        }
    }

    private static func audience(roles: String, users: String) -> Audience {
        Audience(
            roles: Set(roles.split(separator: ",").compactMap { Actor.Role(rawValue: String($0)) }),
            users: Set(users.split(separator: ",").map(String.init)))
    }

    private static func text(_ values: some Sequence<String>) -> String { values.sorted().joined(separator: ",") }
}
