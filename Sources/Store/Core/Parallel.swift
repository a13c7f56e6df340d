import Dispatch
import Foundation
import Synchronization

/// Work spread over every core, for the bulk paths (an import's checks, decoding a page of
/// the change feed, building index rows): the results keep the input's order, so callers
/// see exactly what a sequential loop would have produced.
///
/// Written over Dispatch's `concurrentPerform` rather than a task group: the Store and the
/// index are synchronous code (no async context to start tasks from), and the callers need
/// the input's order, typed errors and one context per thread, which `concurrentPerform`
/// alone does not give.
package enum Parallel {
    /// Threads to use instead of one per core, for the work started within `withValue`
    /// (tests compare a one-thread run with a many-thread one, whatever the machine).
    @TaskLocal package static var threadsOverride: Int?

    /// The threads bulk work is spread over: one per core this process may use.
    package static var cores: Int { max(1, threadsOverride ?? ProcessInfo.processInfo.activeProcessorCount) }

    /// `items.map(transform)`, with the items split into contiguous chunks mapped on every
    /// core. Each chunk gets a fresh `context` (a builder with its own cache, an encoder),
    /// made on the thread that maps it. The first error (by chunk order) is thrown, after
    /// every chunk has finished.
    package static func map<Item: Sendable, Context, Result: Sendable, Failure: Error>(
        _ items: [Item], minimumChunk: Int = 32, context: @autoclosure @Sendable () -> Context,
        _ transform: @Sendable (inout Context, Item) throws(Failure) -> Result
    ) throws(Failure) -> [Result] {
        let chunkCount = min(cores * 4, items.count / max(1, minimumChunk))
        guard cores > 1, chunkCount > 1 else {
            var context = context()
            return try items.map { (item) throws(Failure) -> Result in try transform(&context, item) }
        }
        let chunkSize = (items.count + chunkCount - 1) / chunkCount
        let chunks = Mutex<[Swift.Result<[Result], Failure>?]>(Array(repeating: nil, count: chunkCount))
        DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
            let range = min(chunk * chunkSize, items.count)..<min((chunk + 1) * chunkSize, items.count)
            var context = context()
            var mapped: [Result] = []
            mapped.reserveCapacity(range.count)
            let outcome: Swift.Result<[Result], Failure>
            do throws(Failure) {
                for index in range { mapped.append(try transform(&context, items[index])) }
                outcome = .success(mapped)
            } catch {
                outcome = .failure(error)
            }
            chunks.withLock { $0[chunk] = outcome }
        }
        var results: [Result] = []
        results.reserveCapacity(items.count)
        for chunk in chunks.withLock({ $0 }) {
            switch chunk {
            case .success(let mapped)?: results += mapped
            case .failure(let error)?: throw error
            case nil: preconditionFailure("a chunk was not mapped")
            }
        }
        return results
    }
}

/// Work started on another thread now and waited for later (a page of the change feed read
/// and built while the previous one is written).
package final class BackgroundWork<Value: Sendable, Failure: Error>: Sendable {
    private let done = DispatchSemaphore(value: 0)
    private let result = Mutex<Result<Value, Failure>?>(nil)

    /// Starts `work` on a global queue.
    package init(_ work: @escaping @Sendable () throws(Failure) -> Value) {
        // The thread count chosen by the caller holds for the work too.
        let threads = Parallel.threadsOverride
        DispatchQueue.global(qos: .userInitiated).async { [self] in
            let outcome = Parallel.$threadsOverride.withValue(threads) { () -> Result<Value, Failure> in
                do throws(Failure) { return .success(try work()) } catch { return .failure(error) }
            }
            result.withLock { $0 = outcome }
            done.signal()
        }
    }

    /// Waits for the work to finish (once: a second call would wait forever) and returns its result.
    package func wait() throws(Failure) -> Value {
        done.wait()
        return try result.withLock { $0 }!.get()
    }
}
