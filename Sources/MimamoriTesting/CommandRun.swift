package import Foundation

/// Runs the real `mimamori` executable, as a user or script would.
package struct CommandRun: Sendable {
    package let status: Int32
    package let killedBySignal: Bool
    package let standardOutput: String
    package let standardError: String

    /// Runs `mimamori arguments…` to completion with extra environment variables.
    package static func mimamori(_ arguments: [String], environment: [String: String] = [:]) throws -> CommandRun {
        let process = try start(arguments, environment: environment)
        return finish(process)
    }

    /// Runs another program (one of the project's scripts) to completion.
    package static func program(_ executable: URL, _ arguments: [String]) throws -> CommandRun {
        finish(try start(arguments, executable: executable))
    }

    /// Starts `mimamori arguments…` (or another executable) without waiting, so a test can kill it.
    package static func start(
        _ arguments: [String], environment: [String: String] = [:], executable: URL = TestStore.executable
    ) throws -> RunningCommand {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        return RunningCommand(process: process, output: output, error: error)
    }

    package static func finish(_ running: RunningCommand) -> CommandRun {
        // Read before waiting, so a full pipe cannot block the child.
        let out = running.output.fileHandleForReading.readDataToEndOfFile()
        let err = running.error.fileHandleForReading.readDataToEndOfFile()
        running.process.waitUntilExit()
        return CommandRun(
            status: running.process.terminationStatus,
            killedBySignal: running.process.terminationReason == .uncaughtSignal,
            standardOutput: String(decoding: out, as: UTF8.self), standardError: String(decoding: err, as: UTF8.self))
    }
}

/// A started `mimamori` process.
package struct RunningCommand: @unchecked Sendable {
    // Safe: `Process` and `Pipe` are only touched by the test that started them.
    package let process: Process
    let output: Pipe
    let error: Pipe

    /// Sends SIGKILL: the process gets no chance to clean up.
    package func kill() { Foundation.kill(process.processIdentifier, SIGKILL) }

    /// Sends a signal (SIGTERM for a graceful stop).
    package func signal(_ number: Int32) { Foundation.kill(process.processIdentifier, number) }

    /// Reads standard output until a line containing `marker` appears (or the output ends).
    package func waitForOutput(containing marker: String) -> String? {
        var text = ""
        while !text.contains(marker) {
            let data = output.fileHandleForReading.availableData
            if data.isEmpty { return nil }
            text += String(decoding: data, as: UTF8.self)
        }
        return text
    }
}

extension CommandRun {
    /// Runs one SQL statement with Debian's `sqlite3` shell (outside the Store, as an
    /// operator or an attacker with file access would) and returns its output, trimmed.
    package static func sqlite(_ database: URL, _ sql: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = [database.path, sql]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
