/// The authority's users (`users.mustache`) and the form that adds one, with what was typed
/// and a Japanese message next to each bad field.
struct UsersPage: PageView {
    struct User {
        let login: String
        let name: String
        let role: String
        let disabled: Bool
        /// The administrator's own account (which it may not disable here).
        let `self`: Bool
    }

    var title = ""
    var user: Navigation?
    let users: [User]
    let roles: [SelectOption]
    let login: String
    let displayName: String
    var loginError: String?
    var displayNameError: String?
    var passwordError: String?
}
