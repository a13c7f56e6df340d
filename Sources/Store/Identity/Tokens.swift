import Foundation
import SQLiteDB

/// An API token as listed: never the token itself, nor its digest.
package struct TokenInfo: Sendable, Hashable {
    /// Whether a token still acts for its user.
    package enum State: String, Sendable, Hashable {
        case active, expired, revoked
    }

    package let id: Int
    package let login: String
    package let label: String
    package let createdAt: String
    /// When it stops working: the expiry it was given, or earlier where the operator's longest
    /// lifetime, counted from its creation, ends sooner.
    package let expiresAt: String
    /// When it last authenticated a request (to the minute); nil if never.
    package let lastUsedAt: String?
    package let revokedAt: String?
    /// Its state when it was read.
    package let state: State

    package var revoked: Bool { revokedAt != nil }
}

/// API bearer tokens: returned once, stored as a digest, expiring (never later than the
/// operator's longest lifetime), listed without their secret, and revocable.
package struct Tokens: StoreFeature {
    package let store: Store

    /// The longest a token lives unless the operator chose otherwise (`setMaximumDays`).
    package static let defaultMaximumDays = 90
    /// What the operator may choose as the longest lifetime.
    package static let maximumDaysRange = 1...366
    /// The last-used time is written at most this often (a write per request would serialise reads).
    static let touchSeconds = 60.0
    /// At most this many tokens are listed at once, newest first.
    static let listLimit = 500

    /// The longest a token may live, in days: the operator's choice, 90 by default. It bounds
    /// every token, also one made before it was lowered: a token stops working this many days
    /// after its creation, whatever expiry it was given.
    package func maximumDays() throws(StoreError) -> Int {
        try catalogue.read { connection throws(StoreError) in try Self.maximumDays(connection) }
    }

    static func maximumDays(_ connection: Connection) throws(StoreError) -> Int {
        let stored = try connection.first("SELECT value FROM service_settings WHERE name = 'token_max_days'") { $0.int(0) }
        return stored.flatMap { Self.maximumDaysRange.contains($0) ? $0 : nil } ?? Self.defaultMaximumDays
    }

    /// Sets the longest lifetime of every token (see `maximumDays`): the service's operator at
    /// the server's command line only (`Permission.setTokenLifetime`); audited.
    /// - Throws: `.invalidInput` outside `maximumDaysRange`; `.permissionDenied` for anyone else.
    package func setMaximumDays(_ days: Int, as actor: Actor) throws(StoreError) {
        try store.require(.setTokenLifetime, as: actor, action: "token.max-days")
        guard Self.maximumDaysRange.contains(days) else {
            throw StoreError(
                .invalidInput,
                "the longest token lifetime must be \(Self.maximumDaysRange.lowerBound)–\(Self.maximumDaysRange.upperBound) days, not \(days)")
        }
        try catalogue.write { connection throws(StoreError) in
            try connection.run(
                "INSERT INTO service_settings (name, value) VALUES ('token_max_days', ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                [days])
            try store.audit(connection, actor: actor, action: "token.max-days", target: nil, detail: "days=\(days)")
        }
    }

    /// Creates a bearer token for a user, valid `days` days (at most `maximumDays()`). The
    /// token is returned once; only its digest is stored. The user itself, its authority's
    /// administrator or the local administrator may create it.
    /// - Throws: `.invalidInput` naming the allowed range for a longer (or non-positive) lifetime.
    package func create(for login: String, label: String, days: Int, as actor: Actor) throws(StoreError) -> (token: String, info: TokenInfo) {
        let maximum = try maximumDays()
        guard (1...maximum).contains(days) else {
            throw StoreError(.invalidInput, "a token lives 1–\(maximum) days (the longest the operator allows), not \(days)")
        }
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
        return (
            token,
            TokenInfo(id: id, login: login, label: name, createdAt: created, expiresAt: expires, lastUsedAt: nil, revokedAt: nil, state: .active)
        )
    }

    /// The tokens of one user, newest first, without their secret: the user itself, or its
    /// authority's administrators (`Permission.readTokens`; a refusal is audited).
    /// - Throws: `.notFound` for an unknown user, or one of another authority; `.permissionDenied`
    ///   for another user of the same authority.
    package func list(of login: String, as actor: Actor) throws(StoreError) -> [TokenInfo] {
        guard let user = try store.users.user(login) else { throw StoreError(.notFound, "no user \(login.prefix(64))") }
        try store.require(
            .readTokens(login: user.login, authority: user.authority), as: actor, action: "token.list", target: user.login, hidden: "user")
        return try listed(login: user.login, authority: nil)
    }

    /// The tokens of every user of an authority (nil: of every authority), newest first,
    /// without their secret: its administrators (the local administrator for every authority).
    package func list(ofAuthority authority: String?, as actor: Actor) throws(StoreError) -> [TokenInfo] {
        try store.require(.readTokens(login: nil, authority: authority), as: actor, action: "token.list", target: authority, hidden: "authority")
        return try listed(login: nil, authority: authority)
    }

    private func listed(login: String?, authority: String?) throws(StoreError) -> [TokenInfo] {
        let now = Date()
        let nowText = Timestamp.string(now)
        return try catalogue.read { connection throws(StoreError) in
            let maximum = try Self.maximumDays(connection)
            return try connection.query(
                """
                SELECT t.id, t.login, t.label, t.created_at, t.expires_at, t.last_used_at, t.revoked_at
                FROM tokens t JOIN users u ON u.login = t.login
                WHERE (?1 IS NULL OR t.login = ?1) AND (?2 IS NULL OR u.authority = ?2)
                ORDER BY t.id DESC LIMIT ?3
                """,
                [login, authority, Self.listLimit]
            ) { row in
                let created = row.text(3)
                let bounded = Timestamp.date(created).map { Timestamp.string($0.addingTimeInterval(Double(maximum) * 86_400)) } ?? created
                let expires = min(row.text(4), bounded)
                let revokedAt = row.optionalText(6)
                let state: TokenInfo.State = revokedAt != nil ? .revoked : (expires > nowText ? .active : .expired)
                return TokenInfo(
                    id: row.int(0), login: row.text(1), label: row.text(2), createdAt: created, expiresAt: expires,
                    lastUsedAt: row.optionalText(5), revokedAt: revokedAt, state: state)
            }
        }
    }

    /// Revokes a token at once: its user, or the user's authority's administrators
    /// (`Permission.revokeToken`); audited, the refusal too.
    /// - Throws: `.notFound` for an unknown token, or one of another authority's user;
    ///   `.permissionDenied` for another user of the same authority.
    package func revoke(_ id: Int, as actor: Actor) throws(StoreError) {
        let login = try catalogue.read { connection throws(StoreError) in
            try connection.first("SELECT login FROM tokens WHERE id = ?", [id]) { $0.text(0) }
        }
        guard let login, let user = try store.users.user(login) else {
            throw StoreError(.notFound, "no token \(id)")
        }
        try store.require(
            .revokeToken(login: user.login, authority: user.authority), as: actor, action: "token.revoke", target: String(id), hidden: "token")
        try catalogue.write { connection throws(StoreError) in
            try connection.run("UPDATE tokens SET revoked_at = coalesce(revoked_at, ?) WHERE id = ?", [Timestamp.now(), id])
            try store.audit(connection, actor: actor, action: "token.revoke", target: login, detail: "token=\(id)")
        }
    }

    /// Revokes every token of a user, in the caller's write transaction (a password change,
    /// a disabled user). - Returns: how many were still unrevoked.
    static func revokeAll(of login: String, _ connection: Connection) throws(StoreError) -> Int {
        try connection.run("UPDATE tokens SET revoked_at = ? WHERE login = ? AND revoked_at IS NULL", [Timestamp.now(), login])
        return connection.changes
    }

    /// The user a bearer token acts for: nil if the token is unknown, expired (by its own
    /// expiry or the operator's longest lifetime), revoked, or its user is disabled. Notes
    /// when it was used, at most once a minute.
    /// - Throws: `.secondFactorNeeded` when the user must have a second factor and has none
    ///   (a token made before the requirement does not bypass it).
    package func user(forToken token: String) throws(StoreError) -> User? {
        guard token.hasPrefix("mmr_"), token.count == 68 else { return nil }
        let digest = Secret.digest(token)
        let now = Date()
        let found = try catalogue.read { connection throws(StoreError) in
            let bornAfter = Timestamp.string(now.addingTimeInterval(-Double(try Self.maximumDays(connection)) * 86_400))
            let token = try connection.first(
                """
                SELECT \(User.columns("u.")), t.id, t.last_used_at
                FROM tokens t JOIN users u ON u.login = t.login
                WHERE t.token_hash = ? AND t.revoked_at IS NULL AND t.expires_at > ? AND t.created_at > ? AND u.disabled = 0
                """,
                [digest, Timestamp.string(now), bornAfter]
            ) { row in (User(row: row), row.int(6), row.optionalText(7)) }
            // In the same read: every request with a token asks it.
            return try token.map { token throws(StoreError) in (token, try SecondFactors.status(of: token.0, connection)) }
        }
        guard let ((user, id, lastUsed), factor) = found else { return nil }
        guard factor.enrolled || !factor.required else {
            throw StoreError(
                .secondFactorNeeded,
                "\(user.login) must sign in with a second factor and has none: set one up in the web UI (アカウント → 二要素認証), then the token works again")
        }
        if lastUsed.flatMap(Timestamp.date).map({ now.timeIntervalSince($0) > Self.touchSeconds }) ?? true {
            try catalogue.write { connection throws(StoreError) in
                try connection.run("UPDATE tokens SET last_used_at = ? WHERE id = ?", [Timestamp.string(now), id])
            }
        }
        return user
    }
}
