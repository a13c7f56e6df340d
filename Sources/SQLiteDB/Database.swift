import Glibc
import Synchronization

/// One database file: a single serialized writer connection and a pool of read-only
/// connections (WAL mode lets readers run beside the writer). Generic over the caller's
/// error type (`DatabaseFailure`): the Store opens `Database<StoreError>`, the Indexer
/// `Database<IndexError>`.
///
/// See https://www.sqlite.org/wal.html ("Concurrency").
package final class Database<Failure: DatabaseFailure>: Sendable {
    package let path: String
    private let writer: Mutex<Connection<Failure>>
    private let idleReaders: Mutex<[Connection<Failure>]>
    private let maxIdleReaders: Int
    private let readerPragmas: String?
    private let checkpoints: CheckpointOwner

    /// Opens the file, creating it, and brings its schema up to date.
    /// - Parameters:
    ///   - readerPragmas: run on each new read-only connection (a larger page cache,
    ///     memory-mapped reads), for files read far more than written.
    ///   - checkpoints: `.external` while Litestream replicates the file (it checkpoints).
    ///   - pageSize: the page size of a new file (SQLite's default, 4096, when nil).
    ///   - synchronous: when the writer's commits reach the disk.
    package init(
        path: String, migrations: [Migration], maxIdleReaders: Int = 4, readerPragmas: String? = nil, checkpoints: CheckpointOwner = .application,
        pageSize: Int? = nil, synchronous: Synchronous = .full
    ) throws(Failure) {
        let connection = try Connection<Failure>(
            path: path, readOnly: false, checkpoints: checkpoints, pageSize: pageSize, synchronous: synchronous)
        try Migrator(migrations).migrate(connection)
        self.path = path
        self.writer = Mutex(connection)
        self.idleReaders = Mutex([])
        self.maxIdleReaders = maxIdleReaders
        self.readerPragmas = readerPragmas
        self.checkpoints = checkpoints
    }

    /// Runs `body` in one write transaction (`BEGIN IMMEDIATE`), serialized with every other
    /// writer of this file in this process (and, through SQLite's lock, in other processes).
    package func write<T: Sendable>(_ body: (Connection<Failure>) throws(Failure) -> T) throws(Failure) -> T {
        try writer.withLock { connection throws(Failure) -> T in
            try connection.transaction { () throws(Failure) -> T in try body(connection) }
        }
    }

    deinit {
        // Readers close first: the last connection to close checkpoints the WAL into the file
        // and removes it, which a read-only connection cannot do.
        idleReaders.withLock { $0.removeAll() }
        guard checkpoints == .application else { return }
        writer.withLock { try? $0.execute("PRAGMA wal_checkpoint(TRUNCATE)") }
    }

    /// Returns free pages to the file system (after a bulk delete, such as applied staged rows).
    package func reclaimFreePages() throws(Failure) {
        try writer.withLock { connection throws(Failure) in try connection.execute("PRAGMA incremental_vacuum") }
    }

    /// Gives back the memory this file's connections hold between uses: the writer's page
    /// cache (up to 32 MiB, `Connection`) and the idle readers (closed; the next read opens
    /// one). For files written in turn by a bulk job (an import stages and applies in each of
    /// 47 partitions): otherwise every file keeps a full cache after its turn, and the
    /// process's memory grows with the number of files written instead of the one being
    /// written.
    ///
    /// See https://www.sqlite.org/pragma.html#pragma_shrink_memory.
    package func releaseMemory() throws(Failure) {
        idleReaders.withLock { $0.removeAll() }
        try writer.withLock { connection throws(Failure) in try connection.execute("PRAGMA shrink_memory") }
    }

    /// Copies the WAL into the file and truncates it, if it has grown beyond `bytes` (after
    /// a large write, such as an import's apply step) and this process owns checkpoints.
    /// SQLite's automatic checkpoints copy the WAL but never shrink it: a file keeps a WAL
    /// the size of its largest transaction until it closes.
    package func checkpoint(ifWALExceeds bytes: Int) throws(Failure) {
        guard checkpoints == .application else { return }
        var status = stat()
        guard stat(path + "-wal", &status) == 0, Int(status.st_size) > bytes else { return }
        try writer.withLock { connection throws(Failure) in try connection.execute("PRAGMA wal_checkpoint(TRUNCATE)") }
    }

    /// Runs `body` on a read-only connection inside one read transaction (a snapshot).
    package func read<T: Sendable>(_ body: (Connection<Failure>) throws(Failure) -> T) throws(Failure) -> T {
        let pooled = idleReaders.withLock { $0.popLast() }
        let connection: Connection<Failure>
        if let pooled {
            connection = pooled
        } else {
            connection = try Connection(path: path, readOnly: true, checkpoints: checkpoints)
            if let readerPragmas { try connection.execute(readerPragmas) }
        }
        defer {
            idleReaders.withLock { idle in
                if idle.count < maxIdleReaders { idle.append(connection) }
            }
        }
        return try connection.snapshot { () throws(Failure) -> T in try body(connection) }
    }
}

// Safe because a `Connection` is only ever used by one thread at a time: the writer only
// inside `writer.withLock`, a reader only between being popped from `idleReaders` and being
// pushed back, and neither escapes those scopes (`write`/`read` never hand it out).
extension Connection: @unchecked Sendable {}
