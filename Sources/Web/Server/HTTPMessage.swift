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

/// A response: status, headers and body, and the route template that produced it.
package struct HTTPResponse: Sendable {
    package var status: Int
    package var headers: [(name: String, value: String)]
    package var body: [UInt8]
    /// The route template the application matched, e.g. "/api/v1/cases/{id}": the label of the
    /// request in the metrics and the access log, which never see the raw path or query (they may
    /// carry names and birthdates). Nil when no route matched: labelled "unmatched".
    package var route: String?

    package init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = [], route: String? = nil) {
        self.status = status
        self.headers = headers
        self.body = body
        self.route = route
    }

    /// The same response, labelled with the route template that produced it.
    package func routed(_ template: String) -> HTTPResponse {
        var response = self
        response.route = template
        return response
    }

    /// A JSON body (already encoded).
    package static func json(_ status: Int, _ text: String) -> HTTPResponse {
        HTTPResponse(status: status, headers: [("Content-Type", "application/json; charset=utf-8")], body: Array(text.utf8))
    }

    /// An RFC 9457 problem body: what went wrong, said so the caller can fix it.
    package static func problem(_ status: Int, title: String, detail: String) -> HTTPResponse {
        let body = "{\"status\":\(status),\"title\":\(jsonString(title)),\"detail\":\(jsonString(detail))}"
        return HTTPResponse(status: status, headers: [("Content-Type", "application/problem+json")], body: Array(body.utf8))
    }
}

/// A JSON string literal of `text` (quotes, backslashes and control characters escaped).
func jsonString(_ text: String) -> String {
    var result = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": result += "\\\""
        case "\\": result += "\\\\"
        case "\n": result += "\\n"
        default:
            if scalar.value < 0x20 {
                result += "\\u00" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
    }
    return result + "\""
}
