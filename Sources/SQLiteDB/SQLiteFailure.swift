import CSQLite

/// What went wrong in SQLite: the call that failed, its result code and message, and the SQL.
/// A `DatabaseFailure` turns it into the caller's error; its `description` is the message
/// the Store has always shown.
///
/// See https://www.sqlite.org/rescode.html (extended result codes are on:
/// `SQLITE_OPEN_EXRESCODE`) and https://www.sqlite.org/c3ref/errcode.html.
package struct SQLiteFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// The C functions whose return code the wrapper checks.
    package enum Function: String, Sendable, Hashable {
        case open = "sqlite3_open_v2"
        /// Runs a script: schema, pragmas and transaction control (`BEGIN`, `COMMIT`).
        case exec = "sqlite3_exec"
        case prepare = "sqlite3_prepare_v3"
        case bind = "sqlite3_bind"
        case step = "sqlite3_step"
        /// Copies a database (`sqlite3_backup_init`, `_step`, `_finish`).
        case backup = "sqlite3_backup_step"
    }

    package enum Reason: Sendable, Hashable {
        /// `function` returned `code`, an extended result code.
        case call(Function, code: Int32)
        /// The file's schema version (`found`) is newer than the migrations this build knows.
        case newerSchema(found: Int, known: Int)
    }

    package let reason: Reason
    /// The database file.
    package let path: String
    /// SQLite's own message (`sqlite3_errmsg`), or the wrapper's for `newerSchema`.
    package let message: String
    /// The SQL that failed (none for `open` and `newerSchema`).
    package let sql: String?

    package init(_ reason: Reason, path: String, message: String, sql: String? = nil) {
        self.reason = reason
        self.path = path
        self.message = message
        self.sql = sql
    }

    /// The extended result code, for a failed call.
    package var code: Int32? {
        if case .call(_, let code) = reason { code } else { nil }
    }

    /// Whether a constraint (UNIQUE, CHECK, FOREIGN KEY, NOT NULL…) refused the change: the
    /// primary result code `SQLITE_CONSTRAINT`, whatever its extended code.
    package var isConstraintViolation: Bool { code.map { $0 & 0xff == SQLITE_CONSTRAINT } ?? false }

    package var description: String {
        switch reason {
        case .call(let function, _):
            if let sql {
                "\(function.rawValue) failed: \(message) (SQL: \(sql.prefix(200)))"
            } else {
                "\(function.rawValue)(\(path)) failed: \(message)"
            }
        case .newerSchema: "\(path) \(message)"
        }
    }
}

/// `SQLiteFailure` is its own `DatabaseFailure`, for a database used without a caller's error type.
extension SQLiteFailure: DatabaseFailure {
    package init(sqlite: SQLiteFailure) { self = sqlite }
}
