import Foundation
import SQLiteDB

/// A browser session as the sign-in answers it: the id goes into an HttpOnly cookie only.
package struct BrowserSession: Sendable {
    /// `mms_` and 256 random bits in hex; stored only as its digest.
    package let id: String
    package let user: User
    /// The user must have a second factor and has none yet: the session may only enrol one.
    package var enrolmentOnly = false
    /// The value a state-changing browser request must echo in `X-CSRF-Token`.
    package var csrfToken: String { Sessions.csrfToken(forSession: id) }
}

/// Browser sessions: a random id in an HttpOnly cookie, stored as its digest, ended after
/// idleness, age or sign-out.
package struct Sessions: StoreFeature {
    package let store: Store

    /// A session ends after this long without a request.
    package static let sessionIdleSeconds = 30 * 60.0
    /// And this long after sign-in, whatever happens.
    package static let sessionAbsoluteSeconds = 12 * 3600.0
    /// The last-seen time is written at most this often (a write per request would serialise reads).
    static let sessionTouchSeconds = 60.0

    /// Signs a user in for the browser (throttled and audited like every sign-in). A user who
    /// must have a second factor and has none gets a session that may only enrol one.
    /// - Returns: nil if the login, password or second factor is wrong or the user is disabled.
    /// - Throws: `.tooManyAttempts` while the login is locked; `.secondFactorNeeded` when the
    ///   user has a second factor and `secondFactor` is missing.
    package func start(login: String, password: String, secondFactor: String? = nil) throws(StoreError) -> BrowserSession? {
        guard let user = try store.users.authenticate(login: login, password: password, secondFactor: secondFactor) else { return nil }
        let status = try store.secondFactors.status(of: user)
        let enrolmentOnly = status.required && !status.enrolled
        let id = "mms_" + Secret.token().dropFirst(4)
        let now = Timestamp.now()
        try catalogue.write { connection throws(StoreError) in
            try connection.run(
                "INSERT INTO sessions (id_hash, login, created_at, last_seen_at, enrolment_only) VALUES (?, ?, ?, ?, ?)",
                [Secret.digest(id), user.login, now, now, enrolmentOnly ? 1 : 0])
        }
        return BrowserSession(id: id, user: user, enrolmentOnly: enrolmentOnly)
    }

    /// The session's user, if the session exists, has not ended, is neither idle nor too old,
    /// and its user is enabled.
    package func find(_ id: String) throws(StoreError) -> BrowserSession? {
        guard id.hasPrefix("mms_"), id.count == 68 else { return nil }
        let digest = Secret.digest(id)
        let now = Date()
        let found = try catalogue.read { connection throws(StoreError) in
            try connection.first(
                """
                SELECT \(User.columns("u.")), s.created_at, s.last_seen_at, s.enrolment_only FROM sessions s JOIN users u ON u.login = s.login
                WHERE s.id_hash = ? AND s.ended_at IS NULL AND u.disabled = 0
                """, [digest]
            ) { row in (User(row: row), row.text(6), row.text(7), row.int(8) == 1) }
        }
        guard let (user, created, lastSeen, enrolmentOnly) = found, let createdAt = Timestamp.date(created), let seenAt = Timestamp.date(lastSeen),
            now.timeIntervalSince(createdAt) < Self.sessionAbsoluteSeconds, now.timeIntervalSince(seenAt) < Self.sessionIdleSeconds
        else { return nil }
        if now.timeIntervalSince(seenAt) > Self.sessionTouchSeconds {
            try catalogue.write { connection throws(StoreError) in
                try connection.run("UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?", [Timestamp.string(now), digest])
            }
        }
        return BrowserSession(id: id, user: user, enrolmentOnly: enrolmentOnly)
    }

    /// Ends a session (sign-out); audited.
    package func end(_ id: String) throws(StoreError) {
        guard let session = try find(id) else { return }
        try catalogue.write { connection throws(StoreError) in
            try connection.run("UPDATE sessions SET ended_at = ? WHERE id_hash = ?", [Timestamp.now(), Secret.digest(id)])
            try store.audit(connection, actor: session.user.actor, action: "logout", target: session.user.login, detail: nil)
        }
    }

    /// The CSRF token of a session: derived from the secret id, so nothing more is stored,
    /// and a page on another site (which cannot read the cookie) cannot know it.
    static func csrfToken(forSession id: String) -> String {
        Secret.digest("csrf\u{0}" + id)
    }
}
