import CMicroHTTPD
import Dispatch
import Synchronization

/// Absolute deadlines for receiving a request, so that a client trickling its bytes cannot
/// hold a connection for ever.
///
/// libmicrohttpd 0.9.75 has only an idle timeout (`MHD_OPTION_CONNECTION_TIMEOUT`), which
/// restarts with every byte received: a client sending one header byte every few seconds kept
/// its connection open indefinitely, and about 1,000 such clients took every connection. Its
/// per-connection timeout (`MHD_set_connection_option`) is the same idle timeout, and a
/// connection whose headers never complete never reaches the access handler, so neither can
/// refuse it. What does close it:
///
/// - `MHD_OPTION_NOTIFY_CONNECTION` tells us when each connection is accepted (we note the
///   time and its socket) and when libmicrohttpd has finished with it (we forget it; the
///   notification comes *before* libmicrohttpd closes the socket, so a socket we know is
///   still that connection's);
/// - the access handler and the request-completed callback move the connection through its
///   phases (headers, body, answering, waiting for the next request);
/// - a sweep every `sweepInterval`, on a Dispatch queue, finds connections past their
///   deadline and `shutdown(2)`s their socket (under the lock the close notification also
///   takes). libmicrohttpd's own thread then reads the end of the stream and closes the
///   connection as if the client had gone: no request is answered, nothing of
///   libmicrohttpd's state is touched from another thread.
///
/// The deadlines (`Limits`):
/// - **headers**: a new connection must deliver its request line and headers (after the TLS
///   handshake, if any) within `headers` of being accepted. On a kept-alive connection the
///   wait for the next request is idle time (the idle timeout governs it); the deadline starts
///   with the first byte of that request, which the sweep learns from the kernel
///   (`TCP_INFO`'s `tcpi_last_data_recv`: data arrived after the previous response was sent).
/// - **body**: once the headers are in, the body must arrive within `body`, extended by one
///   second for every `minimumBodyRate` bytes received, so a large upload at a sensible rate
///   always finishes (at most `body` + limit / rate in all) while a trickled one is cut off
///   after `body`.
/// - Nothing while the application answers (the handler may take its time) or while the
///   response is sent (the idle timeout covers a client that does not read).
final class RequestDeadlines: Sendable {
    /// The deadlines of one server (`HTTPServer.Configuration.headerTimeout`, …).
    struct Limits: Sendable {
        var headers: Duration
        var body: Duration
        /// Bytes per second that extend the body's deadline by a second each; 0: a fixed `body`.
        var minimumBodyRate: Int
    }

    /// How often connections are checked: a deadline is enforced this much late at most.
    static let sweepInterval = Duration.milliseconds(200)

    let limits: Limits
    private let metrics: HTTPMetrics
    /// The connections libmicrohttpd has open, by identity. Its lock is also held while a
    /// socket is shut down, so a connection cannot be forgotten (and its socket closed and
    /// reused) in the middle.
    private let connections = Mutex<[ObjectIdentifier: ConnectionClock]>([:])
    private let stopped = Atomic<Bool>(false)

    init(limits: Limits, metrics: HTTPMetrics) {
        self.limits = limits
        self.metrics = metrics
    }

    /// Starts sweeping (until `stop`).
    func start() { scheduleSweep() }

    /// Stops sweeping; connections still open are left to libmicrohttpd.
    func stop() { stopped.store(true, ordering: .relaxed) }

    /// A connection was accepted: its header deadline starts now.
    func opened(socket: Int32) -> ConnectionClock {
        let clock = ConnectionClock(socket: socket, now: .now)
        connections.withLock { $0[ObjectIdentifier(clock)] = clock }
        return clock
    }

    /// libmicrohttpd is done with the connection (and is about to close its socket).
    func closed(_ clock: ConnectionClock) {
        _ = connections.withLock { $0.removeValue(forKey: ObjectIdentifier(clock)) }
    }

