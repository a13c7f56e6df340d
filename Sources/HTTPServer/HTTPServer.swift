import CMicroHTTPD
import Foundation
package import Prometheus
import Synchronization

/// An HTTP server on libmicrohttpd: an epoll thread pool reading requests and a pool of
/// handler threads answering them (`HandlerPool`), a cap on connections (in all and per
/// client address), an idle timeout (a slow client cannot hold a thread), absolute deadlines
/// for receiving a request's headers and body (a trickling client cannot hold a connection;
/// `RequestDeadlines`), a limit on header memory (libmicrohttpd answers 431/413 itself) and on
/// body size per route (413 from here, with the body discarded), only the configured host
/// names in `Host` (421 otherwise, before the application sees the request: no DNS
/// rebinding), optional TLS, request metrics (`metrics`, in a Prometheus registry) and a
/// structured access log.
///
/// It knows nothing of the application behind its `Handler`: no route, no store. The
/// application labels each response with its route template (`HTTPResponse.routed`) for the
/// metrics and the log, and serves the registry itself if it wants to (`GET /metrics`).
///
/// See https://www.gnu.org/software/libmicrohttpd/manual/libmicrohttpd.html.
package final class HTTPServer: Sendable {
    package struct Configuration: Sendable {
        package var host = "127.0.0.1"
        package var port: UInt16 = 8080
        /// Threads that run the handler (`HandlerPool`: any request on any free one).
        package var threads = 4
        /// libmicrohttpd's threads, which read requests and write responses (and do TLS's
        /// work); nil: one per core, at most `threads`. Not one per handler thread: they never
        /// wait for a handler (the connection is suspended meanwhile), and 16 of them on 2
        /// cores answered `/healthz` at 11,000/s against 40,000/s with 2–4.
        package var connectionThreads: Int?
        package var connectionLimit = 1_000
        /// Connections one client address may hold at once (0: no limit), so that one client
        /// cannot take every connection. Behind a reverse proxy every client has the proxy's
        /// address: raise it there.
        package var connectionsPerAddress = 256
        /// Seconds a connection may sit idle (between or inside requests) before it is closed.
        package var idleTimeout = 30
        /// How long a client has to send a request's line and headers: from the moment the
        /// connection is accepted (a TLS handshake included), or on a kept-alive connection from
        /// the first byte of the request. Past it the connection is closed unanswered, however
        /// steadily bytes trickle in (the idle timeout restarts with each byte; this does not).
        package var headerTimeout = Duration.seconds(10)
        /// How long a client has to send a request's body once its headers are in, extended by
        /// a second for every `minimumBodyRate` bytes received; past it the connection is closed.
        package var bodyTimeout = Duration.seconds(60)
        /// Body bytes per second that keep an upload within its deadline (see `bodyTimeout`): an
        /// upload at least this fast always finishes. 0: the body has `bodyTimeout` in all.
        package var minimumBodyRate = 32 * 1024
        /// The host names a request's `Host` header may name (with any port): a request naming
        /// another is refused with 421 before the handler sees it, so that a web page whose name
        /// an attacker points at this server (DNS rebinding) cannot read its answers. Names as
        /// `HostName` parses them (`mimamori.example.lg.jp`, `192.0.2.7`, `[2001:db8::7]`).
        /// The address the server listens on (`host`) is always allowed unless it is 0.0.0.0.
        /// Default: the loopback names (`HostName.loopback`).
        package var allowedHosts = HostName.loopback
        /// Memory per connection for the request line and headers.
        package var headerMemory = 64 * 1024
        /// The most body bytes a request to `method` `path` may send (the path without its query);
        /// a larger body is refused with 413. Asked once per request, on libmicrohttpd's threads.
        /// Default: 1 MiB for every route.
        package var bodyLimit: @Sendable (_ method: String, _ path: String) -> Int = { _, _ in 1 << 20 }
        /// Serve HTTPS with this certificate (chain) and private key, both PEM text; nil serves plain HTTP.
        package var tls: (certificatePEM: String, keyPEM: String)?
        /// Receives one JSON line (without a line end) per answered request; nil logs nothing.
        /// Called on libmicrohttpd's threads after the response is sent. See `AccessLogLine`
        /// for the fields: never a raw path, query, header or body.
        package var accessLog: (@Sendable (String) -> Void)?
        /// The start of the metrics' series names (`<prefix>_requests_total`, …; see
        /// `HTTPMetrics`), which the application names after itself.
        package var metricsPrefix = "http"

        /// One body limit for every route (sets `bodyLimit`; reads the limit of `POST /`).
        package var maxBodyBytes: Int {
            get { bodyLimit("POST", "/") }
            set {
                let limit = newValue
                bodyLimit = { _, _ in limit }
            }
        }

        package init() {}
    }

    package typealias Handler = @Sendable (HTTPRequest) -> HTTPResponse

    package let configuration: Configuration
    /// Request counts, durations and requests in flight since the server was created, in the
    /// registry given to `init`.
    package let metrics: HTTPMetrics
    let handler: Handler
    /// The host names requests may name (`Configuration.allowedHosts`, and `host` unless it is 0.0.0.0).
    package let allowedHosts: Set<HostName>
    private let running = Mutex<Running?>(nil)
    /// Requests from their headers until libmicrohttpd reports them over (answer sent, or the
    /// client gone): what a stop waits for.
    fileprivate let openRequests = Atomic<Int>(0)

    /// What a started daemon holds on to until it stops.
    private struct Running {
        let daemon: OpaquePointer
        let log: UnsafeMutablePointer<cmhd_start_log>?
        /// Copies of the PEM texts, freed after the daemon stops.
        let certificate: UnsafeMutablePointer<CChar>?
        let key: UnsafeMutablePointer<CChar>?
        /// The connections' deadlines, swept until the daemon stops.
        let deadlines: RequestDeadlines
        /// What the access handler is given: the server and the threads its handler runs on.
        let context: ServingContext
    }

    /// - Parameters:
    ///   - configuration: where to listen, limits, TLS, the access log and the metrics' prefix.
    ///   - registry: the Prometheus registry to record requests in. Pass the application's own
    ///     when its handler serves it (`GET /metrics`) or registers metrics of its own there; by
    ///     default each server has a registry of its own.
    ///   - handler: answers each request, on the server's handler threads (`HandlerPool`).
    package init(
        configuration: Configuration, registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(), handler: @escaping Handler
    ) {
        self.configuration = configuration
        metrics = HTTPMetrics(registry: registry, prefix: configuration.metricsPrefix)
        self.handler = handler
        var allowed = Set(configuration.allowedHosts.compactMap { HostName($0) })
        if configuration.host != "0.0.0.0", let own = HostName(configuration.host) { allowed.insert(own) }
        allowedHosts = allowed
    }

    /// Whether requests are served over TLS.
    package var isSecure: Bool { configuration.tls != nil }

    /// Starts serving; returns the bound port (useful with port 0).
    /// - Throws: `HTTPServerError` when the host is not a numeric IPv4 address, an allowed host
    ///   name is not a host name, the port cannot be bound, or the TLS certificate or key cannot
    ///   be used.
    @discardableResult
    package func start() throws(HTTPServerError) -> UInt16 {
        try running.withLock { running throws(HTTPServerError) -> UInt16 in
            precondition(running == nil, "the server is already running")
            if let bad = configuration.allowedHosts.first(where: { HostName($0) == nil }) {
                throw HTTPServerError(
                    "allowed host \"\(bad.prefix(100))\" is not a host name (e.g. mimamori.example.lg.jp, 192.0.2.7, [2001:db8::7])")
            }
            var certificate: UnsafeMutablePointer<CChar>?
            var key: UnsafeMutablePointer<CChar>?
            if let tls = configuration.tls {
                try Self.check(tls)
                certificate = strdup(tls.certificatePEM)
                key = strdup(tls.keyPEM)
            }
            var badHost: Int32 = 0
            var message = [CChar](repeating: 0, count: 1024)
            var log: UnsafeMutablePointer<cmhd_start_log>?
            let context = Unmanaged.passUnretained(self).toOpaque()
            let serving = ServingContext(server: self, pool: HandlerPool(workers: configuration.threads))
            let deadlines = RequestDeadlines(
                limits: .init(
                    headers: configuration.headerTimeout, body: configuration.bodyTimeout, minimumBodyRate: max(0, configuration.minimumBodyRate)),
                metrics: metrics)
            let started = cmhd_start(
                configuration.host, configuration.port,
                UInt32(max(1, configuration.connectionThreads ?? min(configuration.threads, ProcessInfo.processInfo.activeProcessorCount))),
                UInt32(configuration.connectionLimit),
                UInt32(clamping: configuration.connectionsPerAddress),
                UInt32(configuration.idleTimeout), configuration.headerMemory, certificate, key,
                accessHandler, Unmanaged.passUnretained(serving).toOpaque(), requestCompleted, context, connectionNotified,
                Unmanaged.passUnretained(deadlines).toOpaque(),
                &badHost, &message, message.count, &log)
            guard let started else {
                serving.pool.stop()
                free(certificate)
                free(key)
                let said = message.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
                let reason = said.isEmpty ? "" : " (libmicrohttpd: \(said))"
                if badHost != 0 {
                    throw HTTPServerError("host \(configuration.host) is not a numeric IPv4 address (e.g. 127.0.0.1 or 0.0.0.0)")
                }
                if configuration.tls != nil, !said.lowercased().contains("bind") {
                    throw HTTPServerError(
                        "cannot serve TLS on \(configuration.host):\(configuration.port): the certificate or key cannot be used\(reason);"
                            + " give a PEM certificate and the PEM private key that belongs to it")
                }
                throw HTTPServerError("cannot listen on \(configuration.host):\(configuration.port) (in use, or not permitted)\(reason)")
            }
            running = Running(daemon: started, log: log, certificate: certificate, key: key, deadlines: deadlines, context: serving)
            deadlines.start()
            return cmhd_bound_port(started)
        }
    }

    /// Refuses PEM texts that are plainly not a certificate and a private key, with a message
    /// that says which (libmicrohttpd would only say that TLS could not be set up).
    private static func check(_ tls: (certificatePEM: String, keyPEM: String)) throws(HTTPServerError) {
        guard MicroHTTPD.supportsTLS else {
            throw HTTPServerError("this libmicrohttpd \(MicroHTTPD.version) was built without TLS; install Debian's libmicrohttpd12 (GnuTLS)")
        }
        guard tls.certificatePEM.contains("-----BEGIN CERTIFICATE-----") else {
            throw HTTPServerError("the TLS certificate is not a PEM certificate (no \"-----BEGIN CERTIFICATE-----\" line)")
        }
        guard tls.keyPEM.contains("PRIVATE KEY-----") else {
            throw HTTPServerError("the TLS key is not a PEM private key (no \"-----BEGIN … PRIVATE KEY-----\" line)")
        }
        guard !tls.keyPEM.contains("ENCRYPTED PRIVATE KEY"), !tls.keyPEM.contains("Proc-Type: 4,ENCRYPTED") else {
            throw HTTPServerError("the TLS key is encrypted with a passphrase; give it unencrypted (openssl pkey -in KEY -out PLAIN)")
        }
    }

    /// Stops accepting connections, lets requests in flight finish, and stops.
    package func stop() {
        running.withLock { running in
            guard let current = running else { return }
            current.deadlines.stop()
            _ = MHD_quiesce_daemon(current.daemon)
            // Handlers still running answer and resume their connections first (a connection
            // left suspended would never be closed); then their answers are sent, for at most
            // `drainTimeout`, before the daemon closes every connection.
            current.context.pool.stop()
            let deadline = ContinuousClock.now + Self.drainTimeout
            while openRequests.load(ordering: .acquiring) > 0, ContinuousClock.now < deadline {
                usleep(5_000)
            }
            MHD_stop_daemon(current.daemon)
            cmhd_start_log_free(current.log)
            free(current.certificate)
            free(current.key)
            running = nil
        }
    }

    /// How long a stop waits for the answers of requests in flight to be sent.
    static let drainTimeout = Duration.seconds(5)

    deinit { stop() }
}

