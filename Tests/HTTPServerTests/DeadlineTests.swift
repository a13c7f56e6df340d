import Foundation
import HTTPServer
import MimamoriTesting
import Testing

/// The absolute deadlines for receiving a request (`HTTPServer.Configuration.headerTimeout`,
/// `bodyTimeout`, `minimumBodyRate`), against the libmicrohttpd server on a real port and
/// clients that trickle their bytes over real sockets (a slow-loris attack).
@Suite(.serialized)
struct DeadlineTests {
    static func startServer(_ adjust: (inout HTTPServer.Configuration) -> Void) throws -> (HTTPServer, RawHTTPClient) {
        var configuration = HTTPServer.Configuration()
        configuration.port = 0
        configuration.maxBodyBytes = 1 << 20
        adjust(&configuration)
        let server = HTTPServer(configuration: configuration) { request in
            switch request.path {
            case "/echo": .json(200, "{\"bytes\":\(request.body.count)}").routed("/echo")
            case "/healthz": .json(200, #"{"status":"ok"}"#).routed("/healthz")
            default: .problem(404, title: "Not found", detail: "no route")
            }
        }
        let port = try server.start()
        return (server, RawHTTPClient(port: port))
    }

    /// Headers that never end: a long header, sent a byte at a time.
    static let endlessHeaders = Array("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: \(String(repeating: "a", count: 500))".utf8)

    /// The value of one series of the server's metrics, e.g. `http_request_deadline_exceeded_total{phase="headers"}`.
    static func sample(_ server: HTTPServer, _ series: String) -> Double? {
        server.metrics.render().split(separator: "\n").first { $0.hasPrefix(series + " ") }.flatMap { Double($0.split(separator: " ").last ?? "") }
    }

    @Test("a client trickling its headers a byte a second is closed at the header deadline, though the idle timeout never fires")
    func trickledHeaders() throws {
        // The idle timeout (3 s) restarts with each byte: alone, it would never close this client.
        let (server, client) = try Self.startServer {
            $0.idleTimeout = 3
            $0.headerTimeout = .seconds(2)
        }
        defer { server.stop() }
        let slow = try TricklingConnections(client: client, count: 1, request: Self.endlessHeaders)
        slow.trickle(every: 1, for: 12)
        let closed = try #require(slow.closedAfter[0], "still open after 12 s of trickling")
        #expect(closed >= 1.5 && closed < 4, "closed after \(closed) s")
        #expect(slow.received[0].isEmpty, "a request whose headers never came is not answered")
        #expect(Self.sample(server, #"http_request_deadline_exceeded_total{phase="headers"}"#) == 1)
        #expect(try client.get("/healthz")?.status == 200)
    }

    @Test("a TLS handshake trickled a byte a second is closed at the header deadline")
    func trickledHandshake() throws {
        let certificate = try TestCertificate()
        let (server, client) = try Self.startServer {
            $0.idleTimeout = 3
            $0.headerTimeout = .seconds(2)
            $0.tls = (certificatePEM: certificate.certificatePEM, keyPEM: certificate.keyPEM)
        }
        defer { server.stop() }
        // A handshake record of 512 bytes announced, its content sent a byte at a time.
        let record: [UInt8] = [0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xFC, 0x03, 0x03] + [UInt8](repeating: 0, count: 501)
        let slow = try TricklingConnections(client: client, count: 1, request: record)
        slow.trickle(every: 1, for: 12)
        let closed = try #require(slow.closedAfter[0], "still open after 12 s of trickling")
        #expect(closed >= 1.5 && closed < 4, "closed after \(closed) s")
        let health = try TestCertificate.curl("https://127.0.0.1:\(client.port)/healthz", trusting: certificate.certificateFile)
        #expect(health.standardOutput.hasSuffix("\n200"), "\(health.standardError)")
    }

    @Test("a body trickled a byte a second is closed at the body deadline; a steady upload that takes longer than it finishes")
    func trickledBody() throws {
        let (server, client) = try Self.startServer {
            $0.idleTimeout = 3
            $0.bodyTimeout = .seconds(2)
            $0.minimumBodyRate = 4096
        }
        defer { server.stop() }
        let body = [UInt8](repeating: 66, count: 24 * 1024)
        let head = Array("POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: \(body.count)\r\nConnection: close\r\n\r\n".utf8)
        // A byte a second: the body's 2 s (and 1/4096 s per byte) pass long before it is whole.
        let slow = try TricklingConnections(client: client, count: 1, request: head + body, prefix: head.count)
        slow.trickle(every: 1, for: 12)
        let closed = try #require(slow.closedAfter[0], "still open after 12 s of trickling")
        #expect(closed >= 1.5 && closed < 4, "closed after \(closed) s")
        #expect(slow.received[0].isEmpty)
        #expect(Self.sample(server, #"http_request_deadline_exceeded_total{phase="body"}"#) == 1)
        // 8 KiB a second for 3 s: longer than the 2 s, but each 4 KiB received adds a second.
        let steady = try TricklingConnections(client: client, count: 1, request: head + body, prefix: head.count)
        steady.trickle(every: 0.25, for: 12, bytes: 2048)
        let reply = String(decoding: steady.received[0], as: UTF8.self)
        #expect(reply.hasPrefix("HTTP/1.1 200") && reply.hasSuffix(#"{"bytes":24576}"#), "\(reply.prefix(200))")
        let took = try #require(steady.closedAfter[0])
        #expect(took > 2.5, "the upload took \(took) s: not longer than the body's deadline, so it proves nothing")
    }

    @Test("a kept-alive connection may wait for its next request up to the idle timeout; that request's header deadline starts with its first byte")
    func keptAlive() throws {
        let (server, client) = try Self.startServer {
            $0.idleTimeout = 6
            $0.headerTimeout = .seconds(2)
        }
        defer { server.stop() }
        let request = Array("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".utf8)
        let connection = try TricklingConnections(client: client, count: 1, request: request + request + Self.endlessHeaders, prefix: request.count)
        Thread.sleep(forTimeInterval: 0.3)
        connection.step(bytes: 0)
        #expect(String(decoding: connection.received[0], as: UTF8.self).hasPrefix("HTTP/1.1 200"))
        // Waiting 3 s (more than the header deadline, less than the idle timeout) is allowed.
        Thread.sleep(forTimeInterval: 3)
        #expect(connection.step(bytes: request.count) == 1, "the waiting connection was closed")
        Thread.sleep(forTimeInterval: 0.3)
        connection.step(bytes: 0)
        #expect(String(decoding: connection.received[0], as: UTF8.self).components(separatedBy: "HTTP/1.1 200").count == 3)
        // The third request trickles: closed about 2 s after its first byte.
        let started = Date()
        connection.trickle(every: 0.5, for: 12)
        let closed = try #require(connection.closedAt[0], "still open after 12 s of trickling")
        #expect(closed.timeIntervalSince(started) >= 1.5 && closed.timeIntervalSince(started) < 4, "\(closed.timeIntervalSince(started)) s")
    }

    @Test("trickling clients holding every connection are closed at the header deadline, and another client is served again")
    func heldConnectionsComeBack() throws {
        // 100 connections in all; the trickling clients take them all from one address.
        let (server, client) = try Self.startServer {
            $0.connectionLimit = 100
            $0.connectionsPerAddress = 0
            $0.idleTimeout = 30
            $0.headerTimeout = .seconds(2)
        }
        defer { server.stop() }
        let slow = try TricklingConnections(client: client, count: 100, request: Self.endlessHeaders)
        slow.step()
        let started = Date()
        let other = RawHTTPClient(port: client.port, sourceAddress: "127.0.0.2")
        var served: Double?
        while served == nil && Date().timeIntervalSince(started) < 10 {
            slow.step()
            if (try? other.get("/healthz"))??.status == 200 { served = Date().timeIntervalSince(started) }
        }
        let after = try #require(served, "not served within 10 s while the trickling clients held every connection")
        #expect(after < 5, "served after \(after) s")
        slow.trickle(every: 0.5, for: 5)
        #expect(slow.openCount == 0)
    }

    @Test("a normal client is answered while 200 clients trickle their headers, and all 200 are closed at the deadline")
    func manyTricklers() throws {
        let (server, client) = try Self.startServer {
            $0.connectionsPerAddress = 0
            $0.idleTimeout = 30
            $0.headerTimeout = .seconds(3)
        }
        defer { server.stop() }
        let slow = try TricklingConnections(client: client, count: 200, request: Self.endlessHeaders)
        for _ in 0..<4 {
            slow.step()
            #expect(try client.get("/healthz")?.status == 200)
            Thread.sleep(forTimeInterval: 0.5)
        }
        #expect(slow.openCount == 200)
        slow.trickle(every: 0.5, for: 8)
        #expect(slow.openCount == 0)
        #expect(slow.closedAfter.allSatisfy { ($0 ?? 99) < 5 }, "\(slow.closedAfter.compactMap { $0 }.max() ?? 0) s")
        #expect(Self.sample(server, #"http_request_deadline_exceeded_total{phase="headers"}"#) == 200)
    }
}
