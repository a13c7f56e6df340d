import CSQLite

/// A copy of several database files as they all were at one instant, taken with SQLite's
/// online backup API while other connections (in this process or others) keep reading and
/// writing them.
///
/// The instant: one connection per file takes the file's write lock (`BEGIN IMMEDIATE`), in
/// the order given, so no writer anywhere is inside a transaction of any of the files; then a
/// read transaction is opened on each file; then the write locks are released. Each read
/// transaction sees exactly the transactions committed before the instant (WAL snapshots), and
/// the backup copies each file from inside its read transaction, so the copies hold the same
/// state as the files would after a power cut at that instant. Writers wait only while the
/// locks are taken (milliseconds), not for the copy.
///
/// See https://www.sqlite.org/backup.html, https://www.sqlite.org/c3ref/backup_finish.html and
/// https://www.sqlite.org/wal.html ("Concurrency").
package enum ConsistentCopy {
    /// Copies each `source` file to its `destination` (which must not exist).
    /// - Parameters:
    ///   - atInstant: called while every write lock is held (after every read transaction is
    ///     open), e.g. to check that the set of files did not change meanwhile; returning false
    ///     abandons the copy before anything is written, and `copy` returns false.
    ///   - reading: called with each file's index and its reader, inside the snapshot that is
    ///     copied (to read facts about the copy, such as the last audit row).
    /// - Returns: whether the copy was made.
    /// - Throws: the caller's error for a failed SQLite call (a lock not taken within the busy
    ///   timeout, a full disk).
    package static func copy<Failure: DatabaseFailure>(
        _ files: [(source: String, destination: String)], as failure: Failure.Type, atInstant: () -> Bool = { true },
        reading: (Int, Connection<Failure>) throws(Failure) -> Void = { _, _ in }
    ) throws(Failure) -> Bool {
        var lockers: [Connection<Failure>] = []
        var readers: [Connection<Failure>] = []
        defer {
            for locker in lockers { try? locker.execute("ROLLBACK") }
            for reader in readers { try? reader.execute("COMMIT") }
        }
        for file in files {
            // Never a checkpoint from here (on close either): Litestream may own them.
            let locker = try Connection<Failure>(path: file.source, readOnly: false, checkpoints: .external)
            try locker.execute("BEGIN IMMEDIATE")
            lockers.append(locker)
        }
        for file in files {
            let reader = try Connection<Failure>(path: file.source, readOnly: true, checkpoints: .external)
            try reader.execute("BEGIN DEFERRED")
            // A read transaction starts at its first read: this one pins the snapshot now.
            _ = try reader.first("SELECT count(*) FROM sqlite_schema") { $0.int(0) }
            readers.append(reader)
        }
        guard atInstant() else { return false }
        for locker in lockers { try locker.execute("ROLLBACK") }
        lockers.removeAll()
        for (index, (reader, file)) in zip(readers, files).enumerated() {
            try reading(index, reader)
            try backup(from: reader, to: file.destination)
        }
        return true
    }

    /// Copies the whole of `source` (inside its open read transaction) into a new file.
    private static func backup<Failure: DatabaseFailure>(from source: Connection<Failure>, to path: String) throws(Failure) {
        var handle: OpaquePointer?
        let code = sqlite3_open_v2(path, &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_EXRESCODE, nil)
        defer { sqlite3_close_v2(handle) }
        guard code == SQLITE_OK, let handle else {
            throw Failure(sqlite: SQLiteFailure(.call(.open, code: code), path: path, message: "cannot create the copy"))
        }
        guard let backup = sqlite3_backup_init(handle, "main", source.handle, "main") else {
            throw Failure(
                sqlite: SQLiteFailure(
                    .call(.backup, code: sqlite3_extended_errcode(handle)), path: path, message: String(cString: sqlite3_errmsg(handle))))
        }
        // One step copies every page: the source's read transaction keeps its snapshot for the copy.
        let stepped = sqlite3_backup_step(backup, -1)
        let finished = sqlite3_backup_finish(backup)
        guard stepped == SQLITE_DONE, finished == SQLITE_OK else {
            throw Failure(
                sqlite: SQLiteFailure(
                    .call(.backup, code: stepped == SQLITE_DONE ? finished : stepped), path: path,
                    message: String(cString: sqlite3_errmsg(handle))))
        }
    }
}
