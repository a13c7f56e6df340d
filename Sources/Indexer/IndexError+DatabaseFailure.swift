package import SQLiteDB

/// A SQLite failure of the index file as an index error, with the message the Store gave it
/// when the index shared the Store's error type.
extension IndexError: DatabaseFailure {
    /// A file whose schema is newer than this build is an installation to upgrade; anything
    /// else is the storage's failure (the index writes with `INSERT OR IGNORE` and upserts,
    /// so a constraint failure there is no caller's conflict).
    package init(sqlite failure: SQLiteFailure) {
        switch failure.reason {
        case .newerSchema: self.init(.configuration, "\(failure); upgrade mimamori")
        case .call: self.init(.storage, failure.description)
        }
    }
}