/// The access handler's context: the server, and the pool its handler runs on.
private final class ServingContext: Sendable {
    unowned let server: HTTPServer
    let pool: HandlerPool

    init(server: HTTPServer, pool: HandlerPool) {
        self.server = server
        self.pool = pool
    }
}

/// A handler's response, handed from the pool's thread that made it to the libmicrohttpd
/// thread that sends it.
private final class Answer: Sendable {
    private let response = Mutex<HTTPResponse?>(nil)

    func set(_ value: HTTPResponse) { response.withLock { $0 = value } }
    func take() -> HTTPResponse? { response.withLock { $0.take() } }
}

/// A suspended connection, resumed from the pool's thread once its answer is ready.
/// libmicrohttpd allows `MHD_resume_connection` from any thread (the daemon has an
/// inter-thread channel, `MHD_USE_ITC`); nothing else of the connection is touched there.
private struct SuspendedConnection: @unchecked Sendable {
    let pointer: OpaquePointer

    func resume() { MHD_resume_connection(pointer) }
}

/// What the server keeps for one request from its headers to its completion. Reached only
/// through the connection's `*con_cls`, on the one libmicrohttpd thread that serves the
/// connection, so it needs no lock (the handler's answer comes back through `Answer`).
private final class RequestState {
    let method: String
    let started: ContinuousClock.Instant
    let limit: Int
    let remoteAddress: String
    /// The connection's deadlines (nil only if libmicrohttpd did not announce the connection).
    let clock: ConnectionClock?
    var body: [UInt8] = []
    var bytesIn = 0
    var tooLarge = false
    /// Set while the handler runs on the pool (the connection suspended) and until its answer is queued.
    var answer: Answer?
    /// Set when a response is queued.
    var status: Int?
    var route: String?
    var bytesOut = 0

