import Foundation
import HTTPServer
import MimamoriTesting
import Prometheus
import Testing
import Web

/// `GET /metrics` through the application, wired as `mimamori serve` wires it: one registry that
/// the server records its request metrics in and the application renders, with the
/// application's series prefix and room for metrics of the application's own.
@Suite(.serialized)
struct MetricsRouteTests {
    @Test("GET /metrics renders the server's request series and the application's own metrics from one registry")
    func sharedRegistry() throws {
        let registry = PrometheusCollectorRegistry()
        let events = registry.makeCounter(
            descriptor: MetricNameDescriptor(namespace: "mimamori", metricName: "test_events", unitName: "total", helpText: "Events a test counted."))
        events.increment()
        var configuration = HTTPServer.Configuration()
        configuration.port = 0
        configuration.metricsPrefix = WebApplication.metricsPrefix
        let application = WebApplication(metrics: { registry.exposition() })
        let server = HTTPServer(configuration: configuration, registry: registry) { application.handle($0) }
        let client = RawHTTPClient(port: try server.start())
        defer { server.stop() }
        #expect(try client.get("/healthz")?.status == 200)
        let deadline = Date().addingTimeInterval(3)
        while server.metrics.requestCount < 1 && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        let reply = try #require(try client.get("/metrics"))
        #expect(reply.status == 200)
        #expect(APIFixture.header("Content-Type", of: reply) == "text/plain; version=0.0.4; charset=utf-8")
        let lines = Set(reply.body.split(separator: "\n").map(String.init))
        #expect(lines.contains(#"mimamori_http_requests_total{route="/healthz",method="GET",status="200"} 1"#), "\(reply.body)")
        #expect(lines.contains(#"mimamori_http_request_duration_seconds_count{route="/healthz"} 1"#), "\(reply.body)")
        // The /metrics request itself is in flight while the registry is rendered.
        #expect(lines.contains("mimamori_http_requests_in_flight 1.0"), "\(reply.body)")
        #expect(lines.contains("# HELP mimamori_test_events_total Events a test counted."), "\(reply.body)")
        #expect(lines.contains("mimamori_test_events_total 1"), "\(reply.body)")
    }
}
