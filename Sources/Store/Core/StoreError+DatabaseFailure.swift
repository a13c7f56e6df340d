package import SQLiteDB

/// A SQLite failure as a Store error, with the message the Store has always given.
extension StoreError: DatabaseFailure {
    /// A statement refused by a constraint is a conflict (a key already taken); a file whose
    /// schema is newer than this build is an installation to upgrade; anything else, including
    /// a failed script (`sqlite3_exec`: schema, `BEGIN`, `COMMIT`), is the storage's failure.
    package init(sqlite failure: SQLiteFailure) {
        switch failure.reason {
        case .newerSchema:
            self.init(.configuration, "\(failure); upgrade mimamori")
        case .call(let function, _) where function != .exec && failure.isConstraintViolation:
            self.init(.conflict, failure.description)
        case .call:
            self.init(.storage, failure.description)
        }
    }
}
