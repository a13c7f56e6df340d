import Foundation
import HTTPServer
import MimamoriTesting
import Synchronization
import Testing

/// The server's metrics registry, fed by real requests on a real port and read back through
/// `render()`, whose text is checked against the Prometheus exposition format 0.0.4.
@Suite(.serialized)
struct MetricsTests {
    /// The series prefix the application gives (`mimamori_http_requests_total`, …).
    static let prefix = "mimamori_http"

    /// A handler that labels its responses as an application would.
    static func startServer(_ adjust: (inout HTTPServer.Configuration) -> Void = { _ in }) throws -> (HTTPServer, RawHTTPClient) {
        var configuration = HTTPServer.Configuration()
        configuration.port = 0
        configuration.maxBodyBytes = 64
        configuration.metricsPrefix = prefix
        adjust(&configuration)
        let server = HTTPServer(configuration: configuration) { request in
            switch request.path {
            case "/healthz": return .json(200, #"{"status":"ok"}"#).routed("/healthz")
            case "/slow":
                Thread.sleep(forTimeInterval: 0.03)
                return .json(200, "{}").routed("/slow")
            case let path where path.hasPrefix("/api/v1/cases/"):
                return .json(request.method == "GET" ? 200 : 405, "{}").routed("/api/v1/cases/{id}")
            default: return .problem(404, title: "Not found", detail: "no route")
            }
        }
        let port = try server.start()
        return (server, RawHTTPClient(port: port))
    }

    /// One sample line: `name{label="value",…} number`.
    struct Sample: Equatable {
        let name: String
        let labels: [String: String]
        let value: Double
    }

    /// Parses the exposition text strictly: every line is a HELP or TYPE comment or a sample;
    /// a family's TYPE (and its HELP, if it has one: swift-prometheus writes none for instruments
    /// made through swift-metrics) comes before its samples; label values are quoted and escaped.
    static func parse(_ text: String) throws -> (samples: [Sample], types: [String: String]) {
        #expect(text.hasSuffix("\n"), "the text must end with a line feed")
        var samples: [Sample] = []
        var types: [String: String] = [:]
        var sampled: Set<String> = []
        let sampleLine = /([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{((?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*",?)*)\})? (\S+)/
        let labelPair = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"/
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
            if line.hasPrefix("# HELP ") {
                let parts = line.split(separator: " ", maxSplits: 3)
                #expect(parts.count == 4, "HELP without text: \(line)")
                #expect(!sampled.contains(String(parts[2])), "HELP after the samples of \(parts[2])")
            } else if line.hasPrefix("# TYPE ") {
                let parts = line.split(separator: " ")
                #expect(parts.count == 4 && ["counter", "gauge", "histogram", "summary", "untyped"].contains(String(parts[3])), "\(line)")
                #expect(types[String(parts[2])] == nil, "a second TYPE for \(parts[2])")
                types[String(parts[2])] = String(parts[3])
            } else {
                let match = try #require(try sampleLine.wholeMatch(in: line), "not a sample line: \(line)")
                var labels: [String: String] = [:]
                for pair in String(match.2 ?? "").matches(of: labelPair) {
                    #expect(labels[String(pair.1)] == nil, "label \(pair.1) twice in \(line)")
                    labels[String(pair.1)] = String(pair.2)
                }
                let value = try #require(match.3 == "+Inf" ? Double.infinity : Double(match.3), "not a number in \(line)")
                let name = String(match.1)
                let family =
                    ["_bucket", "_sum", "_count"].first { name.hasSuffix($0) && types[String(name.dropLast($0.count))] == "histogram" }
                    .map { String(name.dropLast($0.count)) } ?? name
                #expect(types[family] != nil, "\(name) before its TYPE")
                sampled.insert(family)
                samples.append(Sample(name: name, labels: labels, value: value))
            }
        }
        return (samples, types)
    }

    /// Checks every histogram: buckets ascending and cumulative, `+Inf` equal to `_count`.
    static func checkHistograms(_ samples: [Sample], _ types: [String: String]) throws {
        for (family, type) in types where type == "histogram" {
            let routes = Set(samples.filter { $0.name == family + "_count" }.compactMap { $0.labels["route"] })
            for route in routes {
                let buckets = samples.filter { $0.name == family + "_bucket" && $0.labels["route"] == route }
                let bounds = try buckets.map { try #require($0.labels["le"] == "+Inf" ? Double.infinity : Double($0.labels["le"] ?? "")) }
                #expect(bounds == bounds.sorted() && bounds.last == .infinity, "\(route): \(bounds)")
                let counts = buckets.map(\.value)
                #expect(counts == counts.sorted(), "\(route): buckets are not cumulative: \(counts)")
                let count = samples.first { $0.name == family + "_count" && $0.labels["route"] == route }?.value
                #expect(counts.last == count, "\(route): +Inf \(counts.last ?? -1) != _count \(count ?? -1)")
                #expect(samples.contains { $0.name == family + "_sum" && $0.labels["route"] == route })
            }
        }
    }

    static func requests(_ samples: [Sample], route: String, method: String, status: String) -> Double? {
        samples.first { $0.name == "mimamori_http_requests_total" && $0.labels == ["route": route, "method": method, "status": status] }?.value
    }

    /// Waits until the server has finished recording `count` requests (it records each one just
    /// after its last byte is sent).
    static func settle(_ server: HTTPServer, count: UInt64) {
        let deadline = Date().addingTimeInterval(3)
        while (server.metrics.requestCount < count || server.metrics.inFlight > 0) && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.01)
        }
    }

    @Test("requests are counted by route template, method and status, and never by raw path or query")
    func countsByLabel() throws {
        let (server, client) = try Self.startServer()
        defer { server.stop() }
        for id in ["A-1", "B-2", "C-3"] {
            #expect(try client.get("/api/v1/cases/\(id)?q=%E5%B1%B1%E7%94%B0")?.status == 200)
        }
        let delete = "DELETE /api/v1/cases/D-4 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        #expect(try client.send(Array(delete.utf8))?.status == 405)
        for _ in 0..<2 { #expect(try client.get("/healthz")?.status == 200) }
        #expect(try client.get("/yamada-taro/2018-04-01")?.status == 404)
        let brew = "BREW /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        #expect(try client.send(Array(brew.utf8))?.status == 200)
        let large = "POST /api/v1/cases/E-5 HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\nConnection: close\r\n\r\n"
        #expect(try client.send(Array(large.utf8))?.status == 413)
        Self.settle(server, count: 9)

        let text = server.metrics.render()
        let (samples, types) = try Self.parse(text)
        #expect(
            types == [
                "mimamori_http_requests_total": "counter", "mimamori_http_request_duration_seconds": "histogram",
                "mimamori_http_requests_in_flight": "gauge", "mimamori_http_request_deadline_exceeded_total": "counter",
            ])
        try Self.checkHistograms(samples, types)
        #expect(Self.requests(samples, route: "/api/v1/cases/{id}", method: "GET", status: "200") == 3)
        #expect(Self.requests(samples, route: "/api/v1/cases/{id}", method: "DELETE", status: "405") == 1)
        #expect(Self.requests(samples, route: "/healthz", method: "GET", status: "200") == 2)
        #expect(Self.requests(samples, route: "/healthz", method: "other", status: "200") == 1)
        #expect(Self.requests(samples, route: "unmatched", method: "GET", status: "404") == 1)
        #expect(Self.requests(samples, route: "unmatched", method: "POST", status: "413") == 1)
        let total = samples.filter { $0.name == "mimamori_http_requests_total" }.map(\.value).reduce(0, +)
        #expect(total == 9)
        let counts = samples.filter { $0.name == "mimamori_http_request_duration_seconds_count" }
        #expect(counts.map(\.value).reduce(0, +) == 9)
        #expect(counts.first { $0.labels["route"] == "/api/v1/cases/{id}" }?.value == 4)
        #expect(samples.first { $0.name == "mimamori_http_requests_in_flight" }?.value == 0)
        for raw in ["A-1", "D-4", "E-5", "yamada", "2018", "%E5", "山田", "BREW", "q="] {
            #expect(!text.contains(raw), "the metrics show \(raw)")
        }
    }

    @Test("durations land in the right buckets")
    func durations() throws {
        let (server, client) = try Self.startServer()
        defer { server.stop() }
        for _ in 0..<3 { #expect(try client.get("/slow")?.status == 200) }
        Self.settle(server, count: 3)
        let (samples, types) = try Self.parse(server.metrics.render())
        try Self.checkHistograms(samples, types)
        /// The bucket whose bound is `le` seconds, however the bound is written ("10" or "10.0").
        func bucket(_ le: Double) -> Double? {
            samples.first { sample in
                sample.name == "mimamori_http_request_duration_seconds_bucket" && sample.labels["route"] == "/slow"
                    && sample.labels.count == 2 && (sample.labels["le"] == "+Inf" ? .infinity : sample.labels["le"].flatMap(Double.init)) == le
            }?.value
        }
        // Each request sleeps 30 ms in the handler: none may fall at or under 25 ms.
        #expect(bucket(0.025) == 0)
        #expect(bucket(10) == 3)
        #expect(bucket(.infinity) == 3)
        let bounds = samples.filter { $0.name == "mimamori_http_request_duration_seconds_bucket" && $0.labels["route"] == "/slow" }
            .compactMap { $0.labels["le"] == "+Inf" ? .infinity : $0.labels["le"].flatMap(Double.init) }
        #expect(bounds == HTTPMetrics.durationBuckets + [.infinity], "the buckets are today's, in seconds")
        let sum = try #require(samples.first { $0.name == "mimamori_http_request_duration_seconds_sum" && $0.labels["route"] == "/slow" }?.value)
        #expect(sum >= 0.09 && sum < 30, "\(sum)")
    }

    @Test("200 parallel requests are each counted once")
    func parallelCounts() throws {
        let (server, client) = try Self.startServer()
        defer { server.stop() }
        let ok = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: 200) { index in
            let path = index.isMultiple(of: 2) ? "/healthz" : "/api/v1/cases/\(index)"
            if (try? client.get(path))??.status == 200 { ok.withLock { $0 += 1 } }
        }
        #expect(ok.withLock { $0 } == 200)
        Self.settle(server, count: 200)
        let (samples, types) = try Self.parse(server.metrics.render())
        try Self.checkHistograms(samples, types)
        #expect(Self.requests(samples, route: "/healthz", method: "GET", status: "200") == 100)
        #expect(Self.requests(samples, route: "/api/v1/cases/{id}", method: "GET", status: "200") == 100)
        #expect(samples.filter { $0.name == "mimamori_http_request_duration_seconds_count" }.map(\.value).reduce(0, +) == 200)
    }

    @Test("the in-flight gauge counts a request while it is handled")
    func inFlight() throws {
        let release = DispatchSemaphore(value: 0)
        var configuration = HTTPServer.Configuration()
        configuration.port = 0
        configuration.metricsPrefix = Self.prefix
        let server = HTTPServer(configuration: configuration) { _ in
            release.wait()
            return .json(200, "{}").routed("/wait")
        }
        let port = try server.start()
        defer { server.stop() }
        defer { release.signal() }  // never leave the handler blocked, or stop() would wait for it
        let reply = Mutex<Int?>(nil)
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            let status = (try? RawHTTPClient(port: port).get("/wait"))??.status
            reply.withLock { $0 = status }
            done.signal()
        }
        let deadline = Date().addingTimeInterval(5)
        while server.metrics.inFlight == 0 && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        let during = try Self.parse(server.metrics.render()).samples
        #expect(during.first { $0.name == "mimamori_http_requests_in_flight" }?.value == 1)
        #expect(!during.contains { $0.name == "mimamori_http_requests_total" })
        release.signal()
        #expect(done.wait(timeout: .now() + 5) == .success)
        #expect(reply.withLock { $0 } == 200)
        Self.settle(server, count: 1)
        let after = try Self.parse(server.metrics.render()).samples
        #expect(after.first { $0.name == "mimamori_http_requests_in_flight" }?.value == 0)
        #expect(Self.requests(after, route: "/wait", method: "GET", status: "200") == 1)
    }

    @Test("label values are escaped")
    func escaping() throws {
        var configuration = HTTPServer.Configuration()
        configuration.port = 0
        configuration.metricsPrefix = Self.prefix
        let server = HTTPServer(configuration: configuration) { _ in .json(200, "{}").routed("/odd/\"quoted\"\\back\nline") }
        let port = try server.start()
        defer { server.stop() }
        #expect(try RawHTTPClient(port: port).get("/x")?.status == 200)
        Self.settle(server, count: 1)
        let (samples, types) = try Self.parse(server.metrics.render())
        try Self.checkHistograms(samples, types)
        #expect(samples.first { $0.name == "mimamori_http_requests_total" }?.labels["route"] == #"/odd/\"quoted\"\\back\nline"#)
    }

    @Test("beyond 200 distinct route templates, requests are labelled \"other\", and routes seen before keep their label")
    func routeCap() throws {
        var configuration = HTTPServer.Configuration()
        configuration.port = 0
        configuration.metricsPrefix = Self.prefix
        let server = HTTPServer(configuration: configuration) { request in .json(200, "{}").routed("/route\(request.path)") }
        let port = try server.start()
        defer { server.stop() }
        let client = RawHTTPClient(port: port)
        let routes = HTTPMetrics.maxRoutes + 5
        for index in 0..<routes { #expect(try client.get("/\(index)")?.status == 200) }
        #expect(try client.get("/0")?.status == 200)
        Self.settle(server, count: UInt64(routes + 1))
        let (samples, types) = try Self.parse(server.metrics.render())
        try Self.checkHistograms(samples, types)
        let labels = Set(samples.filter { $0.name == "mimamori_http_request_duration_seconds_count" }.compactMap { $0.labels["route"] })
        #expect(labels.count == HTTPMetrics.maxRoutes + 1, "\(labels.count) route labels")
        #expect(Self.requests(samples, route: "other", method: "GET", status: "200") == 5)
        #expect(Self.requests(samples, route: "/route/0", method: "GET", status: "200") == 2)
        #expect(Self.requests(samples, route: "/route/\(routes - 1)", method: "GET", status: "200") == nil)
    }

    @Test("series are named by the configured prefix (\"http\" by default), and servers sharing a registry count into the same series")
    func prefixAndSharedRegistry() throws {
        var configuration = HTTPServer.Configuration()
        configuration.port = 0
        let first = HTTPServer(configuration: configuration) { _ in .json(200, "{}").routed("/x") }
        let second = HTTPServer(configuration: configuration, registry: first.metrics.registry) { _ in .json(200, "{}").routed("/x") }
        let ports = (try first.start(), try second.start())
        defer {
            first.stop()
            second.stop()
        }
        #expect(try RawHTTPClient(port: ports.0).get("/x")?.status == 200)
        #expect(try RawHTTPClient(port: ports.1).get("/x")?.status == 200)
        Self.settle(first, count: 1)
        Self.settle(second, count: 1)
        let text = first.metrics.render()
        let (samples, types) = try Self.parse(text)
        #expect(
            types == [
                "http_requests_total": "counter", "http_request_duration_seconds": "histogram", "http_requests_in_flight": "gauge",
                "http_request_deadline_exceeded_total": "counter",
            ])
        try Self.checkHistograms(samples, types)
        #expect(samples.first { $0.name == "http_requests_total" && $0.labels == ["route": "/x", "method": "GET", "status": "200"] }?.value == 2)
        #expect(samples.first { $0.name == "http_request_duration_seconds_count" && $0.labels == ["route": "/x"] }?.value == 2)
        #expect(!text.contains("mimamori"))
    }
}
