import Foundation
import HTTPServer
import MimamoriTesting
import Store
import Testing

/// `/metrics` of the real `mimamori serve`: the Prometheus registry holds the server's request
/// series and the Store's own figures.
@Suite(.serialized)
struct StoreMetricsTests {
    @Test("/metrics carries the audit commits, the search stage timings, the index lag per prefecture, the webhook backlog and the match-check queue")
    func storeFigures() throws {
        let f = try APIFixture()
        f.server.stop()
        let running = try CommandRun.start(["serve", "--data", f.store.dataDirectory.path, "--port", "0", "--no-access-log"])
        defer {
            running.kill()
            _ = CommandRun.finish(running)
        }
        let banner = try #require(running.waitForOutput(containing: "Serving on"))
        let port = try #require(UInt16(banner.split(separator: ":").last?.split(separator: "/").first ?? ""))
        let client = RawHTTPClient(port: port)
        func get(_ path: String) throws -> RawHTTPClient.Reply {
            let request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nAuthorization: Bearer \(f.tokens[.partnerCGC]!)\r\n\r\n"
            return try #require(try client.send(Array(request.utf8)))
        }
        #expect(try get("/api/v1/search?q=%E5%B1%B1%E7%94%B0%20%E5%A4%AA%E9%83%8E").status == 200)
        let metrics = try get("/metrics")
        #expect(metrics.status == 200)
        for series in [
            "mimamori_http_requests_total{", "mimamori_audit_entries_total ", "mimamori_audit_commits_total ",
            "mimamori_audit_commit_seconds_bucket{", #"mimamori_search_stage_seconds_count{stage="retrieval"}"#,
            #"mimamori_search_stage_seconds_count{stage="disclosure"}"#, #"mimamori_index_lag_changes{prefecture="13"} 0"#,
            "mimamori_webhook_backlog ", "mimamori_match_checks_waiting ",
        ] {
            #expect(metrics.body.contains(series), "\(series) missing from /metrics")
        }
        // Labels carry no data: no search term reaches the registry.
        #expect(!metrics.body.contains("山田") && !metrics.body.contains("%E5"))
    }
}
