import Foundation
import HTTPServer
import MimamoriTesting
import Synchronization
import Testing

/// The libmicrohttpd server on a real port, with a handler of the test's own: limits, timeouts,
/// concurrency, the peer's address, the access log.
@Suite(.serialized)
struct HTTPServerTests {
    static func startServer(_ adjust: (inout HTTPServer.Configuration) -> Void = { _ in }) throws -> (HTTPServer, RawHTTPClient) {
        var configuration = HTTPServer.Configuration()
        configuration.port = 0
        configuration.maxBodyBytes = 1024
        configuration.idleTimeout = 2
        adjust(&configuration)
        let server = HTTPServer(configuration: configuration) { request in
            switch request.path {
            case "/echo", "/upload": .json(200, "{\"bytes\":\(request.body.count)}")
            case "/whoami": .json(200, "{\"remote\":\"\(request.remoteAddress)\",\"secure\":\(request.isSecure)}")
            case "/healthz": .json(200, #"{"status":"ok"}"#).routed("/healthz")
            default: .problem(404, title: "Not found", detail: "no route for \(request.method.prefix(16)) \(request.path.prefix(200))")
            }
        }
        let port = try server.start()
        return (server, RawHTTPClient(port: port))
    }

    @Test("a body over the limit is refused with 413, declared or chunked, and the server carries on")
    func bodyLimit() throws {
        let (server, client) = try Self.startServer()
        defer { server.stop() }
        let small = "POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10\r\nConnection: close\r\n\r\n0123456789"
        #expect(try client.send(Array(small.utf8))?.body == #"{"bytes":10}"#)
        let declared = "POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1073741824\r\nConnection: close\r\n\r\n"
        #expect(try client.send(Array(declared.utf8), timeout: 5)?.status == 413)
        var chunked = Array("POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n".utf8)
        for _ in 0..<4 { chunked += Array("400\r\n".utf8) + [UInt8](repeating: 65, count: 1024) + Array("\r\n".utf8) }
        chunked += Array("0\r\n\r\n".utf8)
        #expect(try client.send(chunked)?.status == 413)
        #expect(try client.get("/healthz")?.status == 200)
    }

    @Test("a request with both Content-Length and Transfer-Encoding is refused with 400 and nothing after it runs (no request smuggling)")
    func ambiguousBodyLength() throws {
        let (server, client) = try Self.startServer()
        defer { server.stop() }
        // A proxy reading Content-Length would pass on the second request as part of the body.
        let smuggled = "GET /whoami HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
        let request =
            "POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: \(5 + smuggled.utf8.count)\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
            + smuggled
        let reply = try client.send(Array(request.utf8))
        #expect(reply?.status == 400, "\(reply?.status ?? 0)")
        #expect(reply.map { !$0.body.contains("remote") } ?? true, "the smuggled request was answered: \(reply?.body ?? "")")
        #expect(try client.get("/healthz")?.status == 200)
    }

    @Test("one client address cannot hold more than its share of connections; another address is still served")
    func connectionsPerAddress() throws {
        let (server, client) = try Self.startServer { $0.connectionsPerAddress = 3 }
        defer { server.stop() }
        let held = try (0..<3).map { _ in try client.hold() }
        defer { for connection in held { close(connection) } }
        Thread.sleep(forTimeInterval: 0.2)  // the server has accepted the three
        #expect(try client.get("/healthz") == nil, "a fourth connection from the same address is closed unanswered")
        #expect(try RawHTTPClient(port: client.port, sourceAddress: "127.0.0.2").get("/healthz")?.status == 200)
    }

    @Test("10,000 headers are refused without harm")
    func manyHeaders() throws {
        let (server, client) = try Self.startServer()
        defer { server.stop() }
        let headers = (0..<10_000).map { "X-Header-\($0): value" }
        let reply = try client.get("/healthz", headers: headers)
        #expect(reply.map { (400...499).contains($0.status) } ?? true, "\(reply?.status ?? 0)")
        #expect(try client.get("/healthz")?.status == 200)
    }

    @Test("a silent client is disconnected after the idle timeout")
    func slowClient() throws {
        let (server, client) = try Self.startServer()
        defer { server.stop() }
        let lifetime = try client.silentConnectionLifetime(limit: 10)
        #expect(lifetime >= 1 && lifetime < 6, "\(lifetime) s")
    }

    @Test("200 parallel clients are all served")
    func parallelClients() throws {
        let (server, client) = try Self.startServer()
        defer { server.stop() }
        let statuses = Mutex<[Int]>([])
        DispatchQueue.concurrentPerform(iterations: 200) { _ in
            let status = (try? client.get("/healthz"))??.status ?? 0
            statuses.withLock { $0.append(status) }
        }
        #expect(statuses.withLock { $0 }.filter { $0 == 200 }.count == 200)
    }

    @Test(
        "requests that arrive on one libmicrohttpd thread are answered in parallel by all the handler threads",
        arguments: [4, 16])
    func handlersRunInParallel(threads: Int) throws {
        // One connection thread, `threads` handler threads: each request waits until that many
        // handlers run at once (or 10 s pass), which happens only if the one thread hands them
        // on and every handler thread exists (16 is more than Dispatch's pool gave).
        let running = Mutex(0)
        var configuration = HTTPServer.Configuration()
        configuration.port = 0
        configuration.connectionThreads = 1
        configuration.threads = threads
        let server = HTTPServer(configuration: configuration) { _ in
            running.withLock { $0 += 1 }
            let deadline = ContinuousClock.now + .seconds(10)
            while running.withLock({ $0 }) < threads, ContinuousClock.now < deadline { Thread.sleep(forTimeInterval: 0.005) }
            return running.withLock { $0 } >= threads
                ? .json(200, "{}") : .problem(503, title: "Alone", detail: "fewer handlers ran at once than threads")
        }
        let client = RawHTTPClient(port: try server.start())
        defer { server.stop() }
        // Client threads of their own (not `concurrentPerform`, which runs as many at once as there are cores).
        let statuses = Mutex<[Int]>([])
        let clients = DispatchGroup()
        for _ in 0..<threads {
            clients.enter()
            Thread.detachNewThread {
                let status = (try? client.get("/together"))??.status ?? 0
                statuses.withLock { $0.append(status) }
                clients.leave()
            }
        }
        clients.wait()
        #expect(statuses.withLock { $0 } == Array(repeating: 200, count: threads))
    }

    @Test("stopping waits for a handler in flight, whose client still gets its answer")
    func stopWaitsForHandlers() throws {
        let started = DispatchSemaphore(value: 0)
        var configuration = HTTPServer.Configuration()
        configuration.port = 0
        let server = HTTPServer(configuration: configuration) { _ in
            started.signal()
            Thread.sleep(forTimeInterval: 0.5)
            return .json(200, #"{"slow":true}"#)
        }
        let client = RawHTTPClient(port: try server.start())
        let reply = Mutex<RawHTTPClient.Reply?>(nil)
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            let answer = try? client.get("/slow")
            reply.withLock { $0 = answer ?? nil }
            done.signal()
        }
        started.wait()
        server.stop()
        done.wait()
        #expect(reply.withLock { $0?.status } == 200)
    }

    @Test("a port in use and a host that is not an address are clear errors")
    func startErrors() throws {
        let (server, client) = try Self.startServer()
        defer { server.stop() }
        var busy = HTTPServer.Configuration()
        busy.port = client.port
        #expect { try HTTPServer(configuration: busy) { _ in .json(200, "{}") }.start() } throws: {
            "\($0)".contains("cannot listen")
        }
        var named = HTTPServer.Configuration()
        named.host = "localhost"
        named.port = 0
        #expect { try HTTPServer(configuration: named) { _ in .json(200, "{}") }.start() } throws: {
            "\($0)".contains("numeric IPv4")
        }
    }

    @Test("the request carries the peer's address and says it is not TLS")
    func remoteAddress() throws {
        let (server, client) = try Self.startServer()
        defer { server.stop() }
        #expect(try client.get("/whoami")?.body == #"{"remote":"127.0.0.1","secure":false}"#)
        // From another loopback address: the server reports the real peer, not a constant.
        let other = RawHTTPClient(port: client.port, sourceAddress: "127.0.0.7")
        #expect(try other.get("/whoami")?.body == #"{"remote":"127.0.0.7","secure":false}"#)
    }

    @Test("each route has its own body limit, and the 413 names the one that applied")
    func perRouteBodyLimit() throws {
        let (server, client) = try Self.startServer {
            $0.bodyLimit = { method, path in method == "POST" && path == "/upload" ? 4096 : 16 }
        }
        defer { server.stop() }
        func post(_ path: String, bytes: Int, chunked: Bool = false) throws -> RawHTTPClient.Reply? {
            let body = [UInt8](repeating: 66, count: bytes)
            if chunked {
                var request = Array("POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n".utf8)
                request += Array((String(bytes, radix: 16) + "\r\n").utf8) + body + Array("\r\n0\r\n\r\n".utf8)
                return try client.send(request)
            }
            return try client.send(
                Array("POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: \(bytes)\r\nConnection: close\r\n\r\n".utf8) + body)
        }
        #expect(try post("/upload", bytes: 3000)?.body == #"{"bytes":3000}"#)
        #expect(try post("/upload", bytes: 3000, chunked: true)?.body == #"{"bytes":3000}"#)
        #expect(try post("/echo", bytes: 16)?.body == #"{"bytes":16}"#)
        for chunked in [false, true] {
            let echo = try #require(try post("/echo", bytes: 100, chunked: chunked))
            #expect(echo.status == 413)
            #expect(echo.body.contains("at most 16 bytes"), "\(echo.body)")
            let upload = try #require(try post("/upload", bytes: 5000, chunked: chunked))
            #expect(upload.status == 413)
            #expect(upload.body.contains("at most 4096 bytes"), "\(upload.body)")
        }
        #expect(try client.get("/healthz")?.status == 200)
    }

    @Test("maxBodyBytes sets one limit for every route")
    func maxBodyBytesConvenience() {
        var configuration = HTTPServer.Configuration()
        #expect(configuration.bodyLimit("PUT", "/anything") == 1 << 20)
        configuration.maxBodyBytes = 123
        #expect(configuration.maxBodyBytes == 123)
        #expect(configuration.bodyLimit("PUT", "/anything") == 123)
        #expect(HTTPResponse(status: 204).route == nil)
        #expect(HTTPResponse.json(200, "{}").routed("/healthz").route == "/healthz")
    }

    @Test("the access log has one JSON line per request, with the route template and never the path, query, headers or body")
    func accessLog() throws {
        let lines = Mutex<[String]>([])
        var configuration = HTTPServer.Configuration()
        configuration.port = 0
        configuration.accessLog = { line in lines.withLock { $0.append(line) } }
        let server = HTTPServer(configuration: configuration) { request in
            if request.path == "/api/v1/search" { return .json(200, #"{"hits":[]}"#).routed("/api/v1/search") }
            if request.path.hasPrefix("/api/v1/persons/") { return .json(201, "{\"bytes\":\(request.body.count)}").routed("/api/v1/persons/{name}") }
            return .problem(404, title: "Not found", detail: "no route")
        }
        let port = try server.start()
        defer { server.stop() }
        let client = RawHTTPClient(port: port)
        let name = "山田太郎"
        let encoded = name.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        let secrets = [name, "山田", "太郎", encoded, encoded.lowercased(), "2018-04-01", "20180401", "secret-token-value", "q=", "birthdate", "?"]
        let started = Date()
        let search = try #require(
            try client.get(
                "/api/v1/search?q=\(encoded)%202018-04-01&birthdate=20180401",
                headers: ["Authorization: Bearer secret-token-value", "X-Child: \(name)", "Cookie: q=\(encoded)"]))
        #expect(search.status == 200)
        let body = Array(#"{"family_name":"山田","given_name":"太郎","birthdate":"2018-04-01"}"#.utf8)
        let post = try #require(
            try client.send(
                Array(
                    "POST /api/v1/persons/\(encoded)?birthdate=2018-04-01 HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: \(body.count)\r\nConnection: close\r\n\r\n"
                        .utf8) + body))
        #expect(post.status == 201)
        let missing = try #require(try client.get("/\(encoded)/2018-04-01?q=\(encoded)"))
        #expect(missing.status == 404)
        let logged = try #require(Self.eventually { lines.withLock { $0.count >= 3 ? $0 : nil } })
        #expect(logged.count == 3)
        for line in logged {
            for secret in secrets { #expect(!line.contains(secret), "\(line) contains \(secret)") }
        }
        let entries = try logged.map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        let expected: [(String, String, Int, Int, Int)] = [
            ("GET", "/api/v1/search", 200, 0, search.body.utf8.count),
            ("POST", "/api/v1/persons/{name}", 201, body.count, post.body.utf8.count),
            ("GET", "unmatched", 404, 0, missing.body.utf8.count),
        ]
        let format = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        for (entry, (method, route, status, bytesIn, bytesOut)) in zip(entries, expected) {
            #expect(Set(entry.keys) == ["ts", "method", "route", "status", "duration_ms", "bytes_in", "bytes_out", "remote"])
            #expect(entry["method"] as? String == method)
            #expect(entry["route"] as? String == route)
            #expect(entry["status"] as? Int == status)
            #expect(entry["bytes_in"] as? Int == bytesIn)
            #expect(entry["bytes_out"] as? Int == bytesOut)
            #expect(entry["remote"] as? String == "127.0.0.1")
            let duration = try #require(entry["duration_ms"] as? Double)
            #expect(duration >= 0 && duration < 5_000)
            let ts = try #require(entry["ts"] as? String)
            #expect(ts.wholeMatch(of: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/) != nil, "\(ts)")
            let time = try format.parse(ts)
            #expect(time.timeIntervalSince(started) > -1 && time.timeIntervalSince(started) < 30, "\(ts)")
        }
    }

    /// `value()` once it is not nil, polling for up to `seconds` (a request is logged just after
    /// its last byte is sent, on the server's thread).
    static func eventually<T>(seconds: Double = 3, _ value: () -> T?) -> T? {
        let deadline = Date().addingTimeInterval(seconds)
        repeat {
            if let result = value() { return result }
            Thread.sleep(forTimeInterval: 0.01)
        } while Date() < deadline
        return value()
    }
}
