import CMicroHTTPD
import Synchronization

/// An HTTP server on libmicrohttpd: an epoll thread pool, a cap on connections, an idle
/// timeout (a slow client cannot hold a thread), a limit on header memory (libmicrohttpd
/// answers 431/413 itself) and on body size (413 from here, with the body discarded).
///
/// See https://www.gnu.org/software/libmicrohttpd/manual/libmicrohttpd.html.
package final class HTTPServer: Sendable {
    package struct Configuration: Sendable {
        package var host = "127.0.0.1"
        package var port: UInt16 = 8080
        package var threads = 4
        package var connectionLimit = 1_000
        /// Seconds a connection may sit idle (between or inside requests) before it is closed.
        package var idleTimeout = 30
        /// Memory per connection for the request line and headers.
        package var headerMemory = 64 * 1024
        package var maxBodyBytes = 1 << 20

        package init() {}
    }

    package typealias Handler = @Sendable (HTTPRequest) -> HTTPResponse

    package let configuration: Configuration
    let handler: Handler
    private let daemon = Mutex<OpaquePointer?>(nil)

    package init(configuration: Configuration, handler: @escaping Handler) {
        self.configuration = configuration
        self.handler = handler
    }

    /// Starts serving; returns the bound port (useful with port 0).
    /// - Throws: `HTTPServerError` when the host is not a numeric IPv4 address or the port cannot be bound.
    @discardableResult
    package func start() throws(HTTPServerError) -> UInt16 {
        try daemon.withLock { daemon throws(HTTPServerError) -> UInt16 in
            precondition(daemon == nil, "the server is already running")
            var badHost: Int32 = 0
            let started = cmhd_start(
                configuration.host, configuration.port, UInt32(configuration.threads), UInt32(configuration.connectionLimit),
                UInt32(configuration.idleTimeout), configuration.headerMemory, accessHandler,
                Unmanaged.passUnretained(self).toOpaque(), requestCompleted, nil, &badHost)
            guard let started else {
                throw HTTPServerError(badHost != 0
                    ? "--host \(configuration.host) is not a numeric IPv4 address (e.g. 127.0.0.1 or 0.0.0.0)"
                    : "cannot listen on \(configuration.host):\(configuration.port) (in use, or not permitted)")
            }
            daemon = started
            return cmhd_bound_port(started)
        }
    }

    /// Stops accepting connections, lets requests in flight finish, and stops.
    package func stop() {
        daemon.withLock { daemon in
            guard let running = daemon else { return }
            _ = MHD_quiesce_daemon(running)
            MHD_stop_daemon(running)
            daemon = nil
        }
    }

    deinit { stop() }
}

package struct HTTPServerError: Error, CustomStringConvertible {
    package let description: String
    init(_ description: String) { self.description = description }
}

/// What the server keeps for one request while its body arrives.
private final class RequestState {
    var body: [UInt8] = []
    var tooLarge = false
}

/// libmicrohttpd calls this several times per request: first with the headers, then with
/// body chunks, then once more with none, when the response is queued.
private func accessHandler(
    cls: UnsafeMutableRawPointer?, connection: OpaquePointer?, url: UnsafePointer<CChar>?, method: UnsafePointer<CChar>?,
    version: UnsafePointer<CChar>?, uploadData: UnsafePointer<CChar>?, uploadDataSize: UnsafeMutablePointer<Int>?,
    connectionState: UnsafeMutablePointer<UnsafeMutableRawPointer?>?
) -> MHD_Result {
    guard let cls, let connection, let url, let method, let uploadDataSize, let connectionState else { return .NO }
    let server = Unmanaged<HTTPServer>.fromOpaque(cls).takeUnretainedValue()
    guard let stateRaw = connectionState.pointee else {
        // First call: headers only. A declared body that is too large is refused at once,
        // before a byte of it is read (libmicrohttpd then closes the connection).
        if let length = header(connection, "Content-Length").flatMap(Int.init), length > server.configuration.maxBodyBytes {
            return queue(tooLarge(server), on: connection)
        }
        connectionState.pointee = Unmanaged.passRetained(RequestState()).toOpaque()
        return .YES
    }
    let state = Unmanaged<RequestState>.fromOpaque(stateRaw).takeUnretainedValue()
    if uploadDataSize.pointee > 0 {
        if !state.tooLarge, let uploadData {
            if state.body.count + uploadDataSize.pointee > server.configuration.maxBodyBytes {
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
    let response: HTTPResponse
    if state.tooLarge {
        response = tooLarge(server)
    } else {
        let fullPath = String(cString: url)
        let request = HTTPRequest(
            method: String(cString: method), path: fullPath, query: values(connection, .GET_ARGUMENT_KIND),
            headers: Dictionary(values(connection, .HEADER_KIND).map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first }),
            body: state.body)
        response = server.handler(request)
    }
    return queue(response, on: connection)
}

private func tooLarge(_ server: HTTPServer) -> HTTPResponse {
    .problem(413, title: "Body too large", detail: "the request body may be at most \(server.configuration.maxBodyBytes) bytes")
}

private func requestCompleted(
    cls: UnsafeMutableRawPointer?, connection: OpaquePointer?, connectionState: UnsafeMutablePointer<UnsafeMutableRawPointer?>?,
    reason: MHD_RequestTerminationCode
) {
    guard let connectionState, let stateRaw = connectionState.pointee else { return }
    Unmanaged<RequestState>.fromOpaque(stateRaw).release()
    connectionState.pointee = nil
}

private func queue(_ response: HTTPResponse, on connection: OpaquePointer) -> MHD_Result {
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

private func header(_ connection: OpaquePointer, _ name: String) -> String? {
    MHD_lookup_connection_value(connection, .HEADER_KIND, name).map { String(cString: $0) }
}

/// Collects the values of one kind (headers, query arguments) of a request.
private func values(_ connection: OpaquePointer, _ kind: MHD_ValueKind) -> [String: String] {
    final class Box { var values: [String: String] = [:] }
    let box = Box()
    _ = withExtendedLifetime(box) {
        MHD_get_connection_values(connection, kind, { cls, _, key, value in
            guard let cls, let key else { return .YES }
            let box = Unmanaged<Box>.fromOpaque(cls).takeUnretainedValue()
            let name = String(cString: key)
            if box.values[name] == nil { box.values[name] = value.map { String(cString: $0) } ?? "" }
            return .YES
        }, Unmanaged.passUnretained(box).toOpaque())
    }
    return box.values
}
