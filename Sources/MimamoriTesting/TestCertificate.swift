package import Foundation

/// A self-signed certificate for 127.0.0.1 and localhost, and its key, made at test time by the
/// `openssl` command in a temporary folder; and `curl` to fetch from a server that serves it,
/// as a client in the field would connect.
package struct TestCertificate: Sendable {
    package let folder: TemporaryDirectory
    package var certificateFile: URL { folder.file("cert.pem") }
    package var keyFile: URL { folder.file("key.pem") }
    package let certificatePEM: String
    package let keyPEM: String

    /// Why `openssl` could not make a key or certificate.
    package struct Failure: Error, CustomStringConvertible {
        package let description: String
    }

    /// - Throws: `Failure` when `openssl` fails (its standard error says why).
    package init() throws {
        folder = TemporaryDirectory("mimamori-tls")
        try Self.openssl([
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", folder.file("key.pem").path, "-out", folder.file("cert.pem").path, "-days", "2",
            "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
        ])
        certificatePEM = try String(contentsOf: folder.file("cert.pem"), encoding: .utf8)
        keyPEM = try String(contentsOf: folder.file("key.pem"), encoding: .utf8)
    }

    /// Another private key, which does not belong to the certificate.
    package func otherKeyPEM() throws -> String {
        try Self.openssl(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-out", folder.file("other.pem").path])
        return try String(contentsOf: folder.file("other.pem"), encoding: .utf8)
    }

    /// `curl` to `url`, trusting `certificate` (or the system's authorities when nil): the body
    /// and, on the last line, the status, on standard output.
    package static func curl(_ url: String, trusting certificate: URL?) throws -> CommandRun {
        try CommandRun.program(
            URL(fileURLWithPath: "/usr/bin/env"),
            ["curl", "--silent", "--show-error", "--max-time", "10", "--write-out", "\n%{http_code}"]
                + (certificate.map { ["--cacert", $0.path] } ?? []) + [url])
    }

    private static func openssl(_ arguments: [String]) throws {
        let run = try CommandRun.program(URL(fileURLWithPath: "/usr/bin/env"), ["openssl"] + arguments)
        guard run.status == 0 else { throw Failure(description: "openssl \(arguments[0]) failed: \(run.standardError)") }
    }
}
