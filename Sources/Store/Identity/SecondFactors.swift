package import Foundation
import SQLiteDB

/// A second factor at sign-in (TOTP, RFC 6238, with single-use recovery codes). Required of
/// the ministry's staff and the system operators always, and of an authority's staff when its
/// administrators say so (`AuthoritySettings.secondFactorRequired`); anyone may enrol. A user
/// who must have one and has none signs in to a session that can only enrol one.
package struct SecondFactors: StoreFeature {
    package let store: Store

    /// How many recovery codes an enrolment gives (each works once, for a lost phone).
    package static let recoveryCodeCount = 10

    /// What a user sees while enrolling: the secret for the authenticator app, typed or as an `otpauth://` address.
    package struct Enrolment: Sendable, Encodable {
        package let secret: String
        package let uri: String
    }

    /// Whether a user has a confirmed second factor, and whether one is required of it.
    package struct Status: Sendable, Encodable {
        package let enrolled: Bool
        package let required: Bool
    }

    /// Asked on every request with a bearer token: whether a confirmed factor exists is read
    /// without opening its sealed secret.
    package func status(of user: User) throws(StoreError) -> Status {
        try catalogue.read { connection throws(StoreError) in try Self.status(of: user, connection) }
    }

    /// `status(of:)` in a read the caller has open (a bearer token's lookup reads it with the token).
    static func status(of user: User, _ connection: Connection) throws(StoreError) -> Status {
        let enrolled = try connection.first("SELECT 1 FROM second_factors WHERE login = ? AND confirmed_at IS NOT NULL", [user.login]) { _ in true }
        return Status(enrolled: enrolled ?? false, required: try isRequired(user, connection))
    }

    /// Whether `user` must sign in with a second factor.
    func isRequired(_ user: User) throws(StoreError) -> Bool {
        try catalogue.read { connection throws(StoreError) in try Self.isRequired(user, connection) }
    }

    private static func isRequired(_ user: User, _ connection: Connection) throws(StoreError) -> Bool {
        if user.role == .ministry || user.role == .systemOperator { return true }
        return try connection.first("SELECT second_factor_required FROM settings WHERE authority = ?", [user.authority]) { $0.int(0) == 1 } ?? false
    }

    /// Starts (or restarts) the actor's own enrolment: a new secret, not used at sign-in until
    /// a code from it is confirmed. Refused while a confirmed one exists (reset it first).
    package func begin(as actor: Actor) throws(StoreError) -> Enrolment {
        let user = try ownUser(actor)
        guard try secret(of: user.login, confirmed: true) == nil else {
            throw StoreError(.conflict, "\(user.login) already has a second factor; an administrator resets it (for a lost device)")
        }
        let secret = TOTP.newSecret()
        // Sealed under the secrets key: a copy of the data folder does not hold it.
        let sealed = try store.secretsKey.seal(secret, column: SecretsAtRest.totpColumn, row: user.login)
        try catalogue.write { connection throws(StoreError) in
            try connection.run(
                """
                INSERT INTO second_factors (login, secret, created_at) VALUES (?, ?, ?)
                ON CONFLICT (login) DO UPDATE SET secret = excluded.secret, created_at = excluded.created_at, confirmed_at = NULL, last_step = 0
                """, [user.login.sqlValue, .blob(sealed), Timestamp.now().sqlValue])
            try store.audit(connection, actor: actor, action: "second-factor.begin", target: user.login, detail: nil)
        }
        return Enrolment(secret: TOTP.base32(secret), uri: TOTP.uri(secret: secret, login: user.login))
    }

    /// Confirms the actor's enrolment with a code from the app; the actor's enrolment-only
    /// sessions become full ones.
    /// - Returns: the recovery codes, shown this once (only their digests are kept).
    package func confirm(code: String, as actor: Actor) throws(StoreError) -> [String] {
        let user = try ownUser(actor)
        guard let (secret, confirmed) = try storedSecret(of: user.login), !confirmed else {
            throw StoreError(.conflict, "no enrolment of \(user.login) is waiting for confirmation; begin one first")
        }
        guard let step = TOTP.matchingStep(of: Self.digits(code), secret: secret) else {
            try store.audit(actor: actor, action: "second-factor.refused", target: user.login, detail: "confirm")
            throw StoreError(.invalidInput, "code: the code does not match; check the device's clock and type the current six digits")
        }
        let codes = (0..<Self.recoveryCodeCount).map { _ in Self.newRecoveryCode() }
        try catalogue.write { connection throws(StoreError) in
            try connection.run(
                "UPDATE second_factors SET confirmed_at = ?, last_step = ? WHERE login = ? AND confirmed_at IS NULL",
                [Timestamp.now().sqlValue, .integer(step), user.login.sqlValue])
            guard connection.changes == 1 else { throw StoreError(.conflict, "the enrolment of \(user.login) changed meanwhile") }
            try connection.run("DELETE FROM recovery_codes WHERE login = ?", [user.login])
            for code in codes {
                try connection.run("INSERT INTO recovery_codes (login, digest) VALUES (?, ?)", [user.login, Secret.digest(Self.normalized(code))])
            }
            try connection.run("UPDATE sessions SET enrolment_only = 0 WHERE login = ?", [user.login])
            try store.audit(connection, actor: actor, action: "second-factor.enrolled", target: user.login, detail: nil)
        }
        return codes
    }

    /// Removes a user's second factor (a lost device): by an administrator of the user's
    /// authority, or a local administrator. If one is required, the user's next sign-in must enrol again.
    package func reset(_ login: String, as actor: Actor) throws(StoreError) {
        guard let user = try store.users.user(login) else { throw StoreError(.notFound, "no user \(login.prefix(64))") }
        try store.require(.manageUsers(authority: user.authority), as: actor, action: "second-factor.reset", target: login)
        try catalogue.write { connection throws(StoreError) in
            try connection.run("DELETE FROM second_factors WHERE login = ?", [login])
            try connection.run("DELETE FROM recovery_codes WHERE login = ?", [login])
            try store.audit(connection, actor: actor, action: "second-factor.reset", target: login, detail: nil)
        }
    }

    /// Checks a sign-in's second factor: a code from the app (never the same time step twice)
    /// or an unused recovery code (then used up). Called once the password was right.
    func verify(_ given: String, for login: String) throws(StoreError) -> Bool {
        guard let (secret, confirmed) = try storedSecret(of: login), confirmed else { return false }
        let digits = Self.digits(given)
        if digits.count == 6, let step = TOTP.matchingStep(of: digits, secret: secret) {
            return try catalogue.write { connection throws(StoreError) in
                try connection.run(
                    "UPDATE second_factors SET last_step = ? WHERE login = ? AND last_step < ?", [.integer(step), login.sqlValue, .integer(step)])
                return connection.changes == 1
            }
        }
        let digest = Secret.digest(Self.normalized(given))
        return try catalogue.write { connection throws(StoreError) in
            try connection.run(
                "UPDATE recovery_codes SET used_at = ? WHERE login = ? AND digest = ? AND used_at IS NULL", [Timestamp.now(), login, digest])
            return connection.changes == 1
        }
    }

    /// The confirmed (or, with `confirmed: false`, any) secret of a login.
    func secret(of login: String, confirmed: Bool) throws(StoreError) -> [UInt8]? {
        guard let (secret, isConfirmed) = try storedSecret(of: login), isConfirmed || !confirmed else { return nil }
        return secret
    }

    /// The secret of a login (opened with the secrets key) and whether it is confirmed.
    private func storedSecret(of login: String) throws(StoreError) -> ([UInt8], Bool)? {
        let stored = try catalogue.read { connection throws(StoreError) in
            try connection.first("SELECT secret, confirmed_at IS NOT NULL FROM second_factors WHERE login = ?", [login]) {
                ($0.blob(0), $0.int(1) == 1)
            }
        }
        guard let (sealed, confirmed) = stored else { return nil }
        return (try store.secretsKey.unseal(sealed, column: SecretsAtRest.totpColumn, row: login), confirmed)
    }

    private func ownUser(_ actor: Actor) throws(StoreError) -> User {
        guard case .user(let login, _, _) = actor, let user = try store.users.user(login), !user.disabled else {
            throw StoreError(.permissionDenied, "only a signed-in user enrols its own second factor")
        }
        return user
    }

    /// The digits of a code as typed ("123 456", "１２３４５６").
    static func digits(_ code: String) -> String {
        String(code.prefix(64).precomposedStringWithCompatibilityMapping.filter { $0.isASCII && $0.isNumber })
    }

    /// A recovery code as compared: letters and digits only, upper case.
    static func normalized(_ code: String) -> String {
        String(code.prefix(64).precomposedStringWithCompatibilityMapping.uppercased().filter { $0.isASCII && ($0.isLetter || $0.isNumber) })
    }

    /// Ten base32 characters (50 bits) as `XXXXX-XXXXX`.
    static func newRecoveryCode() -> String {
        let text = String(TOTP.base32(TOTP.newSecret()).prefix(10))
        return text.prefix(5) + "-" + text.suffix(5)
    }
}
