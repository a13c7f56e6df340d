import Foundation
import SQLiteDB

/// The users of each authority: created, listed and disabled by its administrators, signed
/// in with an argon2id-hashed password (throttled and audited).
package struct Users: StoreFeature {
    package let store: Store

    package static let minimumPasswordLength = 12

    /// Creates a user. Only the local administrator, or an administrator of the same
    /// authority, may. The password is hashed (argon2id) and never stored in clear.
    /// - Throws: `.invalidInput` for a bad login, password or role for the authority;
    ///   `.conflict` if the login exists; `.permissionDenied`.
    @discardableResult
    package func create(
        login: String, authority code: String, role: Actor.Role, displayName: String, password: String, as actor: Actor
    ) throws(StoreError) -> User {
        try store.require(.manageUsers(authority: code), as: actor, action: "user.manage", target: code)
        guard login.count >= 3, login.count <= 64,
            login.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || "._-".unicodeScalars.contains($0) })
        else {
            throw StoreError(.invalidInput, "login \"\(login.prefix(64))\" must be 3–64 characters of a–z, 0–9, '.', '_' or '-'")
        }
        guard let authority = directory[code] else { throw StoreError(.invalidInput, directory.unknownCodeMessage(code)) }
        switch role {
        case .ministry, .systemOperator:
            guard authority.kind == .ministry else {
                throw StoreError(.invalidInput, "a \(role.rawValue) user belongs to the ministry (\(Authority.ministryCode)), not to \(code)")
            }
        case .worker, .supervisor, .administrator:
            guard authority.holdsCases || authority.kind == .ministry else {
                throw StoreError(
                    .invalidInput,
                    "\(code) (\(authority.name)) is a \(authority.kind.rawValue); staff belong to a municipality, a child guidance centre or the ministry"
                )
            }
        }
        guard password.count >= Self.minimumPasswordLength else {
            throw StoreError(.invalidInput, "the password must be at least \(Self.minimumPasswordLength) characters long")
        }
        let name = displayName.trimmingSpaces()
        guard !name.isEmpty, name.count <= 100 else { throw StoreError(.invalidInput, "the display name must be 1–100 characters") }
        let hash = try PasswordHasher.hash(password)
        let now = Timestamp.now()
        try catalogue.write { connection throws(StoreError) in
            guard try connection.first("SELECT 1 FROM users WHERE login = ?", [login], { _ in true }) == nil else {
                throw StoreError(.conflict, "a user \(login) exists already")
            }
            try connection.run(
                "INSERT INTO users (login, authority, role, display_name, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                [login, code, role.rawValue, name, hash, now])
            try store.audit(connection, actor: actor, action: "user.create", target: login, detail: "authority=\(code) role=\(role.rawValue)")
        }
        return User(login: login, authority: code, role: role, displayName: name, disabled: false, createdAt: now)
    }

    /// The users of an authority (or all, for the local administrator with `authority` nil).
    package func list(of authority: String?, as actor: Actor) throws(StoreError) -> [User] {
        try store.require(.manageUsers(authority: authority), as: actor, action: "user.manage", target: authority)
        return try catalogue.read { connection throws(StoreError) in
            try connection.query(
                "SELECT \(User.columns()) FROM users WHERE ?1 IS NULL OR authority = ?1 ORDER BY login", [authority]
            ) { User(row: $0) }
        }
    }

    /// Disables a user: it can no longer sign in, and every session and token it has ends for
    /// good (they stay ended should it ever be enabled again).
    package func disable(_ login: String, as actor: Actor) throws(StoreError) {
        guard let user = try user(login) else { throw StoreError(.notFound, "no user \(login.prefix(64))") }
        try store.require(.manageUsers(authority: user.authority), as: actor, action: "user.manage", target: user.authority)
        try catalogue.write { connection throws(StoreError) in
            try connection.run("UPDATE users SET disabled = 1 WHERE login = ?", [login])
            try store.audit(connection, actor: actor, action: "user.disable", target: login, detail: nil)
            try endCredentials(of: login, keepingSession: nil, reason: "user.disable", as: actor, connection)
        }
    }

    /// Ends every session of a user but `keepingSession`, and revokes every token it has, in
    /// the caller's write transaction; audited as `credentials.end` with how many ended.
    private func endCredentials(
        of login: String, keepingSession: String?, reason: String, as actor: Actor, _ connection: Connection
    ) throws(StoreError) {
        try connection.run(
            "UPDATE sessions SET ended_at = ? WHERE login = ? AND ended_at IS NULL AND id_hash != ?",
            [Timestamp.now(), login, keepingSession.map(Secret.digest) ?? ""])
        let sessions = connection.changes
        let tokens = try Tokens.revokeAll(of: login, connection)
        try store.audit(
            connection, actor: actor, action: "credentials.end", target: login, detail: "reason=\(reason) sessions=\(sessions) tokens=\(tokens)")
    }

    /// Sets a user's password: the user itself, knowing its current one, or an administrator
    /// of its authority (a reset; `current` is then ignored). Every session of the user ends
    /// but `keepingSession` (the one the user changed it from), and every token it has is
    /// revoked: whoever knew the old password cannot keep a way in. Audited without either password.
    /// - Throws: `.permissionDenied` for a wrong current password or anyone else; `.invalidInput`
    ///   for a new password that is too short or is the login.
    package func changePassword(
        of login: String, current: String?, new password: String, keepingSession: String? = nil, as actor: Actor
    ) throws(StoreError) {
        guard let user = try user(login) else { throw StoreError(.notFound, "no user \(login.prefix(64))") }
        if case .user(let own, _, _) = actor, own == login {
            // Checked as a sign-in: audited, and throttled like one (a stolen session cannot guess it).
            guard let current, try authenticate(login: login, password: current) != nil else {
                try store.refuse(actor, "user.password", target: login, "the current password is wrong")
            }
        } else {
            try store.require(.manageUsers(authority: user.authority), as: actor, action: "user.manage", target: user.authority)
        }
        guard password.count >= Self.minimumPasswordLength, password != login else {
            throw StoreError(.invalidInput, "the new password must be at least \(Self.minimumPasswordLength) characters long and not the login")
        }
        let hash = try PasswordHasher.hash(password)
        try catalogue.write { connection throws(StoreError) in
            try connection.run("UPDATE users SET password_hash = ? WHERE login = ?", [hash, login])
            try store.audit(
                connection, actor: actor, action: "user.password", target: login,
                detail: actor.description.hasPrefix("\(login)@") ? "changed" : "reset")
            try endCredentials(of: login, keepingSession: keepingSession, reason: "user.password", as: actor, connection)
        }
    }

    package static let maxFailedLogins = 5
    static let loginLockSeconds = 15 * 60.0

    /// The user whose login and password match, if enabled, and, for a user with a second
    /// factor, whose `secondFactor` (a code from the app or a recovery code) is right; every
    /// attempt is audited (without the password or code). After `maxFailedLogins` failures
    /// for a login, it is refused for `loginLockSeconds` after the last one, even with the
    /// right password. A wrong second factor is a failure like a wrong password.
    /// - Throws: `.tooManyAttempts` while a login is locked; `.secondFactorNeeded` when the
    ///   password is right and the user has a second factor but no code was sent.
    package func authenticate(login: String, password: String, secondFactor: String? = nil) throws(StoreError) -> User? {
        let name = String(login.prefix(64))
        // The attempt is counted, atomically, before the password is checked: parallel guesses
        // each take a slot, so no more than `maxFailedLogins` are ever checked per lock period.
        // A lock that has run out starts the count again; a success clears it.
        let lockedUntil = try catalogue.write { connection throws(StoreError) -> String? in
            let now = Timestamp.now()
            let locked =
                try connection.first("SELECT count, last_at FROM login_failures WHERE login = ?", [name]) { row -> String? in
                    guard row.int(0) >= Self.maxFailedLogins, let last = Timestamp.date(row.text(1)) else { return nil }
                    let until = Timestamp.string(last.addingTimeInterval(Self.loginLockSeconds))
                    return until > now ? until : nil
                } ?? nil
            if locked == nil {
                try connection.run(
                    """
                    INSERT INTO login_failures (login, count, last_at) VALUES (?1, 1, ?2)
                    ON CONFLICT (login) DO UPDATE SET
                        count = CASE WHEN count >= ?3 THEN 1 ELSE count + 1 END, last_at = ?2
                    """,
                    [name, now, Self.maxFailedLogins])
            }
            return locked
        }
        if let lockedUntil {
            try store.audit(actor: .user(login: name, authority: "-", role: .worker), action: "login.throttled", target: name, detail: nil)
            throw StoreError(.tooManyAttempts, "too many failed sign-ins for \(name); try again after \(lockedUntil)")
        }
        let found = try catalogue.read { connection throws(StoreError) in
            try connection.first("SELECT \(User.columns()), password_hash FROM users WHERE login = ?", [login]) { row in
                (User(row: row), row.text(6))
            }
        }
        // An unknown or disabled login is checked against a decoy hash: the refusal takes as long.
        let usable = found.flatMap { $0.0.disabled ? nil : $0 }
        let verified = PasswordHasher.verify(password, against: usable?.1 ?? PasswordHasher.decoy)
        var accepted = usable != nil && verified
        var detail: String?
        if accepted, let user = usable?.0, try store.secondFactors.secret(of: user.login, confirmed: true) != nil {
            guard let secondFactor, !secondFactor.isEmpty else {
                try store.audit(actor: user.actor, action: "login.second-factor", target: name, detail: nil)
                throw StoreError(.secondFactorNeeded, "\(name) signs in with a second factor: send the code from the app or a recovery code")
            }
            accepted = try store.secondFactors.verify(secondFactor, for: user.login)
            detail = accepted ? "second-factor" : "second-factor refused"
        }
        try catalogue.write { connection throws(StoreError) in
            if accepted {
                try connection.run("DELETE FROM login_failures WHERE login = ?", [name])
                try connection.run("UPDATE users SET last_login_at = ? WHERE login = ?", [Timestamp.now(), name])
            }
            try store.audit(
                connection, actor: accepted ? found!.0.actor : .user(login: name, authority: "-", role: .worker),
                action: accepted ? "login" : "login.refused", target: name, detail: detail)
        }
        return accepted ? found!.0 : nil
    }

    func user(_ login: String) throws(StoreError) -> User? {
        try catalogue.read { connection throws(StoreError) in
            try connection.first("SELECT \(User.columns()) FROM users WHERE login = ?", [login]) { User(row: $0) }
        }
    }
}