    init(method: String, started: ContinuousClock.Instant, limit: Int, remoteAddress: String, clock: ConnectionClock?) {
        self.method = method
        self.started = started
        self.limit = limit
        self.remoteAddress = remoteAddress
        self.clock = clock
    }
}

/// libmicrohttpd calls this several times per request: first with the headers, then with
/// body chunks, then once more with none, when the request is handed to the handler on the
/// pool and the connection suspended; once the handler has answered, the connection is
/// resumed and this is called once more, to queue the response.
private func accessHandler(
    cls: UnsafeMutableRawPointer?, connection: OpaquePointer?, url: UnsafePointer<CChar>?, method: UnsafePointer<CChar>?,
    version: UnsafePointer<CChar>?, uploadData: UnsafePointer<CChar>?, uploadDataSize: UnsafeMutablePointer<Int>?,
    connectionState: UnsafeMutablePointer<UnsafeMutableRawPointer?>?
) -> MHD_Result {
    guard let cls, let connection, let url, let method, let uploadDataSize, let connectionState else { return .NO }
    let context = Unmanaged<ServingContext>.fromOpaque(cls).takeUnretainedValue()
    let server = context.server
    guard let stateRaw = connectionState.pointee else {
        // First call: headers only.
        let started = ContinuousClock.now
        let methodText = String(cString: method)
        let clock = cmhd_connection_context(connection).map { Unmanaged<ConnectionClock>.fromOpaque($0).takeUnretainedValue() }
        clock?.headersReceived()
        let state = RequestState(
            method: methodText, started: started, limit: server.configuration.bodyLimit(methodText, String(cString: url)),
            remoteAddress: clientAddress(connection), clock: clock)
        connectionState.pointee = Unmanaged.passRetained(state).toOpaque()
        server.openRequests.add(1, ordering: .relaxed)
        server.metrics.requestStarted()
        // Only the configured host names are served, whatever the route (static files and
        // health checks included): a page on an attacker's name that resolves to this server
        // (DNS rebinding) gets 421, and the application never sees the request.
        if let refusal = HostRefusal(
            hosts: headerValues(connection, "Host"), version: version.map { String(cString: $0) } ?? "", allowed: server.allowedHosts)
        {
            return queue(refusal.response, for: state, on: connection)
        }
        // A request that declares its body's length twice (Content-Length and a chunked
        // Transfer-Encoding) is refused at once and the connection closed: a proxy in front
        // may read the body one way and this server the other, and the rest would run as a
        // second, smuggled request (RFC 9112, section 6.1).
        if header(connection, "Transfer-Encoding") != nil, header(connection, "Content-Length") != nil {
            return queue(
                .problem(400, title: "Ambiguous body length", detail: "send either Content-Length or Transfer-Encoding, not both"),
                for: state, on: connection)
        }
        // A declared body that is too large is refused at once, before a byte of it is read
        // (libmicrohttpd then closes the connection).
        if let length = header(connection, "Content-Length").flatMap(Int.init), length > state.limit {
            return queue(tooLarge(state.limit), for: state, on: connection)
        }
        return .YES
    }
    let state = Unmanaged<RequestState>.fromOpaque(stateRaw).takeUnretainedValue()
    if uploadDataSize.pointee > 0 {
        state.bytesIn += uploadDataSize.pointee
        state.clock?.bodyReceived(uploadDataSize.pointee)
        if !state.tooLarge, let uploadData {
            if state.body.count + uploadDataSize.pointee > state.limit {
                state.tooLarge = true
                state.body = []
            } else {
                uploadData.withMemoryRebound(to: UInt8.self, capacity: uploadDataSize.pointee) {
                    state.body.append(contentsOf: UnsafeBufferPointer(start: $0, count: uploadDataSize.pointee))
                }
            }
        }
        uploadDataSize.pointee = 0
        return .YES
    }
    guard state.status == nil else { return .YES }  // already answered (413 on the headers)
    if let answer = state.answer {
        // Resumed: the handler has answered.
        state.answer = nil
        let response = answer.take() ?? .problem(500, title: "Internal Server Error", detail: "the request was not answered")
        return queue(response, for: state, on: connection)
    }
    if state.tooLarge { return queue(tooLarge(state.limit), for: state, on: connection) }
    let request = HTTPRequest(
        method: state.method, path: String(cString: url), query: values(connection, .GET_ARGUMENT_KIND),
        headers: Dictionary(values(connection, .HEADER_KIND).map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first }),
        body: state.body, remoteAddress: state.remoteAddress, isSecure: server.isSecure)
    state.body = []
    // The handler may take its time: no receiving deadline applies while it answers.
    state.clock?.answering()
    let answer = Answer()
    state.answer = answer
    // Suspended before the job is queued, so that its resume always finds it suspended.
    MHD_suspend_connection(connection)
    let suspended = SuspendedConnection(pointer: connection)
    let handler = server.handler
    let job: @Sendable () -> Void = {
        answer.set(handler(request))
        suspended.resume()
    }
    // A stopping server runs the last requests of its kept-alive connections here.
    if !context.pool.submit(job) { job() }
    return .YES
}

