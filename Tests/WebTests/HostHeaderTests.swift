import Foundation
import MimamoriTesting
import Testing

/// The real `mimamori serve` answers only for its host names (DNS rebinding): a request naming
/// another host is refused with 421 on every kind of route, before any routing.
@Suite(.serialized)
struct HostHeaderTests {
    /// A started `mimamori serve` over a fresh store and a client for it.
    struct Served {
        let running: RunningCommand
        let client: RawHTTPClient

        init(_ arguments: [String], store: TestStore, address: String = "127.0.0.1") throws {
            running = try CommandRun.start(["serve", "--data", store.dataDirectory.path, "--port", "0", "--no-access-log"] + arguments)
            let banner = try #require(running.waitForOutput(containing: "Serving on"), "no banner")
            let port = try #require(banner.split(separator: ":").last.flatMap { UInt16($0.prefix { $0.isNumber }) })
            client = RawHTTPClient(port: port, address: address)
        }

        func stop() {
            running.signal(SIGTERM)
            _ = CommandRun.finish(running)
        }

        /// The status of `GET path` naming `host`.
        func status(_ path: String, host: String) throws -> Int {
            let request = "GET \(path) HTTP/1.1\r\nHost: \(host)\r\nConnection: close\r\n\r\n"
            return try #require(try client.send(Array(request.utf8)), "no reply to \(path) for \(host)").status
        }
    }

    /// One route of each kind: the API, a page, a static file, the health check, the metrics.
    static let paths = ["/api/v1/search?q=%E5%B1%B1%E7%94%B0", "/", "/login", "/static/app.css", "/healthz", "/metrics"]
    static let foreignHosts = [
        "evil.example", "evil.example:8080", "[2001:db8::1]", "[2001:db8::1]:8080", "EVIL.EXAMPLE", "evil.example.", "127.0.0.2",
    ]

    @Test("by default only the loopback names are served; any other host gets 421 on the API, the pages, static files, /healthz and /metrics")
    func loopbackOnly() throws {
        let store = try TestStore()
        let served = try Served([], store: store)
        defer { served.stop() }
        let port = served.client.port
        for path in Self.paths {
            for host in Self.foreignHosts {
                #expect(try served.status(path, host: host) == 421, "\(path) for \(host)")
            }
            for host in ["localhost", "localhost:\(port)", "LOCALHOST", "localhost.", "127.0.0.1", "127.0.0.1:\(port)", "[::1]", "[::1]:\(port)"] {
                let status = try served.status(path, host: host)
                #expect(status != 421 && status < 500, "\(path) for \(host): \(status)")
            }
        }
        #expect(try served.status("/healthz", host: "127.0.0.1:\(port)") == 200)
        #expect(try served.status("/static/app.css", host: "localhost:\(port)") == 200)
        #expect(try served.status("/api/v1/search?q=x", host: "localhost") == 401)
        #expect(try served.status("/metrics", host: "[::1]") == 200)
    }

    @Test("--public-url admits its host (any port), --host a specific address; others are still refused")
    func publicURLs() throws {
        let store = try TestStore()
        let served = try Served(
            ["--host", "127.0.0.5", "--public-url", "https://mimamori.example.lg.jp", "--public-url", "http://[2001:db8::7]:8080/"], store: store,
            address: "127.0.0.5")
        defer { served.stop() }
        for host in [
            "mimamori.example.lg.jp", "mimamori.example.lg.jp:443", "Mimamori.Example.LG.JP.", "[2001:db8::7]:8080", "127.0.0.5", "localhost",
        ] {
            #expect(try served.status("/healthz", host: host) == 200, "\(host)")
        }
        for host in Self.foreignHosts + ["example.lg.jp", "evil.mimamori.example.lg.jp", "mimamori.example.lg.jp.evil.example"] {
            #expect(try served.status("/healthz", host: host) == 421, "\(host)")
        }
    }

    @Test(
        "a --public-url that is not a plain http(s) URL of a host is a usage error",
        arguments: [
            "mimamori.example.lg.jp", "ftp://mimamori.example.lg.jp", "https://mimamori.example.lg.jp/mimamori",
            "https://user@mimamori.example.lg.jp",
            "https://mimamori.example.lg.jp/?x=1", "https://", "https://例え.jp",
        ])
    func badPublicURL(_ url: String) throws {
        let run = try CommandRun.mimamori(["serve", "--port", "0", "--public-url", url])
        #expect(run.status == 64, "\(url): \(run.status) \(run.standardError)")
        #expect(run.standardError.contains("--public-url"), "\(run.standardError)")
    }
}
