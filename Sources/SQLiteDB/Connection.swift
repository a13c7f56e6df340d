import CSQLite

/// One SQLite connection. Not thread-safe: a `Database` hands it to one caller at a time.
/// Generic over the caller's error type, so the closures it runs throw one typed error.
///
/// See https://www.sqlite.org/c3ref/open.html and https://www.sqlite.org/wal.html.
package final class Connection<Failure: DatabaseFailure> {
    @usableFromInline let handle: OpaquePointer
    package let path: String
    private var cache: [String: Statement<Failure>] = [:]

    /// Opens (and for writers, creates) the database file at `path`.
    /// - Parameters:
    ///   - checkpoints: `.external` turns automatic checkpoints and the checkpoint on close off.
    ///   - pageSize: the page size of a file this creates (SQLite's default, 4096, when nil).
    ///   - synchronous: when a commit reaches the disk.
    init(
        path: String, readOnly: Bool, checkpoints: CheckpointOwner = .application, pageSize: Int? = nil, synchronous: Synchronous = .full
    ) throws(Failure) {
        var handle: OpaquePointer?
        let flags =
            (readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
            | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE
        let code = sqlite3_open_v2(path, &handle, flags, nil)
        guard code == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close_v2(handle)
            throw Failure(sqlite: SQLiteFailure(.call(.open, code: code), path: path, message: message))
        }
        self.handle = handle
        self.path = path
        sqlite3_busy_timeout(handle, 10_000)
        _ = csqlite_db_config_flag(handle, SQLITE_DBCONFIG_DEFENSIVE, 1)
        _ = csqlite_db_config_flag(handle, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0)
        if checkpoints == .external { _ = csqlite_db_config_flag(handle, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1) }
        // Durability: every committed transaction is on disk before COMMIT returns (unless
        // the file is one derived from others, `Synchronous.normal`).
        try execute("PRAGMA foreign_keys = ON; PRAGMA synchronous = \(synchronous.rawValue);")
        if !readOnly {
            // A new file gives back the pages deleted rows free (`Database.reclaimFreePages`);
            // this must be set before anything, the WAL switch included, writes page 1.
            if try first("PRAGMA page_count", [], { $0.int(0) }) == 0 {
                // The page size first: after `auto_vacuum`, SQLite keeps its default.
                if let pageSize { try execute("PRAGMA page_size = \(pageSize);") }
                try execute("PRAGMA auto_vacuum = INCREMENTAL;")
            }
            try execute("PRAGMA journal_mode = WAL; PRAGMA cache_size = -32768;")
            if checkpoints == .external {
                try execute("PRAGMA wal_autocheckpoint = 0;")
            } else {
                // A WAL is reused from its start once checkpointed, but never shrinks by itself:
                // cut it back to 16 MiB when it is, so that a file keeps no WAL the size of its
                // largest transaction (a bulk import's apply step) while it stays open.
                try execute("PRAGMA journal_size_limit = 16777216;")
            }
        }
    }

    deinit {
        cache.removeAll()
        sqlite3_close_v2(handle)
    }

    /// Runs one or more SQL statements that take no parameters.
    ///
    /// See https://www.sqlite.org/c3ref/exec.html.
    package func execute(_ sql: String) throws(Failure) {
        var message: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(handle, sql, nil, nil, &message)
        if code != SQLITE_OK {
            let text = message.map { String(cString: $0) } ?? String(cString: sqlite3_errstr(code))
            sqlite3_free(message)
            throw Failure(sqlite: SQLiteFailure(.call(.exec, code: code), path: path, message: text, sql: sql))
        }
    }

    /// Returns a cached prepared statement for `sql`, with `values` bound.
    package func prepare(_ sql: String, _ values: [any SQLBindable] = []) throws(Failure) -> Statement<Failure> {
        let statement: Statement<Failure>
        if let cached = cache[sql] {
            statement = cached
        } else {
            statement = try Statement(connection: self, sql: sql)
            cache[sql] = statement
        }
        try statement.bind(values)
        return statement
    }

    // `run`, `query` and `first` are inlinable so that callers in other modules specialize
    // them for their error and row types and inline the row closure (they are the search's
    // hot path, and were specialized when the wrapper lived inside the Store).

    /// Runs a statement that returns no rows.
    @inlinable
    package func run(_ sql: String, _ values: [any SQLBindable] = []) throws(Failure) {
        try prepare(sql, values).runBound()
    }

    /// Runs a statement from `prepare` again with other values and no rows: for a loop over
    /// many rows, which would otherwise look its statement up by the SQL text (hashing it) each time.
    @inlinable
    package func run(_ statement: Statement<Failure>, _ values: [any SQLBindable]) throws(Failure) {
        try statement.bind(values)
        try statement.runBound()
    }

    /// Runs a query and maps each row.
    @inlinable
    package func query<T>(
        _ sql: String, _ values: [any SQLBindable] = [], _ row: (Statement<Failure>) throws(Failure) -> T
    ) throws(Failure) -> [T] {
        let statement = try prepare(sql, values)
        defer { sqlite3_reset(statement.handle) }
        var rows: [T] = []
        while try statement.step() {
            rows.append(try row(statement))
        }
        return rows
    }

    /// The first row of a query, mapped, or `nil`.
    @inlinable
    package func first<T>(
        _ sql: String, _ values: [any SQLBindable] = [], _ row: (Statement<Failure>) throws(Failure) -> T
    ) throws(Failure) -> T? {
        let statement = try prepare(sql, values)
        defer { sqlite3_reset(statement.handle) }
        return try statement.step() ? row(statement) : nil
    }

    /// Rows changed by the last INSERT, UPDATE or DELETE.
    package var changes: Int { Int(sqlite3_changes(handle)) }

    /// Runs `body` inside `BEGIN IMMEDIATE … COMMIT`, rolling back if it throws.
    ///
    /// See https://www.sqlite.org/lang_transaction.html.
    package func transaction<T>(_ body: () throws(Failure) -> T) throws(Failure) -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    /// Runs `body` inside a read transaction, so it sees one consistent snapshot.
    package func snapshot<T>(_ body: () throws(Failure) -> T) throws(Failure) -> T {
        try execute("BEGIN DEFERRED")
        defer { try? execute("COMMIT") }
        return try body()
    }

    /// The caller's error for a failed call on a statement of this connection, with SQLite's
    /// message for it. Not inlinable: the cold path of the inlinable `step`.
    @usableFromInline
    func failure(_ code: Int32, _ function: SQLiteFailure.Function, sql: String) -> Failure {
        let message = String(cString: sqlite3_errmsg(handle))
        return Failure(sqlite: SQLiteFailure(.call(function, code: code), path: path, message: message, sql: sql))
    }
}