private func tooLarge(_ limit: Int) -> HTTPResponse {
    .problem(413, title: "Body too large", detail: "the request body may be at most \(limit) bytes on this route")
}

/// Called once per request that reached `accessHandler`, when it is over (answered, or
/// abandoned by the client): records it in the metrics and the access log, and frees its state.
private func requestCompleted(
    cls: UnsafeMutableRawPointer?, connection: OpaquePointer?, connectionState: UnsafeMutablePointer<UnsafeMutableRawPointer?>?,
    reason: MHD_RequestTerminationCode
) {
    guard let connectionState, let stateRaw = connectionState.pointee else { return }
    let state = Unmanaged<RequestState>.fromOpaque(stateRaw).takeRetainedValue()
    connectionState.pointee = nil
    state.clock?.answered()
    guard let cls else { return }
    let server = Unmanaged<HTTPServer>.fromOpaque(cls).takeUnretainedValue()
    defer { server.openRequests.subtract(1, ordering: .releasing) }
    let elapsed = ContinuousClock.now - state.started
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    server.metrics.requestEnded(route: state.route, method: state.method, status: state.status, duration: elapsed)
    if let accessLog = server.configuration.accessLog, let status = state.status {
        let line = AccessLogLine(
            time: AccessLogLine.now(), method: HTTPMetrics.methodLabel(state.method), route: state.route, status: status,
            seconds: seconds, bytesIn: state.bytesIn, bytesOut: state.bytesOut, remote: state.remoteAddress)
        accessLog(line.text)
    }
}

