/// A request as the server hands it to the application: method, path, query arguments,
/// headers (names lower-cased), the whole body, the peer's address and whether it came over TLS.
package struct HTTPRequest: Sendable {
    package var method: String
    package var path: String
    package var query: [String: String]
    package var headers: [String: String]
    package var body: [UInt8]
    /// The peer's numeric IP address ("127.0.0.1", "::1"); empty when unknown. It is the TCP peer:
    /// behind a reverse proxy, the proxy's address.
    package var remoteAddress: String
    /// Whether the request was served over TLS (the server was started with a certificate).
    package var isSecure: Bool

    package init(
        method: String, path: String, query: [String: String] = [:], headers: [String: String] = [:], body: [UInt8] = [],
        remoteAddress: String = "", isSecure: Bool = false
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.remoteAddress = remoteAddress
        self.isSecure = isSecure
    }
}
