import CCurl

/// The save-time check of an address the service will POST to, read by libcurl's own URL
/// parser, the one the sender uses: what is checked here is what would be sent to.
///
/// This check gives the administrator a precise answer when saving; it is not the defence. A
/// name can resolve anywhere at send time, so `OutboundClient` judges the address it actually
/// connects to.
package enum DestinationURL {
    /// Why a URL is not accepted.
    package enum Problem: Error, Equatable, Sendable {
        /// Longer than `maximumLength`.
        case tooLong
        /// Not a URL libcurl reads, or not http or https.
        case notHTTP
        /// It carries a user name, password or login options (`http://user@host/`).
        case userInfo
        /// It names no host.
        case noHost
        /// The host is an address (or a name, `localhost`) that is never connected to.
        case forbidden(host: String, OutboundPolicy.Forbidden)
    }

    package static let maximumLength = 2_000

    /// Checks `text` and returns its host as libcurl reads it (an IPv4 address normalized from
    /// any spelling, `[::1]` in brackets, or a name).
    @discardableResult
    package static func check(_ text: String) throws(Problem) -> String {
        guard text.utf8.count <= maximumLength else { throw .tooLong }
        OutboundClient.initializeLibrary()
        guard let url = curl_url() else { throw .notHTTP }
        defer { curl_url_cleanup(url) }
        guard curl_url_set(url, CURLUPART_URL, text, 0) == CURLUE_OK else { throw .notHTTP }
        guard let scheme = part(url, CURLUPART_SCHEME)?.lowercased(), scheme == "http" || scheme == "https" else { throw .notHTTP }
        for credential in [CURLUPART_USER, CURLUPART_PASSWORD, CURLUPART_OPTIONS] where part(url, credential) != nil { throw .userInfo }
        guard let host = part(url, CURLUPART_HOST), !host.isEmpty else { throw .noHost }
        if let address = IPAddress(host.hasPrefix("[") && host.hasSuffix("]") ? host.dropFirst().dropLast() : host[...]),
            case .never(let reason) = OutboundPolicy.kind(of: address)
        {
            throw .forbidden(host: host, reason)
        }
        // RFC 6761: localhost and every name under it are loopback, whatever DNS says.
        let name = host.lowercased().hasSuffix(".") ? String(host.lowercased().dropLast()) : host.lowercased()
        if name == "localhost" || name.hasSuffix(".localhost") { throw .forbidden(host: host, .loopback) }
        return host
    }

    /// One part of a parsed URL, or nil when it has none.
    private static func part(_ url: OpaquePointer, _ which: CURLUPart) -> String? {
        var value: UnsafeMutablePointer<CChar>?
        guard curl_url_get(url, which, &value, 0) == CURLUE_OK, let value else { return nil }
        defer { curl_free(value) }
        return String(cString: value)
    }
}
