/// Why `HTTPServer.start()` failed, said so the operator can fix it: a host that is not a
/// numeric address, a port that cannot be bound, or a TLS certificate or key that cannot be used.
package struct HTTPServerError: Error, CustomStringConvertible {
    package let description: String

    init(_ description: String) { self.description = description }
}
