/// The header of a signed-in user's page (`user` in the templates): who is signed in, the CSRF
/// token every form on the page carries (`{{user.csrf}}`), the menu this user has, and the
/// notice of what was just done.
struct Navigation {
    let displayName: String
    let authorityName: String
    let csrf: String
    /// Municipalities and child guidance centres hold cases: their menu has the case pages.
    let holdsCases: Bool
    let ministry: Bool
    let administrator: Bool
    /// Child guidance centres see the missing-child alerts.
    let cgc: Bool
    /// After this long without a request the session ends; the page's script signs out first.
    let idleSeconds: Int
    /// Unread notifications ("99+" beyond 99); nil when there are none, so no badge shows.
    let unread: String?
    /// What the form before the redirect did (`?notice=…`), in Japanese.
    let notice: String?
}
