import Foundation
import HTTPServer
import MimamoriTesting
import Testing

/// Only the configured host names are served (`HTTPServer.Configuration.allowedHosts`): a
/// request naming another host in `Host` gets 421 before the handler sees it (DNS rebinding),
/// a missing, repeated or malformed `Host` gets 400. Real server, real port, raw requests.
@Suite(.serialized)
struct HostTests {
    static func startServer(_ adjust: (inout HTTPServer.Configuration) -> Void = { _ in }) throws -> (HTTPServer, RawHTTPClient) {
        var configuration = HTTPServer.Configuration()
        configuration.port = 0
        adjust(&configuration)
        let server = HTTPServer(configuration: configuration) { request in
            .json(200, "{\"host\":\"\(request.headers["host"] ?? "")\"}").routed("/any")
        }
        let port = try server.start()
        return (server, RawHTTPClient(port: port, address: configuration.host))
    }

    /// Sends `GET path` with exactly these header lines (no Host unless given) over HTTP `version`.
    static func get(_ client: RawHTTPClient, _ path: String = "/healthz", version: String = "HTTP/1.1", headers: [String]) throws -> RawHTTPClient
        .Reply?
    {
        let head = (["GET \(path) \(version)", "Connection: close"] + headers).joined(separator: "\r\n")
        return try client.send(Array((head + "\r\n\r\n").utf8))
    }

    @Test(
        "host names are read as RFC 9110 spells them: case, a trailing dot and the port do not matter, IPv6 literals are compared in canonical form",
        arguments: [
            ("localhost", "localhost"), ("LOCALHOST:8080", "localhost"), ("localhost.", "localhost"), ("127.0.0.1:65535", "127.0.0.1"),
            ("[::1]", "[::1]"), ("[0:0:0:0:0:0:0:1]:80", "[::1]"), ("[2001:DB8::7]", "[2001:db8::7]"), ("host:", "host"),
            ("Mimamori.Example.LG.JP", "mimamori.example.lg.jp"), ("xn--eckwd4c7c.example", "xn--eckwd4c7c.example"),
        ])
    func parses(_ value: String, _ expected: String) {
        #expect(HostName(value)?.text == expected)
    }

    @Test(
        "what is not a host name is refused",
        arguments: [
            "", ".", "..", "a..b", ".example", "::1", "[::1", "[::1]x", "[v1.fe]", "[127.0.0.1]", "host:99999", "host:8o", "host:123456",
            "user@host", "ho st", "host/", "%6Cocalhost", "例え.jp", "host\u{0}", "host:80:80", "[::1]:80:80",
        ])
    func refuses(_ value: String) {
        #expect(HostName(value) == nil)
    }

    @Test("a request naming another host is refused with 421 before the handler sees it, whatever its spelling")
    func otherHostsAreRefused() throws {
        let (server, client) = try Self.startServer()
        defer { server.stop() }
        for host in [
            "evil.example", "evil.example:\(client.port)", "EVIL.EXAMPLE", "evil.example.", "[2001:db8::1]", "[2001:db8::1]:80", "127.0.0.2",
            "localhost.evil.example",
        ] {
            let reply = try #require(try Self.get(client, headers: ["Host: \(host)"]), "no reply for \(host)")
            #expect(reply.status == 421, "\(host): \(reply.status)")
            #expect(reply.body.contains("Misdirected request") && !reply.body.contains("\"host\""), "\(host): \(reply.body)")
            #expect(!reply.body.lowercased().contains("evil") && !reply.body.contains("2001"), "the answer repeats the header: \(reply.body)")
        }
    }

    @Test("the loopback names are served with or without a port, in any case, with a trailing dot")
    func loopbackIsServed() throws {
        let (server, client) = try Self.startServer()
        defer { server.stop() }
        for host in [
            "localhost", "localhost:\(client.port)", "LocalHost", "localhost.", "127.0.0.1", "127.0.0.1:\(client.port)", "[::1]", "[::1]:8080",
        ] {
            #expect(try Self.get(client, headers: ["Host: \(host)"])?.status == 200, "\(host)")
        }
    }

    @Test("a missing Host on HTTP/1.1, two Host headers and a malformed Host get 400; HTTP/1.0 without Host is served")
    func badHostHeaders() throws {
        let (server, client) = try Self.startServer()
        defer { server.stop() }
        #expect(try Self.get(client, headers: [])?.status == 400)
        let twice = try #require(try Self.get(client, headers: ["Host: 127.0.0.1", "Host: evil.example"]))
        #expect(twice.status == 400 && twice.body.contains("Several Host headers"), "\(twice.status) \(twice.body)")
        let twiceSame = try #require(try Self.get(client, headers: ["Host: localhost", "host: localhost"]))
        #expect(twiceSame.status == 400, "\(twiceSame.status)")
        for host in ["", "ho st", "evil.example:99999", "[::1", "user@localhost", "%6Cocalhost"] {
            let reply = try #require(try Self.get(client, headers: ["Host: \(host)"]), "no reply for \(host)")
            #expect(reply.status == 400, "\(host): \(reply.status) \(reply.body)")
        }
        #expect(try Self.get(client, version: "HTTP/1.0", headers: [])?.status == 200)
        #expect(try Self.get(client, version: "HTTP/1.0", headers: ["Host: evil.example"])?.status == 421)
    }

    @Test("a body sent to another host is not read: 421 at once, and the connection closed")
    func bodyToOtherHost() throws {
        let (server, client) = try Self.startServer()
        defer { server.stop() }
        let request = "POST /echo HTTP/1.1\r\nHost: evil.example\r\nContent-Length: 100000\r\n\r\n"
        let started = Date()
        let reply = try client.send(Array(request.utf8), timeout: 5)
        #expect(reply?.status == 421)
        #expect(Date().timeIntervalSince(started) < 2)
    }

    @Test("the configured names are served, and the address the server listens on unless it is 0.0.0.0")
    func configuredNames() throws {
        let (server, client) = try Self.startServer {
            $0.host = "127.0.0.3"
            $0.allowedHosts = ["mimamori.example.lg.jp", "[2001:db8::7]"]
        }
        defer { server.stop() }
        for host in ["mimamori.example.lg.jp", "MIMAMORI.example.lg.jp.:443", "[2001:DB8:0::7]", "127.0.0.3", "127.0.0.3:\(client.port)"] {
            #expect(try Self.get(client, headers: ["Host: \(host)"])?.status == 200, "\(host)")
        }
        // The loopback names are no longer listed, so they are refused.
        for host in ["localhost", "127.0.0.1", "example.lg.jp", "evil.mimamori.example.lg.jp"] {
            #expect(try Self.get(client, headers: ["Host: \(host)"])?.status == 421, "\(host)")
        }
        var everywhere = HTTPServer.Configuration()
        everywhere.host = "0.0.0.0"
        let wildcard = HTTPServer(configuration: everywhere) { _ in .json(200, "{}") }
        #expect(wildcard.allowedHosts == Set(HostName.loopback.compactMap { HostName($0) }), "\(wildcard.allowedHosts)")
    }

    @Test("an allowed host that is not a host name is a clear start error")
    func badConfiguredName() throws {
        var configuration = HTTPServer.Configuration()
        configuration.port = 0
        configuration.allowedHosts = ["https://mimamori.example.lg.jp"]
        #expect { try HTTPServer(configuration: configuration) { _ in .json(200, "{}") }.start() } throws: {
            "\($0)".contains("is not a host name")
        }
    }
}
