import Foundation

/// Reads a file line by line in bounded memory: a line longer than `maxLineBytes` is
/// reported as too long and skipped without being held in memory.
struct LineReader {
    enum Line {
        case text(number: Int, bytes: ArraySlice<UInt8>)
        case tooLong(number: Int, bytes: Int)
    }

    private let handle: FileHandle
    private let maxLineBytes: Int
    private var buffer: [UInt8] = []
    private var start = 0
    private var atEnd = false
    private var number = 0
    private(set) var bytesRead = 0

    init(url: URL, maxLineBytes: Int) throws(StoreError) {
        do {
            handle = try FileHandle(forReadingFrom: url)
        } catch {
            throw StoreError(.invalidInput, "cannot open \(url.path): \(error.localizedDescription)")
        }
        self.maxLineBytes = maxLineBytes
    }

    /// The next line without its `\n` (and `\r`), or nil at the end of the file.
    mutating func next() throws(StoreError) -> Line? {
        var skipping = 0  // bytes of an over-long line discarded so far
        while true {
            if let newline = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) {
                number += 1
                let line = buffer[start..<newline]
                start = newline + 1
                if skipping > 0 || line.count > maxLineBytes { return .tooLong(number: number, bytes: skipping + line.count) }
                return .text(number: number, bytes: line.last == UInt8(ascii: "\r") ? line.dropLast() : line)
            }
            if atEnd {
                guard start < buffer.count || skipping > 0 else { return nil }
                number += 1
                let line = buffer[start...]
                start = buffer.count
                if skipping > 0 || line.count > maxLineBytes { return .tooLong(number: number, bytes: skipping + line.count) }
                return .text(number: number, bytes: line)
            }
            // Keep at most one line's worth in memory.
            if buffer.count - start > maxLineBytes {
                skipping += buffer.count - start
                buffer.removeAll(keepingCapacity: true)
                start = 0
            } else if start > 0 {
                buffer.removeFirst(start)
                start = 0
            }
            let chunk: Data?
            do { chunk = try handle.read(upToCount: 1 << 20) } catch {
                throw StoreError(.invalidInput, "cannot read the file: \(error.localizedDescription)")
            }
            guard let chunk, !chunk.isEmpty else {
                atEnd = true
                continue
            }
            bytesRead += chunk.count
            buffer.append(contentsOf: chunk)
        }
    }
}
