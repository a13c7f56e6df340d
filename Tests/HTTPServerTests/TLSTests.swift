import Foundation
import HTTPServer
import MimamoriTesting
import Testing

/// HTTPS on libmicrohttpd (GnuTLS) with a self-signed certificate made at test time by the
/// `openssl` command, checked with `curl`, as a client in the field would connect.
@Suite(.serialized)
struct TLSTests {
    static func startServer(_ certificate: TestCertificate) throws -> (HTTPServer, UInt16) {
        var configuration = HTTPServer.Configuration()
        configuration.port = 0
        configuration.idleTimeout = 2
        configuration.tls = (certificatePEM: certificate.certificatePEM, keyPEM: certificate.keyPEM)
        let server = HTTPServer(configuration: configuration) { request in
            switch request.path {
            case "/whoami": .json(200, "{\"remote\":\"\(request.remoteAddress)\",\"secure\":\(request.isSecure)}")
            case "/healthz": .json(200, #"{"status":"ok"}"#).routed("/healthz")
            default: .problem(404, title: "Not found", detail: "no route")
            }
        }
        return (server, try server.start())
    }

    @Test("curl that trusts the certificate gets /healthz over HTTPS, and the request says it is secure")
    func servesHTTPS() throws {
        let certificate = try TestCertificate()
        let (server, port) = try Self.startServer(certificate)
        defer { server.stop() }
        #expect(server.isSecure)
        let health = try TestCertificate.curl("https://127.0.0.1:\(port)/healthz", trusting: certificate.certificateFile)
        #expect(health.status == 0, "\(health.standardError)")
        #expect(health.standardOutput == "{\"status\":\"ok\"}\n200")
        let whoami = try TestCertificate.curl("https://localhost:\(port)/whoami", trusting: certificate.certificateFile)
        #expect(whoami.standardOutput == "{\"remote\":\"127.0.0.1\",\"secure\":true}\n200", "\(whoami.standardError)")
        // Without trusting it, curl refuses the self-signed certificate (exit 60): it was really served.
        let untrusted = try TestCertificate.curl("https://127.0.0.1:\(port)/healthz", trusting: nil)
        #expect(untrusted.status == 60, "curl exit \(untrusted.status): \(untrusted.standardError)")
        #expect(server.metrics.requestCount >= 2)
    }

    @Test("plain HTTP to the TLS port gets no 200, and HTTPS still works after it")
    func plainHTTPRefused() throws {
        let certificate = try TestCertificate()
        let (server, port) = try Self.startServer(certificate)
        defer { server.stop() }
        let client = RawHTTPClient(port: port)
        let reply = try client.exchange(Array("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8), timeout: 5)
        let text = String(decoding: reply, as: UTF8.self)
        #expect(!text.contains(" 200 "), "plain HTTP was answered: \(text.prefix(200))")
        #expect(!text.contains("\"status\":\"ok\""))
        let plainCurl = try TestCertificate.curl("http://127.0.0.1:\(port)/healthz", trusting: nil)
        #expect(!plainCurl.standardOutput.hasSuffix("\n200"), "\(plainCurl.standardOutput)")
        let health = try TestCertificate.curl("https://127.0.0.1:\(port)/healthz", trusting: certificate.certificateFile)
        #expect(health.standardOutput.hasSuffix("\n200"), "\(health.standardError)")
    }

    enum BadInput: String, CaseIterable {
        case certificateNotPEM, keyNotPEM, keyOfAnotherCertificate, corruptCertificate, encryptedKey
    }

    @Test("a certificate or key that cannot be used is a clear error", arguments: BadInput.allCases)
    func badCertificateOrKey(_ bad: BadInput) throws {
        let certificate = try TestCertificate()
        var tls = (certificatePEM: certificate.certificatePEM, keyPEM: certificate.keyPEM)
        let expected: String
        switch bad {
        case .certificateNotPEM:
            tls.certificatePEM = "not a certificate"
            expected = "not a PEM certificate"
        case .keyNotPEM:
            tls.keyPEM = certificate.certificatePEM
            expected = "not a PEM private key"
        case .keyOfAnotherCertificate:
            tls.keyPEM = try certificate.otherKeyPEM()
            expected = "the certificate or key cannot be used"
        case .corruptCertificate:
            let lines = certificate.certificatePEM.split(separator: "\n")
            tls.certificatePEM = ([lines[0]] + lines.dropFirst().dropLast().map { _ in "AAAA!!!!" } + [lines.last!]).joined(separator: "\n") + "\n"
            expected = "the certificate or key cannot be used"
        case .encryptedKey:
            tls.keyPEM = "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n"
            expected = "encrypted with a passphrase"
        }
        var configuration = HTTPServer.Configuration()
        configuration.port = 0
        configuration.tls = tls
        let server = HTTPServer(configuration: configuration) { _ in .json(200, "{}") }
        #expect { try server.start() } throws: { error in
            "\(error)".contains(expected)
        }
        // The failure left nothing behind: the same server starts with the right pair.
        var good = configuration
        good.tls = (certificatePEM: certificate.certificatePEM, keyPEM: certificate.keyPEM)
        let fixed = HTTPServer(configuration: good) { _ in .json(200, "{}") }
        try fixed.start()
        fixed.stop()
    }
}
