/// The form on which the signed-in user changes its own password (`password.mustache`), with a
/// Japanese message next to each bad field, and the user's own API tokens with a button that
/// revokes each.
struct PasswordPage: PageView {
    /// One of the user's own sessions that still work.
    struct Session {
        let reference: String
        let created: String
        let lastSeen: String
        /// This browser's (it is ended by signing out).
        let current: Bool
    }

    var title = ""
    var user: Navigation?
    let tokens: [TokenRow]
    /// Whether there is a token to list (the table is shown only then; templates read stored properties).
    let hasTokens: Bool
    var currentError: String?
    var newError: String?
    var confirmError: String?
    var sessions: [Session] = []

    init(tokens: [TokenRow], currentError: String? = nil) {
        self.tokens = tokens
        hasTokens = !tokens.isEmpty
        self.currentError = currentError
    }
}