/// The peer's numeric IP address, or "" when libmicrohttpd does not know it.
private func clientAddress(_ connection: OpaquePointer) -> String {
    var buffer = [CChar](repeating: 0, count: 64)
    guard cmhd_client_address(connection, &buffer, buffer.count) == 0 else { return "" }
    return buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
}

/// Queues `response` and notes in `state` what the metrics and the access log need of it.
private func queue(_ response: HTTPResponse, for state: RequestState, on connection: OpaquePointer) -> MHD_Result {
    state.clock?.answering()
    state.status = response.status
    state.route = response.route
    state.bytesOut = state.method == "HEAD" ? 0 : response.body.count
    let handle = response.body.withUnsafeBytes { bytes in
        MHD_create_response_from_buffer(bytes.count, UnsafeMutableRawPointer(mutating: bytes.baseAddress), .RESPMEM_MUST_COPY)
    }
    guard let handle else { return .NO }
    defer { MHD_destroy_response(handle) }
    for (name, value) in response.headers { _ = MHD_add_response_header(handle, name, value) }
    _ = MHD_add_response_header(handle, "X-Content-Type-Options", "nosniff")
    _ = MHD_add_response_header(handle, "Cache-Control", "no-store")
    return MHD_queue_response(connection, UInt32(response.status), handle)
}