    private func scheduleSweep() {
        let interval = Self.sweepInterval.components
        let nanoseconds = Int(interval.seconds) * 1_000_000_000 + Int(interval.attoseconds / 1_000_000_000)
        DispatchQueue.global(qos: .userInitiated).asyncAfter(deadline: .now() + .nanoseconds(nanoseconds)) { [weak self] in
            guard let self, !self.stopped.load(ordering: .relaxed) else { return }
            self.sweep()
            self.scheduleSweep()
        }
    }

    /// Shuts down every connection past its deadline, each counted before its client can see
    /// it closed.
    func sweep() {
        let now = ContinuousClock.now
        connections.withLock { connections in
            for connection in connections.values {
                connection.closeIfOverdue(now: now, limits: limits) { [metrics] in metrics.deadlineExceeded(phase: $0) }
            }
        }
    }
}

/// Where one connection is in receiving its current request, and so which deadline applies.
/// Updated by libmicrohttpd's thread that serves the connection, read by the sweep.
final class ConnectionClock: Sendable {
    /// The part of a request whose deadline passed, as the metrics label it.
    enum Overdue: String, Sendable {
        case headers, body
    }

    private enum Phase {
        /// A kept-alive connection waiting for its next request since `since`; no deadline
        /// until a byte of it arrives.
        case waiting(since: ContinuousClock.Instant)
        /// Receiving a request's line and headers since `since`.
        case headers(since: ContinuousClock.Instant)
        /// Receiving a body since `since` (the headers were complete), `bytes` so far.
        case body(since: ContinuousClock.Instant, bytes: Int)
        /// The application is answering, or the response is being sent.
        case answering
        /// Shut down by the sweep.
        case closed
    }

    /// How much later than a response data must arrive to count as the next request's.
    static let kernelClockMargin = Duration.milliseconds(100)

    private let socket: Int32
    private let phase: Mutex<Phase>

    init(socket: Int32, now: ContinuousClock.Instant) {
        self.socket = socket
        phase = Mutex(.headers(since: now))
    }

    /// The headers are in: the body's deadline starts.
    func headersReceived() {
        phase.withLock { if case .closed = $0 {} else { $0 = .body(since: .now, bytes: 0) } }
    }

    /// `count` more body bytes arrived.
    func bodyReceived(_ count: Int) {
        phase.withLock { phase in
            if case .body(let since, let bytes) = phase { phase = .body(since: since, bytes: bytes + count) }
        }
    }

    /// The request is whole (or refused early): no deadline while it is answered.
    func answering() {
        phase.withLock { if case .closed = $0 {} else { $0 = .answering } }
    }

    /// The response was sent: the connection waits for its next request.
    func answered() {
        phase.withLock { if case .closed = $0 {} else { $0 = .waiting(since: .now) } }
    }

    /// When the connection is past its deadline at `now`, reports which deadline it missed to
    /// `missed` and then shuts its socket down (so that a client that sees the close finds it
    /// counted). Called by the sweep under the connections' lock.
    func closeIfOverdue(now: ContinuousClock.Instant, limits: RequestDeadlines.Limits, missed: (Overdue) -> Void) {
        phase.withLock { phase in
            if case .waiting(let since) = phase {
                // The kernel knows when data last arrived: clearly after `since` (its clock counts
                // in jiffies, up to 10 ms each), a request has begun.
                let milliseconds = cmhd_milliseconds_since_data(socket)
                guard milliseconds >= 0 else { return }
                let lastData = now - .milliseconds(milliseconds)
                guard lastData > since + ConnectionClock.kernelClockMargin else { return }
                phase = .headers(since: lastData)
            }
            let overdue: Overdue
            switch phase {
            case .headers(let since):
                guard now - since > limits.headers else { return }
                overdue = .headers
            case .body(let since, let bytes):
                var allowed = limits.body
                if limits.minimumBodyRate > 0 { allowed += .seconds(Double(bytes) / Double(limits.minimumBodyRate)) }
                guard now - since > allowed else { return }
                overdue = .body
            case .waiting, .answering, .closed:
                return
            }
            phase = .closed
            missed(overdue)
            cmhd_shutdown_socket(socket)
        }
    }
}
