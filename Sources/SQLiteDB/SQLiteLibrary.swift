import CSQLite

/// Facts about the linked SQLite library.
package enum SQLiteLibrary {
    /// The version of the SQLite library the process runs against, e.g. "3.40.1".
    package static var version: String { String(cString: sqlite3_libversion()) }

    /// Whether the linked SQLite was compiled with FTS5, which the search index needs.
    package static var hasFTS5: Bool { sqlite3_compileoption_used("ENABLE_FTS5") == 1 }
}
