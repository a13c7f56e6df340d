/// An error type a `Database` throws: the caller's own (the Store's `StoreError`, the
/// Indexer's `IndexError`), so that closures run in a transaction throw one typed error and
/// a SQLite failure arrives already in the caller's terms.
///
/// The wrapper is generic over it rather than throwing `SQLiteFailure` because every caller
/// mixes its own errors with SQLite's inside the same `throws(Failure)` closure.
package protocol DatabaseFailure: Error {
    /// The caller's error for a failure of SQLite (or of the schema's version).
    init(sqlite: SQLiteFailure)
}
