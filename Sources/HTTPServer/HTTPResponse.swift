/// A response: status, headers and body, and the route template that produced it.
package struct HTTPResponse: Sendable {
    package var status: Int
    package var headers: [(name: String, value: String)]
    package var body: [UInt8]
    /// The route template the application matched, e.g. "/items/{id}": the label of the request
    /// in the metrics and the access log, which never see the raw path or query (they may carry
    /// personal data). Nil when no route matched: labelled "unmatched".
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
