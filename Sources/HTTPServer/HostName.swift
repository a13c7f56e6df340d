import CMicroHTTPD

/// A host name as a request's `Host` header or the server's configuration names it, in one
/// spelling so that two names of the same host compare equal: ASCII lower case, without a
/// trailing dot and without the port; an IPv6 literal in brackets and in its canonical form
/// (`[::1]` for `[0:0:0:0:0:0:0:1]`).
///
/// The grammar is RFC 9110's `Host = uri-host [ ":" port ]` (section 7.2), narrowed to what a
/// browser sends: a DNS name or IPv4 address of letters, digits, `-`, `_` and `.`, or a
/// bracketed IPv6 literal; the port, if any, is at most five digits. Anything else (a
/// percent-encoded or non-ASCII name, an unbracketed IPv6 address, `IPvFuture`, user
/// information) is not a host name here.
package struct HostName: Hashable, Sendable, CustomStringConvertible {
    /// The normalized name, e.g. `mimamori.example.lg.jp`, `127.0.0.1`, `[::1]`.
    package let text: String

    package var description: String { text }

    /// The names of this machine's loopback interface, which only a client on the machine
    /// itself can reach: `localhost`, `127.0.0.1`, `[::1]`.
    package static let loopback = ["localhost", "127.0.0.1", "[::1]"]

    /// Parses a `Host` header's value or a configured name: `name`, `name:port`, `[ipv6]` or
    /// `[ipv6]:port`. Nil when it is not a host name (see the type's description).
    package init?(_ value: some StringProtocol) {
        var rest = Substring(value)
        let name: String
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { return nil }
            let literal = rest[rest.index(after: rest.startIndex)..<close]
            guard literal.utf8.count <= 64, let canonical = Self.canonicalIPv6(String(literal)) else { return nil }
            name = "[" + canonical + "]"
            rest = rest[rest.index(after: close)...]
        } else {
            let end = rest.firstIndex(of: ":") ?? rest.endIndex
            var label = rest[..<end]
            // A fully qualified name may end with the root's dot: the same host.
            if label.hasSuffix(".") { label = label.dropLast() }
            guard !label.isEmpty, label.utf8.count <= 253, label.utf8.allSatisfy(Self.isNameByte), !label.hasPrefix("."),
                !label.contains("..")
            else { return nil }
            name = label.lowercased()
            rest = rest[end...]
        }
        if !rest.isEmpty {
            // RFC 9110 allows an empty port ("host:").
            let port = rest.dropFirst()
            guard rest.first == ":", port.utf8.count <= 5, port.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), (Int(port) ?? 0) <= 65_535 else {
                return nil
            }
        }
        text = name
    }

    /// ASCII letters, digits, `-`, `_` and `.`: what a DNS name or an IPv4 address is made of.
    private static func isNameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x2D, 0x2E, 0x5F: true
        default: false
        }
    }

    /// The canonical text of an IPv6 address, or nil when `text` is not one.
    private static func canonicalIPv6(_ text: String) -> String? {
        var buffer = [CChar](repeating: 0, count: 64)
        guard cmhd_canonical_ipv6(text, &buffer, buffer.count) == 0 else { return nil }
        return buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }
}

/// Why a request's `Host` header(s) do not name a host the server answers for, as the 4xx
/// the server sends before any routing (see `HTTPServer.Configuration.allowedHosts`).
enum HostRefusal {
    /// An HTTP/1.1 request without a `Host` header (RFC 9112, section 3.2: 400).
    case missing
    /// More than one `Host` header (RFC 9112, section 3.2: 400).
    case several
    /// A `Host` that is not a host name.
    case malformed
    /// A host name the server does not answer for: a DNS rebinding page, or a name the
    /// operator has not configured (RFC 9110, section 15.5.20: 421 Misdirected Request).
    case notServed

    /// Checks the `Host` headers of a request of HTTP `version` ("HTTP/1.1", "HTTP/1.0")
    /// against `allowed`; nil when the request may be served. An HTTP/1.0 request without a
    /// `Host` is served: a browser always sends one, so no web page can make such a request.
    init?(hosts: [String], version: String, allowed: Set<HostName>) {
        switch hosts.count {
        case 0:
            if version == "HTTP/1.0" { return nil }
            self = .missing
        case 1:
            guard let name = HostName(hosts[0]) else {
                self = .malformed
                return
            }
            if allowed.contains(name) { return nil }
            self = .notServed
        default:
            self = .several
        }
    }

    /// The answer: a problem that says what is wrong and never repeats the header (it is the
    /// client's text, and a log or a page might show the answer).
    var response: HTTPResponse {
        switch self {
        case .missing:
            .problem(400, title: "Host header required", detail: "an HTTP/1.1 request must name the host it is for in one Host header")
        case .several:
            .problem(400, title: "Several Host headers", detail: "a request must have exactly one Host header")
        case .malformed:
            .problem(400, title: "Malformed Host header", detail: "the Host header is not a host name with an optional port")
        case .notServed:
            .problem(
                421, title: "Misdirected request",
                detail: "this server does not answer for the host named in the Host header; it answers only for the host names it is configured with"
            )
        }
    }
}
