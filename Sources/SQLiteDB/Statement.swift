import CSQLite

/// A prepared SQLite statement. Owned by one `Connection` and used on its thread only.
///
/// The per-row methods (`step` and the column readers) are inlinable: they are one C call
/// each, made for every row and column of every search, from the Store's and the Indexer's
/// modules. See https://www.sqlite.org/c3ref/stmt.html and https://www.sqlite.org/c3ref/column_blob.html.
package final class Statement<Failure: DatabaseFailure> {
    @usableFromInline let handle: OpaquePointer
    package let sql: String
    @usableFromInline unowned let connection: Connection<Failure>

    init(connection: Connection<Failure>, sql: String) throws(Failure) {
        var handle: OpaquePointer?
        let code = sqlite3_prepare_v3(connection.handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &handle, nil)
        guard code == SQLITE_OK, let handle else {
            sqlite3_finalize(handle)
            throw connection.failure(code, .prepare, sql: sql)
        }
        self.handle = handle
        self.sql = sql
        self.connection = connection
    }

    deinit {
        sqlite3_finalize(handle)
    }

    /// Resets the statement and binds `values` to its parameters `?1`, `?2`, ...
    ///
    /// See https://www.sqlite.org/c3ref/bind_blob.html.
    package func bind(_ values: [any SQLBindable]) throws(Failure) {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            switch value.sqlValue {
            case .null: try check(sqlite3_bind_null(handle, index))
            case .integer(let integer): try check(sqlite3_bind_int64(handle, index, integer))
            case .real(let real): try check(sqlite3_bind_double(handle, index, real))
            case .text(let text): try check(sqlite3_bind_text(handle, index, text, -1, csqlite_transient()))
            case .blob(let bytes): try bind(index, blob: bytes)
            }
        }
    }

    // Binding parameter by parameter: a bulk insert (the search index's persons and their
    // exact keys, millions of rows in an import) binds each row's values directly instead of
    // building an array of `any SQLBindable` per row, which allocated and converted each value.

    /// Binds an integer to parameter `index` (from 1), replacing what was bound there.
    @inlinable
    package func bind(_ index: Int32, _ value: Int) throws(Failure) {
        try check(sqlite3_bind_int64(handle, index, Int64(value)))
    }

    /// Binds a text, or NULL for nil, to parameter `index` (from 1).
    @inlinable
    package func bind(_ index: Int32, _ value: String?) throws(Failure) {
        guard var value else { return try check(sqlite3_bind_null(handle, index)) }
        let code = value.withUTF8 { bytes -> Int32 in
            // An empty string has no storage: bind it from a C literal, not as NULL.
            guard let base = bytes.baseAddress else { return sqlite3_bind_text(handle, index, "", 0, csqlite_transient()) }
            return sqlite3_bind_text(
                handle, index, UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self), Int32(bytes.count), csqlite_transient())
        }
        try check(code)
    }

    /// Binds a BLOB to parameter `index` (from 1).
    @inlinable
    package func bind(_ index: Int32, blob: [UInt8]) throws(Failure) {
        try check(blob.withUnsafeBytes { sqlite3_bind_blob(handle, index, $0.baseAddress, Int32($0.count), csqlite_transient()) })
    }

    /// Runs the statement with the values bound by `bind(_:_:)` (it returns no rows), then
    /// resets it for the next row; the bindings stay until replaced.
    @inlinable
    package func runBound() throws(Failure) {
        while try step() {}
        sqlite3_reset(handle)
    }

    @usableFromInline
    func check(_ code: Int32) throws(Failure) {
        guard code == SQLITE_OK else { throw connection.failure(code, .bind, sql: sql) }
    }

    /// Advances to the next row; `false` when the statement is done.
    ///
    /// See https://www.sqlite.org/c3ref/step.html.
    @inlinable
    package func step() throws(Failure) -> Bool {
        let code = sqlite3_step(handle)
        switch code {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            sqlite3_reset(handle)
            throw connection.failure(code, .step, sql: sql)
        }
    }

    @inlinable
    package func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }
    @inlinable
    package func int(_ column: Int32) -> Int { Int(sqlite3_column_int64(handle, column)) }
    @inlinable
    package func double(_ column: Int32) -> Double { sqlite3_column_double(handle, column) }

    @inlinable
    package func text(_ column: Int32) -> String {
        guard let bytes = sqlite3_column_text(handle, column) else { return "" }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }

    @inlinable
    package func optionalText(_ column: Int32) -> String? { isNull(column) ? nil : text(column) }
    @inlinable
    package func optionalInt(_ column: Int32) -> Int? { isNull(column) ? nil : int(column) }

    /// Calls `body` with the bytes of a BLOB column, valid only during the call (no copy).
    @inlinable
    package func withBlob<T>(_ column: Int32, _ body: (UnsafeRawBufferPointer) -> T) -> T {
        let count = Int(sqlite3_column_bytes(handle, column))
        guard count > 0, let bytes = sqlite3_column_blob(handle, column) else { return body(UnsafeRawBufferPointer(start: nil, count: 0)) }
        return body(UnsafeRawBufferPointer(start: bytes, count: count))
    }

    /// The number of columns of the statement's rows.
    package var columnCount: Int32 { sqlite3_column_count(handle) }

    /// The name of a result column.
    package func columnName(_ column: Int32) -> String { sqlite3_column_name(handle, column).map { String(cString: $0) } ?? "" }

    /// A column's value as stored (its storage class kept: a BLOB stays a BLOB).
    package func value(_ column: Int32) -> SQLValue {
        switch sqlite3_column_type(handle, column) {
        case SQLITE_NULL: .null
        case SQLITE_INTEGER: .integer(sqlite3_column_int64(handle, column))
        case SQLITE_FLOAT: .real(sqlite3_column_double(handle, column))
        case SQLITE_BLOB: .blob(blob(column))
        default: .text(text(column))
        }
    }

    @inlinable
    package func blob(_ column: Int32) -> [UInt8] {
        let count = Int(sqlite3_column_bytes(handle, column))
        guard count > 0, let bytes = sqlite3_column_blob(handle, column) else { return [] }
        return Array(UnsafeRawBufferPointer(start: bytes, count: count))
    }
}
