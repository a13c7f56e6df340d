import CMicroHTTPD

/// Facts about the linked libmicrohttpd.
package enum MicroHTTPD {
    /// The version string of the libmicrohttpd the binary runs against, e.g. "0.9.75".
    package static var version: String {
        guard let version = MHD_get_version() else { return "unknown" }
        return String(cString: version)
    }

    /// Whether the linked libmicrohttpd was built with TLS (Debian's is, with GnuTLS).
    package static var supportsTLS: Bool {
        MHD_is_feature_supported(.FEATURE_TLS) == .YES
    }
}
