import Foundation
import Logging
import Synchronization

/// `litestream replicate` running beside `serve`: started with the store, restarted five
/// seconds after it exits unexpectedly (logged: while it is down nothing replicates and, as
/// it owns checkpointing, the WAL grows), stopped with SIGTERM (then SIGKILL after ten
/// seconds) when `serve` stops. Its own log lines go to standard error as it writes them.
///
/// See https://litestream.io/reference/replicate/.
final class LitestreamProcess: Sendable {
    private let executable: URL
    private let configuration: URL
    private let logger: Logger
    private let state = Mutex<State>(State())

    private struct State {
        var process: Process?
        var stopping = false
        var starts = 0
    }

    init(executable: URL, configuration: URL, logger: Logger) {
        self.executable = executable
        self.configuration = configuration
        self.logger = logger
    }

    /// Finds the Litestream executable: `explicit`, else `litestream` on the PATH, else the
    /// project's tool folder (`make setup`: .tools/venv/bin/litestream) under the current folder.
    static func locate(explicit: String?) -> URL? {
        if let explicit { return FileManager.default.isExecutableFile(atPath: explicit) ? URL(fileURLWithPath: explicit) : nil }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for folder in path.split(separator: ":").map(String.init) + [".tools/venv/bin"] {
            let candidate = URL(fileURLWithPath: folder).appendingPathComponent("litestream")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate.standardizedFileURL }
        }
        return nil
    }

    /// Whether Litestream is running now.
    var isRunning: Bool { state.withLock { $0.process?.isRunning ?? false } }

    /// Starts Litestream. - Throws: when the executable cannot be started at all.
    func start() throws {
        let process = Process()
        process.executableURL = executable
        process.arguments = ["replicate", "-no-expand-env", "-config", configuration.path]
        process.standardOutput = FileHandle.standardError
        process.standardError = FileHandle.standardError
        process.terminationHandler = { [weak self] ended in self?.ended(ended) }
        try state.withLock { state in
            guard !state.stopping else { return }
            try process.run()
            state.process = process
            state.starts += 1
        }
        logger.notice("litestream replicating", metadata: ["pid": "\(process.processIdentifier)", "config": "\(configuration.path)"])
    }

    private func ended(_ process: Process) {
        let stopping = state.withLock { $0.stopping }
        guard !stopping else { return }
        logger.error(
            "litestream exited; restarting in 5 s (nothing replicates meanwhile)",
            metadata: ["status": "\(process.terminationStatus)", "pid": "\(process.processIdentifier)"])
        DispatchQueue.global().asyncAfter(deadline: .now() + 5) { [weak self] in
            do { try self?.start() } catch { self?.logger.error("litestream could not be restarted", metadata: ["error": "\(error)"]) }
        }
    }

    /// Stops Litestream (its last sync included) and waits for it.
    func stop() {
        let process = state.withLock { state -> Process? in
            state.stopping = true
            return state.process
        }
        guard let process, process.isRunning else { return }
        process.terminate()
        let deadline = Date().addingTimeInterval(10)
        while process.isRunning, Date() < deadline { usleep(50_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }
}
