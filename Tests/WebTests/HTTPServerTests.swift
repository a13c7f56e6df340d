import Foundation
import Synchronization
import MimamoriTesting
import Testing
import Web

/// The libmicrohttpd front on a real port: limits, timeouts, concurrency, errors as problems.
@Suite(.serialized)
struct HTTPServerTests {
    static func startServer(_ adjust: (inout HTTPServer.Configuration) -> Void = { _ in }) throws -> (HTTPServer, RawHTTPClient) {
        var configuration = HTTPServer.Configuration()
        configuration.port = 0
        configuration.maxBodyBytes = 1024
        configuration.idleTimeout = 2
        adjust(&configuration)
        let application = WebApplication()
        let server = HTTPServer(configuration: configuration) { request in
            request.path == "/echo" ? .json(200, "{\"bytes\":\(request.body.count)}") : application.handle(request)
        }
        let port = try server.start()
        return (server, RawHTTPClient(port: port))
    }

    @Test("GET /healthz answers ok, with hardening headers")
    func health() throws {
        let (server, client) = try Self.startServer()
        defer { server.stop() }
        let reply = try #require(try client.get("/healthz"))
        #expect(reply.status == 200)
        #expect(reply.body == #"{"status":"ok"}"#)
        #expect(reply.head.lowercased().contains("x-content-type-options: nosniff"))
    }

    @Test("an unknown route and a wrong method are problems with a precise detail", arguments: [
        ("GET", "/nothing-here", 404), ("POST", "/healthz", 405), ("GET", "/../../etc/passwd", 404),
    ])
    func problems(method: String, path: String, status: Int) throws {
        let (server, client) = try Self.startServer()
        defer { server.stop() }
        let request = "\(method) \(path) HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        let reply = try #require(try client.send(Array(request.utf8)))
        #expect(reply.status == status)
        #expect(reply.head.lowercased().contains("content-type: application/problem+json"))
        #expect(reply.body.contains("\"detail\""))
    }

    @Test("a body over the limit is refused with 413, declared or chunked, and the server carries on")
    func bodyLimit() throws {
        let (server, client) = try Self.startServer()
        defer { server.stop() }
        let small = "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\nConnection: close\r\n\r\n0123456789"
        #expect(try client.send(Array(small.utf8))?.body == #"{"bytes":10}"#)
        let declared = "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1073741824\r\nConnection: close\r\n\r\n"
        #expect(try client.send(Array(declared.utf8), timeout: 5)?.status == 413)
        var chunked = Array("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n".utf8)
        for _ in 0..<4 { chunked += Array("400\r\n".utf8) + [UInt8](repeating: 65, count: 1024) + Array("\r\n".utf8) }
        chunked += Array("0\r\n\r\n".utf8)
        #expect(try client.send(chunked)?.status == 413)
        #expect(try client.get("/healthz")?.status == 200)
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
}
