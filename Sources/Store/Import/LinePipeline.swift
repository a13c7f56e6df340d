import Dispatch
import Foundation
import Synchronization

/// Checks the lines of an import file on every core: the calling thread reads the file and
/// hands batches of lines to workers, which check each line (UTF-8, JSON, the record's
/// rules) and encode the body to store; the outcomes come back to the calling thread in
/// file order, so the importer sees exactly what a single thread would have seen. At most
/// a few batches are in flight, so memory stays bounded whatever the file's size.
///
/// Hand-made because neither Dispatch nor Foundation has a bounded, ordered pipeline for
/// synchronous code (an `AsyncStream` would need the whole import to become async).
struct LinePipeline {
    /// What a worker found on one line.
    enum Outcome: Sendable {
        /// Spaces and tabs only: not a record.
        case blank
        case tooLong(number: Int, bytes: Int)
        case invalid(number: Int, message: String)
        /// A valid record and its stored form (nil in a dry run, which stores nothing).
        case valid(number: Int, record: CaseRecord, body: StagedBody?)
    }

    /// Lines handed to one worker: their bytes one after another in one buffer.
    private struct Batch: Sendable {
        enum Line: Sendable {
            case text(number: Int, range: Range<Int>)
            case tooLong(number: Int, bytes: Int)
        }

        var bytes: [UInt8] = []
        var lines: [Line] = []
        /// Bytes of the file read when the batch was complete (for progress).
        var bytesRead = 0
    }

    /// A batch's outcomes, once its worker is done.
    private final class Pending: Sendable {
        private let done = DispatchSemaphore(value: 0)
        private let outcomes = Mutex<[Outcome]>([])

        func fulfill(_ result: [Outcome]) {
            outcomes.withLock { $0 = result }
            done.signal()
        }

        func wait() -> [Outcome] {
            done.wait()
            return outcomes.withLock { $0 }
        }
    }

    static let linesPerBatch = 256
    static let bytesPerBatch = 1 << 20

    let validator: RecordValidator
    /// Whether workers encode (and pack) the stored body of each valid record.
    let encodeBodies: Bool
    /// Batches being checked at once (beyond those waiting to be consumed).
    let inFlight: Int

    /// Whether lines are checked on the calling thread, one batch at a time (one core).
    let sequential: Bool

    init(validator: RecordValidator, encodeBodies: Bool, workers: Int = Parallel.cores) {
        self.validator = validator
        self.encodeBodies = encodeBodies
        inFlight = max(2, workers * 2)
        sequential = workers <= 1
    }

    /// Reads every line of `reader` and passes each outcome, in file order, to `consume`
    /// with the number of bytes read so far. A throw from `consume` or from reading stops
    /// the pipeline (after the batches in flight finish, their outcomes unused).
    func run(
        _ reader: inout LineReader, consume: (Outcome, Int) throws(StoreError) -> Void
    ) throws(StoreError) {
        var pending: [(Pending, Int)] = []
        pending.reserveCapacity(inFlight + 1)
        var next = 0
        func drainOldest() -> ([Outcome], Int) {
            let (oldest, bytesRead) = pending[next]
            next += 1
            if next == pending.count {
                pending.removeAll(keepingCapacity: true)
                next = 0
            }
            return (oldest.wait(), bytesRead)
        }
        do {
            var batch = Batch()
            var ended = false
            while !ended {
                if let line = try reader.next() {
                    switch line {
                    case .tooLong(let number, let bytes):
                        batch.lines.append(.tooLong(number: number, bytes: bytes))
                    case .text(let number, var bytes):
                        if number == 1, bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
                        let start = batch.bytes.count
                        batch.bytes.append(contentsOf: bytes)
                        batch.lines.append(.text(number: number, range: start..<batch.bytes.count))
                    }
                    guard batch.lines.count >= Self.linesPerBatch || batch.bytes.count >= Self.bytesPerBatch else { continue }
                } else {
                    ended = true
                    guard !batch.lines.isEmpty else { break }
                }
                batch.bytesRead = reader.bytesRead
                let work = Pending()
                let submitted = batch
                if sequential {
                    work.fulfill(check(submitted))
                } else {
                    DispatchQueue.global(qos: .userInitiated).async { [self] in work.fulfill(check(submitted)) }
                }
                pending.append((work, batch.bytesRead))
                batch = Batch()
                batch.bytes.reserveCapacity(Self.bytesPerBatch + 4096)
                while pending.count - next >= inFlight {
                    let (outcomes, bytesRead) = drainOldest()
                    for outcome in outcomes { try consume(outcome, bytesRead) }
                }
            }
            while next < pending.count {
                let (outcomes, bytesRead) = drainOldest()
                for outcome in outcomes { try consume(outcome, bytesRead) }
            }
        } catch {
            // Workers still hold batches: wait for them, so nothing outlives the import.
            while next < pending.count { _ = drainOldest() }
            throw error
        }
    }

    /// Checks one batch (on a worker).
    private func check(_ batch: Batch) -> [Outcome] {
        // One zlib stream for the batch's bodies (see `BodyDeflater`).
        let deflater = BodyDeflater()
        return batch.lines.map { line in
            switch line {
            case .tooLong(let number, let bytes):
                return .tooLong(number: number, bytes: bytes)
            case .text(let number, let range):
                let bytes = batch.bytes[range]
                if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { return .blank }
                if let offset = JSONLinesImporter.invalidUTF8Offset(bytes) {
                    return .invalid(number: number, message: "not valid UTF-8 (byte \(offset + 1) of the line); save the file as UTF-8")
                }
                switch validator.validate(json: bytes) {
                case .failure(let invalid):
                    return .invalid(number: number, message: invalid.description)
                case .success(let record):
                    guard encodeBodies else { return .valid(number: number, record: record, body: nil) }
                    return .valid(number: number, record: record, body: StagedBody(record, json: Cases.encode(record), deflater: deflater))
                }
            }
        }
    }
}
