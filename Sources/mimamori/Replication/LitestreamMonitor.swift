import Foundation
import Logging
import Synchronization
import Web

/// Reads, every second, when Litestream last synced each database file to its replica, from
/// Litestream's control socket (`GET /list`: each database's path, state and `last_sync_at`,
/// https://litestream.io/reference/replicate/), and turns it into the per-file lag `/healthz`
/// reports (`ReplicationHealth`).
///
/// Litestream records a sync as successful only when the replica holds every transaction the
/// file had when the sync began, and syncs idle files on its interval too; so the time since a
/// file's last successful sync bounds what its replica lacks. The last sync seen is kept across
/// failed reads and Litestream restarts: a file whose replica stops confirming lags on.
final class LitestreamMonitor: Sendable {
    private let socket: String
    /// Files the configuration replicates (paths), reported `missing` until Litestream lists them.
    private let expected: [String]
    private let lagLimit: Double
    private let isRunning: @Sendable () -> Bool
    private let logger: Logger
    private let startedAt = Date()
    private let state = Mutex<State>(State())
    private let stopped = Atomic<Bool>(false)

    private struct State {
        /// Per file path: Litestream's state and its last successful sync.
        var files: [String: (state: String, lastSync: Date?)] = [:]
        var failing = false
    }

    /// - Parameters:
    ///   - socket: the control socket's path (`socket: {enabled: true, path: …}` in the configuration).
    ///   - expected: the database files (paths) the configuration replicates, if known.
    ///   - lagLimit: the lag, in seconds, above which `/healthz` says `degraded`.
    init(socket: String, expected: [String], lagLimit: Double, isRunning: @escaping @Sendable () -> Bool, logger: Logger) {
        self.socket = socket
        self.expected = expected
        self.lagLimit = lagLimit
        self.isRunning = isRunning
        self.logger = logger
    }

    /// Starts reading the socket every second, on a thread of its own.
    func start() {
        Thread.detachNewThread { [self] in
            while !stopped.load(ordering: .relaxed) {
                poll()
                usleep(1_000_000)
            }
        }
    }

    func stop() { stopped.store(true, ordering: .relaxed) }

    /// One read of the control socket; a failure is logged once until reads succeed again.
    func poll() {
        do {
            let listed = try Self.list(socket: socket)
            state.withLock { state in
                for database in listed {
                    let previous = state.files[database.path]?.lastSync
                    let lastSync = [previous, database.lastSync].compactMap(\.self).max()
                    state.files[database.path] = (database.status, lastSync)
                }
                state.failing = false
            }
        } catch {
            let first = state.withLock { state in
                defer { state.failing = true }
                return !state.failing
            }
            if first {
                logger.warning("litestream's control socket cannot be read; replication lag is unknown", metadata: ["error": "\(error)"])
            }
        }
    }

    /// The state `/healthz` reports now.
    func health(now: Date = Date()) -> ReplicationHealth {
        let files = state.withLock { $0.files }
        var entries: [ReplicationHealth.File] = []
        for path in Set(expected).union(files.keys).sorted() {
            let name = (path as NSString).lastPathComponent
            guard let file = files[path] else {
                entries.append(.init(name: name, state: "missing", lagSeconds: now.timeIntervalSince(startedAt), lastSync: nil))
                continue
            }
            let since = file.lastSync ?? startedAt
            entries.append(.init(name: name, state: file.state, lagSeconds: max(0, now.timeIntervalSince(since)), lastSync: file.lastSync))
        }
        return ReplicationHealth(running: isRunning(), lagLimitSeconds: lagLimit, files: entries)
    }

    /// One database as `GET /list` reports it.
    struct Database: Equatable {
        let path: String
        let status: String
        let lastSync: Date?
    }

    enum Failure: Error, CustomStringConvertible {
        case socket(String, Int32)
        case answer(String)

        var description: String {
            switch self {
            case .socket(let step, let code): "\(step): \(String(cString: strerror(code)))"
            case .answer(let what): what
            }
        }
    }

    /// `GET /list` on the control socket.
    static func list(socket path: String, timeout: Int = 2) throws -> [Database] {
        try parse(list: try get("/list", socket: path, timeout: timeout))
    }

    /// The databases of a `GET /list` body: `{"databases":[{"path":…,"status":…,"last_sync_at":…}]}`.
    static func parse(list body: [UInt8]) throws -> [Database] {
        struct Body: Decodable {
            struct Entry: Decodable {
                let path: String
                let status: String
                let lastSyncAt: String?

                enum CodingKeys: String, CodingKey {
                    case path, status
                    case lastSyncAt = "last_sync_at"
                }
            }
            let databases: [Entry]
        }
        let decoded: Body
        do { decoded = try JSONDecoder().decode(Body.self, from: Data(body)) } catch { throw Failure.answer("not a list of databases") }
        return decoded.databases.map { Database(path: $0.path, status: $0.status, lastSync: $0.lastSyncAt.flatMap(Self.date)) }
    }

    /// An RFC 3339 time as Go writes it (`2026-12-07T16:34:00.93421911Z`, `…+09:00`, fractions of
    /// 0–9 digits).
    static func date(_ text: String) -> Date? {
        guard let dot = text.firstIndex(of: ".") else { return try? Date(text, strategy: .iso8601) }
        let digits = text[text.index(after: dot)...].prefix { $0.isASCII && $0.isNumber }
        guard let whole = try? Date(String(text[..<dot]) + text[digits.endIndex...], strategy: .iso8601) else { return nil }
        return whole.addingTimeInterval(Double("0." + digits) ?? 0)
    }

    /// An HTTP/1.0 GET over a Unix socket (the server closes the connection after its answer);
    /// the body of a 200 answer.
    static func get(_ target: String, socket path: String, timeout: Int) throws -> [UInt8] {
        let descriptor = Glibc.socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw Failure.socket("socket", errno) }
        defer { close(descriptor) }
        var limit = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { throw Failure.answer("socket path too long") }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard connected == 0 else { throw Failure.socket("connect", errno) }
        let request = Array("GET \(target) HTTP/1.0\r\nHost: litestream\r\n\r\n".utf8)
        var sent = 0
        while sent < request.count {
            let count = request[sent...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else { throw Failure.socket("write", errno) }
            sent += count
        }
        var answer: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16 << 10)
        while answer.count < 4 << 20 {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count == 0 { break }
            guard count > 0 else { throw Failure.socket("read", errno) }
            answer += buffer[..<count]
        }
        let separator = Array("\r\n\r\n".utf8)
        guard let end = answer.indices.first(where: { answer[$0...].starts(with: separator) }) else { throw Failure.answer("no HTTP answer") }
        let statusLine = String(decoding: answer[..<end].prefix { $0 != 13 }, as: UTF8.self)
        guard statusLine.split(separator: " ").dropFirst().first == "200" else { throw Failure.answer("answered \(statusLine)") }
        return Array(answer[(end + separator.count)...])
    }
}
