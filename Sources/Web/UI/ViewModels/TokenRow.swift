import Store

/// An API token as the password page (the user's own) and the users page (the authority's)
/// list it, with the form that revokes it; never the token's secret.
struct TokenRow {
    let id: Int
    let login: String
    let label: String
    let created: String
    let expires: String
    /// When it was last used (Japan time), or 未使用.
    let lastUsed: String

    init(_ info: TokenInfo) {
        id = info.id
        login = info.login
        label = info.label
        created = Display.time(info.createdAt)
        expires = Display.time(info.expiresAt)
        lastUsed = info.lastUsedAt.map(Display.time) ?? "未使用"
    }

    /// The rows of the tokens that still work (revoked and expired ones are history: the API lists them).
    static func active(_ tokens: [TokenInfo]) -> [TokenRow] {
        tokens.filter { $0.state == .active }.map(TokenRow.init)
    }
}
