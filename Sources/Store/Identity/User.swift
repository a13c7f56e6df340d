/// A person who signs in: acts for exactly one authority, with one role.
package struct User: Sendable, Hashable {
    package let login: String
    package let authority: String
    package let role: Actor.Role
    package let displayName: String
    package let disabled: Bool
    package let createdAt: String

    /// The actor this user acts as.
    package var actor: Actor { .user(login: login, authority: authority, role: role) }
}
