#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes lines to standard output or to a file through a 1 MiB buffer.
///
/// A file is written as `FILE.tmp` and renamed to `FILE` by `finish()`, so a reader never sees
/// half a dataset under the final name; a writer dropped without `finish()` removes its
/// temporary file.
package final class DemoDataWriter {
    private let descriptor: Int32
    /// The final path, or nil for standard output.
    private let path: String?
    private let temporaryPath: String?
    private var buffer: [UInt8] = []
    private var closed = false
    private var renamed = false
    private static let capacity = 1 << 20

    /// - Parameter path: the output file, or nil or `-` for standard output.
    /// - Throws: `DemoDataError` when the temporary file cannot be created.
    package init(path: String?) throws(DemoDataError) {
        buffer.reserveCapacity(DemoDataWriter.capacity + 4096)
        guard let path, path != "-" else {
            self.path = nil
            temporaryPath = nil
            descriptor = STDOUT_FILENO
            return
        }
        let temporary = path + ".tmp"
        let opened = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard opened >= 0 else { throw .output(temporary, "create", errno: errno) }
        self.path = path
        temporaryPath = temporary
        descriptor = opened
    }

    /// Appends `line` and a newline.
    package func write(line: String) throws(DemoDataError) {
        buffer.append(contentsOf: line.utf8)
        buffer.append(UInt8(ascii: "\n"))
        if buffer.count >= DemoDataWriter.capacity { try flush() }
    }

    /// Flushes the buffer; for a file, syncs it, closes it and renames it to its final name.
    package func finish() throws(DemoDataError) {
        try flush()
        guard let path, let temporaryPath, !closed else { return }
        guard fsync(descriptor) == 0 else { throw .output(temporaryPath, "sync", errno: errno) }
        closed = true
        guard close(descriptor) == 0 else { throw .output(temporaryPath, "close", errno: errno) }
        guard rename(temporaryPath, path) == 0 else { throw .output(path, "rename \(temporaryPath) to", errno: errno) }
        renamed = true
    }

    deinit {
        guard let temporaryPath, !renamed else { return }
        if !closed { close(descriptor) }
        unlink(temporaryPath)
    }

    private func flush() throws(DemoDataError) {
        var written = 0
        while written < buffer.count {
            let result = buffer.withUnsafeBytes { bytes in
                writeBytes(descriptor, bytes.baseAddress! + written, bytes.count - written)
            }
            if result < 0 {
                if errno == EINTR { continue }
                throw .output(temporaryPath ?? "standard output", "write to", errno: errno)
            }
            written += result
        }
        buffer.removeAll(keepingCapacity: true)
    }
}

/// The system's `write(2)`, out of reach of the writer's own `write(line:)`.
private func writeBytes(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, bytes, count)
}

/// `ENOSPC` → `No space left on device (errno 28)`.
func describeErrno(_ code: Int32) -> String {
    String(cString: strerror(code)) + " (errno \(code))"
}
