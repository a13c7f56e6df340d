import Foundation
import SQLiteDB

/// An API token as listed (never the token itself).
package struct TokenInfo: Sendable, Hashable {
    package let id: Int
    package let login: String
    package let label: String
    package let createdAt: String
    package let expiresAt: String
    package let revoked: Bool
}

/// API bearer tokens: returned once, stored as a digest, expiring and revocable.
package struct Tokens: StoreFeature {
    package let store: Store

    /// Creates a bearer token for a user, valid `days` days. The token is returned once; only
    /// its digest is stored. The user itself, its authority's administrator or the local
    /// administrator may create it.
    package func create(for login: String, label: String, days: Int, as actor: Actor) throws(StoreError) -> (token: String, info: TokenInfo) {
        guard (1...366).contains(days) else { throw StoreError(.invalidInput, "a token lives 1–366 days, not \(days)") }
        guard let user = try store.users.user(login), !user.disabled else {
            throw StoreError(.notFound, "no enabled user \(login.prefix(64))")
        }
        try store.require(.manageTokens(login: user.login, authority: user.authority), as: actor, action: "token.manage", target: user.login)
        let token = Secret.token()
        let now = Date()
        let created = Timestamp.string(now)
        let expires = Timestamp.string(now.addingTimeInterval(Double(days) * 86_400))
        let name = label.trimmingSpaces().isEmpty ? "api" : String(label.trimmingSpaces().prefix(100))
        let id = try catalogue.write { connection throws(StoreError) -> Int in
            try connection.run(
                "INSERT INTO tokens (login, token_hash, label, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
                [login, Secret.digest(token), name, created, expires])
            let id = try connection.first("SELECT last_insert_rowid()") { $0.int(0) } ?? 0
            try store.audit(connection, actor: actor, action: "token.create", target: login, detail: "token=\(id) expires=\(expires)")
            return id
        }
        return (token, TokenInfo(id: id, login: login, label: name, createdAt: created, expiresAt: expires, revoked: false))
    }

    /// Revokes a token at once.
    package func revoke(_ id: Int, as actor: Actor) throws(StoreError) {
        let login = try catalogue.read { connection throws(StoreError) in
            try connection.first("SELECT login FROM tokens WHERE id = ?", [id]) { $0.text(0) }
        }
        guard let login, let user = try store.users.user(login) else {
            throw StoreError(.notFound, "no token \(id)")
        }
        try store.require(.manageTokens(login: user.login, authority: user.authority), as: actor, action: "token.manage", target: user.login)
        try catalogue.write { connection throws(StoreError) in
            try connection.run("UPDATE tokens SET revoked_at = coalesce(revoked_at, ?) WHERE id = ?", [Timestamp.now(), id])
            try store.audit(connection, actor: actor, action: "token.revoke", target: login, detail: "token=\(id)")
        }
    }

    /// The user a bearer token acts for: nil if the token is unknown, expired, revoked, or its
    /// user is disabled.
    package func user(forToken token: String) throws(StoreError) -> User? {
        guard token.hasPrefix("mmr_"), token.count == 68 else { return nil }
        let digest = Secret.digest(token)
        return try catalogue.read { connection throws(StoreError) in
            try connection.first(
                """
                SELECT \(User.columns("u."))
                FROM tokens t JOIN users u ON u.login = t.login
                WHERE t.token_hash = ? AND t.revoked_at IS NULL AND t.expires_at > ? AND u.disabled = 0
                """,
                [digest, Timestamp.now()]
            ) { User(row: $0) }
        }
    }
}
