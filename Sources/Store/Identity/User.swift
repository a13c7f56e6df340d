import SQLiteDB

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

extension User {
    /// The columns `init(row:)` reads, in order (prefix with a table alias where needed).
    static func columns(_ alias: String = "") -> String {
        ["login", "authority", "role", "display_name", "disabled", "created_at"].map { alias + $0 }.joined(separator: ", ")
    }

    /// A user from a row whose first columns are `columns()`.
    init(row: Statement) {
        self.init(
            login: row.text(0), authority: row.text(1), role: Actor.Role(rawValue: row.text(2)) ?? .worker,
            displayName: row.text(3), disabled: row.int(4) == 1, createdAt: row.text(5))
    }
}
