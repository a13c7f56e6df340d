/// The authority's users (`users.mustache`) and the form that adds one, with what was typed
/// and a Japanese message next to each bad field; the API tokens of its users.
struct UsersPage: PageView {
    struct User {
        let login: String
        let name: String
        let role: String
        let disabled: Bool
        /// The administrator's own account (which it may not disable here).
        let `self`: Bool
        /// 令和8年12月7日 10:15, or 「なし」.
        let lastLogin: String
        /// 「ロック中（令和8年12月7日 10:30まで）」 while failed sign-ins lock it.
        let locked: String?
        /// The roles it may be given, its own selected.
        let roleOptions: [SelectOption]
        /// Signs in with a second factor (an administrator may reset it for a lost device).
        let secondFactor: Bool
    }

    var title = ""
    var user: Navigation?
    let users: [User]
    /// The API tokens of the authority's users that still work, each with a button that revokes it.
    let tokens: [TokenRow]
    /// Whether there is a token to list (the table is shown only then; templates read stored properties).
    var hasTokens: Bool
    let roles: [SelectOption]
    let login: String
    let displayName: String
    var loginError: String?
    var displayNameError: String?
    var passwordError: String?
}
