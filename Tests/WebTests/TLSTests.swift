import Foundation
import MimamoriTesting
import Testing
import Web

/// HTTPS on libmicrohttpd (GnuTLS) with a self-signed certificate made at test time by the
/// `openssl` command, checked with `curl`, as a client in the field would connect.
@Suite(.serialized)
struct TLSTests {
    /// A self-signed certificate for 127.0.0.1 and localhost, and its key, in a temporary folder.
    struct Certificate {
        let folder: TemporaryDirectory
        var certificateFile: URL { folder.file("cert.pem") }
        var keyFile: URL { folder.file("key.pem") }
        let certificatePEM: String
        let keyPEM: String

        init() throws {
            folder = TemporaryDirectory("mimamori-tls")
            let made = try TLSTests.run("openssl", [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", folder.file("key.pem").path, "-out", folder.file("cert.pem").path, "-days", "2",
                "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
            ])
            #expect(made.status == 0, "openssl req failed: \(made.error)")
            certificatePEM = try String(contentsOf: folder.file("cert.pem"), encoding: .utf8)
            keyPEM = try String(contentsOf: folder.file("key.pem"), encoding: .utf8)
        }

        /// Another private key, which does not belong to the certificate.
        func otherKeyPEM() throws -> String {
            let made = try TLSTests.run("openssl", ["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-out", folder.file("other.pem").path])
            #expect(made.status == 0, "openssl genpkey failed: \(made.error)")
            return try String(contentsOf: folder.file("other.pem"), encoding: .utf8)
        }
    }

    struct Run {
        let status: Int32
        let output: String
        let error: String
    }

    /// Runs a command found on PATH (`openssl`, `curl`) to completion.
    static func run(_ tool: String, _ arguments: [String]) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, output: String(decoding: out, as: UTF8.self), error: String(decoding: err, as: UTF8.self))
    }

    /// `curl` to `url`, trusting `certificate` (or the system's authorities when nil); the body
    /// and, on the last line, the status.
    static func curl(_ url: String, trusting certificate: URL?) throws -> Run {
        try run("curl", ["--silent", "--show-error", "--max-time", "10", "--write-out", "\n%{http_code}"]
            + (certificate.map { ["--cacert", $0.path] } ?? []) + [url])
    }

    static func startServer(_ certificate: Certificate) throws -> (HTTPServer, UInt16) {
        var configuration = HTTPServer.Configuration()
        configuration.port = 0
        configuration.idleTimeout = 2
        configuration.tls = (certificatePEM: certificate.certificatePEM, keyPEM: certificate.keyPEM)
        let application = WebApplication()
        let server = HTTPServer(configuration: configuration) { request in
            request.path == "/whoami"
                ? .json(200, "{\"remote\":\"\(request.remoteAddress)\",\"secure\":\(request.isSecure)}")
                : application.handle(request)
        }
        return (server, try server.start())
    }

    @Test("curl that trusts the certificate gets /healthz over HTTPS, and the request says it is secure")
    func servesHTTPS() throws {
        let certificate = try Certificate()
        let (server, port) = try Self.startServer(certificate)
        defer { server.stop() }
        #expect(server.isSecure)
        let health = try Self.curl("https://127.0.0.1:\(port)/healthz", trusting: certificate.certificateFile)
        #expect(health.status == 0, "\(health.error)")
        #expect(health.output == "{\"status\":\"ok\"}\n200")
        let whoami = try Self.curl("https://localhost:\(port)/whoami", trusting: certificate.certificateFile)
        #expect(whoami.output == "{\"remote\":\"127.0.0.1\",\"secure\":true}\n200", "\(whoami.error)")
        // Without trusting it, curl refuses the self-signed certificate (exit 60): it was really served.
        let untrusted = try Self.curl("https://127.0.0.1:\(port)/healthz", trusting: nil)
        #expect(untrusted.status == 60, "curl exit \(untrusted.status): \(untrusted.error)")
        #expect(server.metrics.requestCount >= 2)
    }

    @Test("plain HTTP to the TLS port gets no 200, and HTTPS still works after it")
    func plainHTTPRefused() throws {
        let certificate = try Certificate()
        let (server, port) = try Self.startServer(certificate)
        defer { server.stop() }
        let client = RawHTTPClient(port: port)
        let reply = try client.exchange(Array("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8), timeout: 5)
        let text = String(decoding: reply, as: UTF8.self)
        #expect(!text.contains(" 200 "), "plain HTTP was answered: \(text.prefix(200))")
        #expect(!text.contains("\"status\":\"ok\""))
        let plainCurl = try Self.curl("http://127.0.0.1:\(port)/healthz", trusting: nil)
        #expect(!plainCurl.output.hasSuffix("\n200"), "\(plainCurl.output)")
        let health = try Self.curl("https://127.0.0.1:\(port)/healthz", trusting: certificate.certificateFile)
        #expect(health.output.hasSuffix("\n200"), "\(health.error)")
    }

    enum BadInput: String, CaseIterable {
        case certificateNotPEM, keyNotPEM, keyOfAnotherCertificate, corruptCertificate, encryptedKey
    }

    @Test("a certificate or key that cannot be used is a clear error", arguments: BadInput.allCases)
    func badCertificateOrKey(_ bad: BadInput) throws {
        let certificate = try Certificate()
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

    @Test("mimamori serve needs --tls-cert and --tls-key together", arguments: [["--tls-cert", "cert.pem"], ["--tls-key", "key.pem"]])
    func serveNeedsBoth(_ arguments: [String]) throws {
        let run = try CommandRun.mimamori(["serve", "--port", "0"] + arguments)
        #expect(run.status == 64, "\(run.standardError)")
        #expect(run.standardError.contains(arguments[0] == "--tls-cert" ? "--tls-cert needs --tls-key" : "--tls-key needs --tls-cert"), "\(run.standardError)")
    }

    @Test("mimamori serve with a certificate prints an https address, serves it, and writes the access log to standard error")
    func serveTLS() throws {
        let certificate = try Certificate()
        let test = try TestStore()
        for accessLog in [true, false] {
            let running = try CommandRun.start(
                ["serve", "--data", test.dataDirectory.path, "--port", "0", "--tls-cert", certificate.certificateFile.path,
                 "--tls-key", certificate.keyFile.path] + (accessLog ? [] : ["--no-access-log"]))
            let banner = try #require(running.waitForOutput(containing: "Serving on"), "no banner")
            #expect(banner.contains("Serving on https://127.0.0.1:"), "\(banner)")
            let port = try #require(banner.split(separator: ":").last.flatMap { UInt16($0.prefix { $0.isNumber }) })
            let health = try Self.curl("https://127.0.0.1:\(port)/healthz?q=%E5%B1%B1%E7%94%B0", trusting: certificate.certificateFile)
            #expect(health.output.hasSuffix("\n200"), "\(health.error)")
            running.signal(SIGTERM)
            let run = CommandRun.finish(running)
            #expect(run.status == 0 && !run.killedBySignal, "\(run.standardError)")
            let logLines = run.standardError.split(separator: "\n").filter { $0.hasPrefix("{\"ts\":") }
            #expect(logLines.count == (accessLog ? 1 : 0), "\(run.standardError)")
            if let line = logLines.first {
                #expect(line.contains("\"method\":\"GET\"") && line.contains("\"status\":200"), "\(line)")
                #expect(!line.contains("healthz?") && !line.contains("%E5"), "\(line)")
            }
        }
    }
}
