import Foundation
import SQLiteDB

/// A user as its administrators manage it: when it last signed in, and whether sign-in is
/// locked after failed attempts (and until when).
package struct Account: Sendable, Hashable {
    package let user: User
    package let lastLoginAt: String?
    /// Set while `Users.maxFailedLogins` failures lock the login.
    package let lockedUntil: String?
    /// Whether the user signs in with a confirmed second factor.
    package var secondFactor = false
}

extension Users {
    /// The accounts of an authority, with last sign-in and lock state, for its administrators.
    package func accounts(of authority: String, as actor: Actor) throws(StoreError) -> [Account] {
        try store.require(.manageUsers(authority: authority), as: actor, action: "user.manage", target: authority)
        let now = Timestamp.now()
        return try catalogue.read { connection throws(StoreError) in
            try connection.query(
                """
                SELECT \(User.columns("u.")), u.last_login_at, f.count, f.last_at, t.confirmed_at IS NOT NULL FROM users u
                LEFT JOIN login_failures f ON f.login = u.login LEFT JOIN second_factors t ON t.login = u.login
                WHERE u.authority = ? ORDER BY u.login
                """, [authority]
            ) { row in
                var lockedUntil: String?
                if row.optionalInt(7) ?? 0 >= Self.maxFailedLogins, let last = row.optionalText(8).flatMap(Timestamp.date) {
                    let until = Timestamp.string(last.addingTimeInterval(Self.loginLockSeconds))
                    if until > now { lockedUntil = until }
                }
                var account = Account(user: User(row: row), lastLoginAt: row.optionalText(6), lockedUntil: lockedUntil)
                account.secondFactor = row.int(9) == 1
                return account
            }
        }
    }

    /// Enables a disabled user again. Its old sessions and tokens stay ended: it signs in anew.
    package func enable(_ login: String, as actor: Actor) throws(StoreError) {
        let user = try managed(login, as: actor)
        guard user.disabled else { return }
        try catalogue.write { connection throws(StoreError) in
            try connection.run("UPDATE users SET disabled = 0 WHERE login = ?", [login])
            try store.audit(connection, actor: actor, action: "user.enable", target: login, detail: nil)
        }
    }

    /// Changes a user's role within its authority (worker, supervisor, administrator; the
    /// ministry's users between ministry and operator). It takes effect with the user's next
    /// request. An administrator cannot change its own role, and an authority keeps at least
    /// one enabled administrator.
    package func setRole(of login: String, to role: Actor.Role, as actor: Actor) throws(StoreError) {
        let user = try managed(login, as: actor)
        if case .user(let own, _, _) = actor, own == login {
            throw StoreError(.invalidInput, "an administrator cannot change its own role; ask another administrator")
        }
        let ministryRoles: Set<Actor.Role> = [.ministry, .systemOperator]
        let staffRoles: Set<Actor.Role> = [.worker, .supervisor, .administrator]
        // As at creation: the ministry's and operators' roles belong to the ministry only.
        let allowed = user.authority == Authority.ministryCode ? staffRoles.union(ministryRoles) : staffRoles
        guard allowed.contains(role) else {
            throw StoreError(.invalidInput, "role: \(role.rawValue) is not a role of \(user.authority)'s users")
        }
        guard role != user.role else { return }
        try catalogue.write { connection throws(StoreError) in
            if user.role == .administrator {
                let others =
                    try connection.first(
                        "SELECT count(*) FROM users WHERE authority = ? AND role = 'administrator' AND disabled = 0 AND login != ?",
                        [user.authority, login]
                    ) { $0.int(0) } ?? 0
                guard others > 0 else {
                    throw StoreError(.conflict, "\(login) is the last administrator of \(user.authority); make another user administrator first")
                }
            }
            try connection.run("UPDATE users SET role = ? WHERE login = ?", [role.rawValue, login])
            try store.audit(connection, actor: actor, action: "user.role", target: login, detail: "from=\(user.role.rawValue) to=\(role.rawValue)")
        }
    }

    /// Lifts the lock that failed sign-ins put on a login (after the administrator has made
    /// sure it is the user who is locked out, not someone guessing).
    package func unlock(_ login: String, as actor: Actor) throws(StoreError) {
        _ = try managed(login, as: actor)
        try catalogue.write { connection throws(StoreError) in
            try connection.run("DELETE FROM login_failures WHERE login = ?", [login])
            try store.audit(connection, actor: actor, action: "user.unlock", target: login, detail: nil)
        }
    }

    /// The user, once the actor may manage its authority's users (refused and audited otherwise,
    /// as `disable` does).
    private func managed(_ login: String, as actor: Actor) throws(StoreError) -> User {
        guard let user = try user(login) else { throw StoreError(.notFound, "no user \(login.prefix(64))") }
        if !store.allows(.manageUsers(authority: user.authority), actor) {
            try store.refuse(actor, "user.manage", target: login, "\(actor) may not manage \(login)")
        }
        return user
    }
}

extension Users {
    /// The active users of the actor's own authority (whom its cases may be assigned to), for
    /// any of its staff.
    package func colleagues(as actor: Actor) throws(StoreError) -> [User] {
        guard let authority = actor.authority else { return [] }
        try store.require(.listOwn(authority: authority, what: "users", refusingOperators: true), as: actor, action: "user.list", target: authority)
        return try catalogue.read { connection throws(StoreError) in
            try connection.query("SELECT \(User.columns()) FROM users WHERE authority = ? AND disabled = 0 ORDER BY login", [authority]) {
                User(row: $0)
            }
        }
    }
}
