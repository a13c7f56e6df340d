import Dispatch
import Foundation
import Synchronization

/// Runs request handlers on a fixed set of threads, apart from libmicrohttpd's.
///
/// libmicrohttpd keeps each connection on the thread of its pool that accepted it, and one
/// thread may accept a whole burst of connections alone: a client with 16 kept-alive
/// connections was served by one thread on one core while the others idled (measured at 1M
/// records: 95% CPU of the 200% two cores give). Its threads now only read requests and write
/// responses; each request's handler runs here, on whichever worker is free, while its
/// connection is suspended (`MHD_suspend_connection`).
///
/// Hand-made, on threads of its own, rather than on Dispatch's queues: their threads are sized
/// for work that does not block. Handlers block (SQLite, waiting for the audit's group commit
/// and its fsync), and on Linux a concurrent queue gave the pool about four threads whatever
/// `workers` said (measured at 1M records with `--threads 16`: four threads did all the work,
/// the CPU half idle while they waited for commits). The fixed size bounds how many handlers
/// run at once however many connections wait.
final class HandlerPool: Sendable {
    private struct Jobs {
        var waiting: [@Sendable () -> Void] = []
        var next = 0
        var accepting = true
    }

    let workers: Int
    private let jobs = Mutex(Jobs())
    /// One signal per job queued (and, when stopping, one per worker to end it).
    private let queued = DispatchSemaphore(value: 0)
    /// Entered for each job queued, left when it has run.
    private let inFlight = DispatchGroup()

    init(workers: Int) {
        self.workers = max(1, workers)
        for index in 0..<self.workers {
            let thread = Thread { [self] in work() }
            thread.name = "http-handler-\(index)"
            thread.start()
        }
    }

    /// Queues `job`; false once the pool is stopping (the caller runs it itself).
    func submit(_ job: @escaping @Sendable () -> Void) -> Bool {
        let accepted = jobs.withLock { jobs in
            guard jobs.accepting else { return false }
            jobs.waiting.append(job)
            inFlight.enter()
            return true
        }
        if accepted { queued.signal() }
        return accepted
    }

    /// Stops taking jobs, waits until every queued job has run, and ends the workers.
    func stop() {
        let wasAccepting = jobs.withLock { jobs in
            defer { jobs.accepting = false }
            return jobs.accepting
        }
        guard wasAccepting else { return }
        inFlight.wait()
        // The queue is empty now: each of these signals wakes a worker that finds no job and ends.
        for _ in 0..<workers { queued.signal() }
    }

    private func work() {
        while true {
            queued.wait()
            let job: (@Sendable () -> Void)? = jobs.withLock { jobs in
                guard jobs.next < jobs.waiting.count else { return nil }
                let job = jobs.waiting[jobs.next]
                jobs.next += 1
                if jobs.next == jobs.waiting.count {
                    jobs.waiting.removeAll(keepingCapacity: true)
                    jobs.next = 0
                }
                return job
            }
            guard let job else { return }
            job()
            inFlight.leave()
        }
    }
}
