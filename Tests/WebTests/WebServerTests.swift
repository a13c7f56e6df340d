import Foundation
import HTTPServer
import MimamoriTesting
import Testing
import Web

/// The application behind the libmicrohttpd server on a real port: its health check, and its
/// answers to unknown routes and wrong methods, as problems with the server's hardening headers.
@Suite(.serialized)
struct WebServerTests {
    static func startServer() throws -> (HTTPServer, RawHTTPClient) {
        var configuration = HTTPServer.Configuration()
        configuration.port = 0
        configuration.maxBodyBytes = 1024
        configuration.idleTimeout = 2
        let application = WebApplication()
        let server = HTTPServer(configuration: configuration) { application.handle($0) }
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

    @Test(
        "an unknown route and a wrong method are problems with a precise detail",
        arguments: [
            ("GET", "/nothing-here", 404), ("POST", "/healthz", 405), ("GET", "/../../etc/passwd", 404),
        ])
    func problems(method: String, path: String, status: Int) throws {
        let (server, client) = try Self.startServer()
        defer { server.stop() }
        let request = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        let reply = try #require(try client.send(Array(request.utf8)))
        #expect(reply.status == status)
        #expect(reply.head.lowercased().contains("content-type: application/problem+json"))
        #expect(reply.body.contains("\"detail\""))
    }
}