/// libmicrohttpd tells this when a connection is accepted and when it is done with it (just
/// before it closes the socket): the connection's deadlines start and end here. The clock is
/// kept in the connection's `*socket_context` for the access handler.
private func connectionNotified(
    cls: UnsafeMutableRawPointer?, connection: OpaquePointer?, socketContext: UnsafeMutablePointer<UnsafeMutableRawPointer?>?,
    code: MHD_ConnectionNotificationCode
) {
    guard let cls, let connection, let socketContext else { return }
    let deadlines = Unmanaged<RequestDeadlines>.fromOpaque(cls).takeUnretainedValue()
    switch code {
    case .CONNECTION_NOTIFY_STARTED:
        let clock = deadlines.opened(socket: cmhd_connection_socket(connection))
        socketContext.pointee = Unmanaged.passRetained(clock).toOpaque()
    case .CONNECTION_NOTIFY_CLOSED:
        guard let raw = socketContext.pointee else { return }
        socketContext.pointee = nil
        deadlines.closed(Unmanaged<ConnectionClock>.fromOpaque(raw).takeRetainedValue())
    default:
        break
    }
}

private func header(_ connection: OpaquePointer, _ name: String) -> String? {
    MHD_lookup_connection_value(connection, .HEADER_KIND, name).map { String(cString: $0) }
}

/// Every value of the header `name` (compared without regard to case), in the order received.
private func headerValues(_ connection: OpaquePointer, _ name: String) -> [String] {
    final class Box {
        let name: String
        var values: [String] = []
        init(name: String) { self.name = name }
    }
    let box = Box(name: name.lowercased())
    _ = withExtendedLifetime(box) {
        MHD_get_connection_values(
            connection, .HEADER_KIND,
            { cls, _, key, value in
                guard let cls, let key else { return .YES }
                let box = Unmanaged<Box>.fromOpaque(cls).takeUnretainedValue()
                if String(cString: key).lowercased() == box.name { box.values.append(value.map { String(cString: $0) } ?? "") }
                return .YES
            }, Unmanaged.passUnretained(box).toOpaque())
    }
    return box.values
}

/// Collects the values of one kind (headers, query arguments) of a request.
private func values(_ connection: OpaquePointer, _ kind: MHD_ValueKind) -> [String: String] {
    final class Box { var values: [String: String] = [:] }
    let box = Box()
    _ = withExtendedLifetime(box) {
        MHD_get_connection_values(
            connection, kind,
            { cls, _, key, value in
                guard let cls, let key else { return .YES }
                let box = Unmanaged<Box>.fromOpaque(cls).takeUnretainedValue()
                let name = String(cString: key)
                if box.values[name] == nil { box.values[name] = value.map { String(cString: $0) } ?? "" }
                return .YES
            }, Unmanaged.passUnretained(box).toOpaque())
    }
    return box.values
}
