import Foundation
import MimamoriTesting
import Testing

/// `mimamori serve` over HTTPS: the command's TLS options, its banner and its access log, with a
/// self-signed certificate made at test time and `curl` as the client.
@Suite(.serialized)
struct ServeTLSTests {
    @Test("mimamori serve needs --tls-cert and --tls-key together", arguments: [["--tls-cert", "cert.pem"], ["--tls-key", "key.pem"]])
    func serveNeedsBoth(_ arguments: [String]) throws {
        let run = try CommandRun.mimamori(["serve", "--port", "0"] + arguments)
        #expect(run.status == 64, "\(run.standardError)")
        #expect(
            run.standardError.contains(arguments[0] == "--tls-cert" ? "--tls-cert needs --tls-key" : "--tls-key needs --tls-cert"),
            "\(run.standardError)")
    }

    @Test("mimamori serve with a certificate prints an https address, serves it, and writes the access log to standard error")
    func serveTLS() throws {
        let certificate = try TestCertificate()
        let test = try TestStore()
        for accessLog in [true, false] {
            let running = try CommandRun.start(
                [
                    "serve", "--data", test.dataDirectory.path, "--port", "0", "--tls-cert", certificate.certificateFile.path,
                    "--tls-key", certificate.keyFile.path,
                ] + (accessLog ? [] : ["--no-access-log"]))
            let banner = try #require(running.waitForOutput(containing: "Serving on"), "no banner")
            #expect(banner.contains("Serving on https://127.0.0.1:"), "\(banner)")
            let port = try #require(banner.split(separator: ":").last.flatMap { UInt16($0.prefix { $0.isNumber }) })
            let health = try TestCertificate.curl("https://127.0.0.1:\(port)/healthz?q=%E5%B1%B1%E7%94%B0", trusting: certificate.certificateFile)
            #expect(health.standardOutput.hasSuffix("\n200"), "\(health.standardError)")
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
