import Foundation
import SQLiteDB

/// One of a user's own browser sessions, as its owner sees them (never the secret id).
package struct SessionInfo: Sendable, Hashable {
    /// The first 16 hex digits of the id's digest: names the session without revealing it.
    package let reference: String
    package let createdAt: String
    package let lastSeenAt: String
    /// The session this list is read from.
    package let current: Bool
}

extension Sessions {
    /// The user's sessions that still work (not ended, neither idle nor too old), newest first.
    package func list(of session: BrowserSession) throws(StoreError) -> [SessionInfo] {
        let own = Secret.digest(session.id)
        let now = Date()
        return try catalogue.read { connection throws(StoreError) in
            try connection.query(
                "SELECT id_hash, created_at, last_seen_at FROM sessions WHERE login = ? AND ended_at IS NULL ORDER BY created_at DESC",
                [session.user.login]
            ) { row in
                SessionInfo(reference: String(row.text(0).prefix(16)), createdAt: row.text(1), lastSeenAt: row.text(2), current: row.text(0) == own)
            }
        }.filter { info in
            guard let created = Timestamp.date(info.createdAt), let seen = Timestamp.date(info.lastSeenAt) else { return false }
            return now.timeIntervalSince(created) < Self.sessionAbsoluteSeconds && now.timeIntervalSince(seen) < Self.sessionIdleSeconds
        }
    }

    /// Ends one of the user's own other sessions (a browser left signed in elsewhere); audited.
    /// A reference that is not one of the user's sessions is not found.
    package func end(reference: String, of session: BrowserSession) throws(StoreError) {
        guard reference.count == 16, reference.allSatisfy(\.isHexDigit) else { throw StoreError(.notFound, "no such session") }
        try catalogue.write { connection throws(StoreError) in
            try connection.run(
                "UPDATE sessions SET ended_at = ? WHERE login = ? AND substr(id_hash, 1, 16) = ? AND ended_at IS NULL",
                [Timestamp.now(), session.user.login, reference.lowercased()])
            guard connection.changes > 0 else { throw StoreError(.notFound, "no such session") }
            try store.audit(connection, actor: session.user.actor, action: "session.end", target: session.user.login, detail: "session=\(reference)")
        }
    }
}
