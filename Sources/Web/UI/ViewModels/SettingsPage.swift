/// The authority's settings (`settings.mustache`): approval, periods, the webhook, the
/// contacts other authorities see, and the access rules it may narrow.
struct SettingsPage: PageView {
    /// What one relation to a case (partner, granted…) may do: the default's capabilities, each
    /// checked unless narrowed.
    struct Rule {
        let relation: String
        let label: String
        let capabilities: [Capability]
    }

    struct Capability {
        let name: String
        let label: String
        let checked: Bool
    }

    /// The fields hidden from one relation that may read the record.
    struct Hidden {
        let relation: String
        let label: String
        let fields: [Capability]
    }

    var hidden: [Hidden] = []

    /// Who receives one thing (approvers of a workflow, or a kind of notification): roles
    /// checked, named logins, and for notifications whether the webhook gets it.
    struct Routed {
        /// The form fields' prefix: `approvers.transfer`, `targets.case.updated`.
        let field: String
        let label: String
        let roles: [Capability]
        let users: String
        /// Notifications only: whether the webhook gets the kind.
        let webhookOn: Bool
    }

    var approvers: [Routed] = []
    var targets: [Routed] = []

    var title = ""
    var user: Navigation?
    let approvalRequired: Bool
    let secondFactorRequired: Bool
    let grantDays: Int
    /// Empty when kept forever.
    let retentionDays: String
    let webhookURL: String
    /// The secret itself is never shown, only whether there is one.
    let webhookSecretSet: Bool
    let rules: [Rule]
    /// Whom other authorities call (empty where unknown).
    let department: String
    let daytime: String
    let nightHoliday: String
}
