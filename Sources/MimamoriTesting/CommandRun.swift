package import Foundation
import Glibc

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
    /// With `input`, the test writes the program's standard input (`RunningCommand.write`).
    package static func start(
        _ arguments: [String], environment: [String: String] = [:], executable: URL = TestStore.executable, input: Bool = false
    ) throws -> RunningCommand {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let output = Pipe()
        let error = Pipe()
        let inputPipe = input ? Pipe() : nil
        process.standardOutput = output
        process.standardError = error
        if let inputPipe { process.standardInput = inputPipe }
        try process.run()
        return RunningCommand(process: process, output: output, error: error, input: inputPipe)
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
    let input: Pipe?
    private let pending = PendingOutput()

    /// Writes to the program's standard input (started with `input: true`).
    package func write(_ text: String) {
        input?.fileHandleForWriting.write(Data(text.utf8))
    }

    /// Closes the program's standard input: it reads the end of its input.
    package func closeInput() {
        try? input?.fileHandleForWriting.close()
    }

    /// The next line of standard output, or nil if none comes within `timeout` seconds (or the
    /// output ends): a program that should answer line by line must not leave a test hanging.
    package func readLine(timeout: Double) -> String? {
        let descriptor = output.fileHandleForReading.fileDescriptor
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let line = pending.takeLine() { return line }
            let left = deadline.timeIntervalSinceNow
            guard left > 0 else { return nil }
            var poll = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            guard Glibc.poll(&poll, 1, Int32(left * 1000) + 1) == 1 else { continue }
            var chunk = [UInt8](repeating: 0, count: 65_536)
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else { return nil }
            pending.append(chunk[..<count])
        }
    }

    /// Reads standard error from now on in the background and drops it: a server left running
    /// (with Litestream's log beside its own) would otherwise fill the pipe and stall.
    /// `CommandRun.finish` then returns what is left of it, if anything.
    package func discardStandardError() {
        let handle = error.fileHandleForReading
        Thread.detachNewThread {
            while !handle.availableData.isEmpty {}
        }
    }

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

/// Output read ahead of the line a test asked for.
private final class PendingOutput: @unchecked Sendable {  // used by the one test that started the command
    private var bytes: [UInt8] = []

    func append(_ chunk: ArraySlice<UInt8>) { bytes += chunk }

    func takeLine() -> String? {
        guard let newline = bytes.firstIndex(of: 0x0A) else { return nil }
        defer { bytes.removeSubrange(...newline) }
        return String(decoding: bytes[..<newline], as: UTF8.self)
    }
}
