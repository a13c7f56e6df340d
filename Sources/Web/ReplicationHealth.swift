package import Foundation

/// What `GET /healthz` says about continuous replication (Litestream) while `serve` replicates:
/// whether Litestream runs and, per replicated database file, how far its replica may be behind.
///
/// A file's lag is the time since its replica last confirmed holding the file's whole local
/// position (Litestream's last successful sync of it, which it makes every second or two even
/// when nothing was written): every write older than the lag plus about a second (Litestream
/// reads the WAL every second) is on the replica. The status is `degraded` (still serving) when
/// Litestream is down, a file's lag exceeds the limit, a file is not being replicated, or its
/// replica has not confirmed it yet (until then its lag counts from the start of monitoring).
package struct ReplicationHealth: Sendable {
    /// One replicated database file.
    package struct File: Sendable, Equatable {
        /// The file's name in the data folder (`catalogue.sqlite`, `pref-13.sqlite`).
        package let name: String
        /// Litestream's state of it: `replicating`; `open` or `stopped` (not replicating);
        /// `missing` (a file the configuration replicates that Litestream does not report).
        package let state: String
        /// Seconds since the replica last confirmed the file's whole local position.
        package let lagSeconds: Double
        /// When it did, if it has since Litestream started.
        package let lastSync: Date?

        package init(name: String, state: String, lagSeconds: Double, lastSync: Date?) {
            self.name = name
            self.state = state
            self.lagSeconds = lagSeconds
            self.lastSync = lastSync
        }
    }

    /// Whether the Litestream process is running.
    package let running: Bool
    /// The lag above which a file makes the status `degraded`.
    package let lagLimitSeconds: Double
    /// Every replicated file, by name; nil when Litestream's control socket is not read (a
    /// configuration of the operator's own without `--litestream-socket`).
    package let files: [File]?

    package init(running: Bool, lagLimitSeconds: Double, files: [File]?) {
        self.running = running
        self.lagLimitSeconds = lagLimitSeconds
        self.files = files
    }

    /// The files that make the status `degraded`: not replicating, not yet confirmed by their
    /// replica since Litestream started (its first snapshot of the file is still on its way: the
    /// replica may not hold the file at all), or lagging beyond the limit.
    package var lagging: [String] {
        (files ?? []).filter { $0.state != "replicating" || $0.lastSync == nil || $0.lagSeconds > lagLimitSeconds }.map(\.name)
    }

    /// Whether everything replicates within the limit.
    package var isHealthy: Bool { running && lagging.isEmpty }

    /// The body of `GET /healthz`: `status` and `replication` as before, plus the limit, the
    /// largest lag, and each file (keys sorted, lags in milliseconds' precision).
    var json: String {
        struct Body: Encodable {
            let status: String
            let replication: String
            let lagLimitSeconds: Double
            let maxLagSeconds: Double?
            let lagging: [String]?
            let files: [Entry]?

            enum CodingKeys: String, CodingKey {
                case status, replication, lagging, files
                case lagLimitSeconds = "lag_limit_seconds"
                case maxLagSeconds = "max_lag_seconds"
            }
        }
        struct Entry: Encodable {
            let file: String
            let state: String
            let lagSeconds: Double
            let lastSync: String?

            enum CodingKeys: String, CodingKey {
                case file, state
                case lagSeconds = "lag_seconds"
                case lastSync = "last_sync"
            }
        }
        let milliseconds = { (seconds: Double) in (seconds * 1000).rounded() / 1000 }
        let timestamp = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        let entries = files?.map {
            Entry(file: $0.name, state: $0.state, lagSeconds: milliseconds($0.lagSeconds), lastSync: $0.lastSync?.formatted(timestamp))
        }
        let body = Body(
            status: isHealthy ? "ok" : "degraded", replication: running ? "running" : "down", lagLimitSeconds: lagLimitSeconds,
            maxLagSeconds: files.flatMap { $0.map(\.lagSeconds).max() }.map(milliseconds), lagging: files == nil ? nil : lagging,
            files: entries)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(body) else { return #"{"replication":"unknown","status":"degraded"}"# }
        return String(decoding: data, as: UTF8.self)
    }
}
