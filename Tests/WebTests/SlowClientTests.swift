import Foundation
import MimamoriTesting
import Testing

/// The real `mimamori serve` with its request deadlines (`--header-timeout`, `--body-timeout`,
/// `--min-body-rate`) against clients that trickle their requests a byte at a time.
@Suite(.serialized)
struct SlowClientTests {
    @Test("200 clients trickling their headers and one trickling its body are disconnected at their deadlines while a normal client is answered")
    func slowLoris() throws {
        let store = try TestStore()
        let running = try CommandRun.start([
            "serve", "--data", store.dataDirectory.path, "--port", "0", "--no-access-log", "--connections-per-address", "0",
            "--header-timeout", "3", "--body-timeout", "3", "--min-body-rate", "0",
        ])
        defer {
            running.signal(SIGTERM)
            _ = CommandRun.finish(running)
        }
        let banner = try #require(running.waitForOutput(containing: "Serving on"), "no banner")
        let port = try #require(banner.split(separator: ":").last.flatMap { UInt16($0.prefix { $0.isNumber }) })
        let client = RawHTTPClient(port: port)
        let headers = Array("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: \(String(repeating: "a", count: 500))".utf8)
        let slowHeaders = try TricklingConnections(client: client, count: 200, request: headers)
        let head = Array("POST /api/v1/session HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n".utf8)
        let slowBody = try TricklingConnections(client: client, count: 1, request: head + [UInt8](repeating: 0x20, count: 1000), prefix: head.count)
        for _ in 0..<4 {
            slowHeaders.step()
            slowBody.step()
            #expect(try client.get("/healthz")?.status == 200)
            Thread.sleep(forTimeInterval: 0.5)
        }
        #expect(slowHeaders.openCount == 200 && slowBody.openCount == 1, "closed before their deadline")
        let end = Date().addingTimeInterval(10)
        while (slowHeaders.step() > 0 || slowBody.step() > 0) && Date() < end { Thread.sleep(forTimeInterval: 0.5) }
        #expect(slowHeaders.openCount == 0 && slowBody.openCount == 0, "still open after 10 s more of trickling")
        #expect(slowHeaders.closedAfter.allSatisfy { ($0 ?? 99) < 6 }, "\(slowHeaders.closedAfter.compactMap { $0 }.max() ?? 0) s")
        #expect((slowBody.closedAfter[0] ?? 99) < 6, "\(slowBody.closedAfter[0] ?? 0) s")
        let metrics = try #require(try client.get("/metrics"))
        #expect(metrics.body.contains(#"mimamori_http_request_deadline_exceeded_total{phase="headers"} 200"#), "\(metrics.body.prefix(3000))")
        #expect(metrics.body.contains(#"mimamori_http_request_deadline_exceeded_total{phase="body"} 1"#))
    }

    @Test(
        "request deadlines outside their range are usage errors",
        arguments: [["--header-timeout", "0"], ["--body-timeout", "-1"], ["--header-timeout", "86401"], ["--min-body-rate", "-5"]])
    func badDeadlines(_ arguments: [String]) throws {
        let run = try CommandRun.mimamori(["serve", "--port", "0"] + arguments)
        #expect(run.status == 64, "\(arguments): \(run.status) \(run.standardError)")
        #expect(run.standardError.contains(arguments[0]), "\(run.standardError)")
    }
}
