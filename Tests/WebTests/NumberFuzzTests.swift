import Foundation
import HTTPServer
import MimamoriTesting
import Store
import Testing

@testable import Web

/// Extreme numbers against every parameter of every route, through the real `mimamori serve`:
/// no answer may be a 5xx or none at all, and the server must still answer `/healthz`. The
/// routes come from the application's own tables (API and pages); the parameter names from
/// every name the handlers read (`query["…"]`, `form["…"]`, `object["…"]`, `integer("…")` in
/// Sources/Web), so a new route or parameter is fuzzed without being listed here.
@Suite(.serialized)
struct NumberFuzzTests {
    typealias Who = APIFixture.Who

    /// Values that trapped conversions or arithmetic before: overflows, non-finite and
    /// non-integral numbers, absurd lengths, the empty and the non-numeric.
    static let values = [
        "1e300", "-1", "0", "9223372036854775807", "9223372036854775808", "-9223372036854775809", "NaN", "Infinity",
        String(repeating: "9", count: 10_000), "", "abc", "1.5",
    ]

    /// The same values as JSON tokens (a JSON body member).
    static let jsonValues = [
        "1e300", "-1e300", "-1", "9223372036854775807", "9223372036854775808", "1e999", "1.5", "\"NaN\"",
        String(repeating: "9", count: 10_000), "\"\"", "null",
    ]

    /// Every parameter name a handler of the Web target reads.
    static func parameterNames() throws -> [String] {
        var folder = URL(fileURLWithPath: #filePath)
        while !FileManager.default.fileExists(atPath: folder.appendingPathComponent("Sources/Web").path) { folder.deleteLastPathComponent() }
        let sources = folder.appendingPathComponent("Sources/Web")
        var names = Set<String>()
        let enumerator = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)
        let pattern = try Regex(#"(?:query|form|object|values|fields)\["([a-z_]+)"\]|(?:integer|all)\("([a-z_.]+)""#)
        while let file = enumerator?.nextObject() as? URL {
            guard file.pathExtension == "swift" else { continue }
            let text = try String(contentsOf: file, encoding: .utf8)
            for match in text.matches(of: pattern) {
                for index in 1..<match.count { if let name = match[index].substring { names.insert(String(name)) } }
            }
        }
        return names.sorted()
    }

    @Test("extreme numbers in every parameter of every API and page route, as every role: never a 5xx, and the server lives")
    func everyRouteEveryParameter() throws {
        let f = try APIFixture()
        let names = try Self.parameterNames()
        #expect(names.contains("page") && names.contains("year") && names.contains("days") && names.contains("offset"), "\(names)")
        // Browser sessions (cookie and CSRF token) for the pages, made before the fixture's server stops.
        var sessions: [Who: (cookie: String, csrf: String)] = [:]
        for who in Who.allCases {
            let (cookie, _, csrf) = try FormValidationTests.open(f, who, "/password")
            sessions[who] = (cookie, csrf)
        }
        f.server.stop()
        let running = try CommandRun.start(["serve", "--data", f.store.dataDirectory.path, "--port", "0", "--no-access-log"])
        defer {
            running.kill()
            _ = CommandRun.finish(running)
        }
        let banner = try #require(running.waitForOutput(containing: "Serving on"))
        let port = try #require(UInt16(banner.split(separator: ":").last?.split(separator: "/").first ?? ""))
        let client = RawHTTPClient(port: port)

        let apiRoutes = WebApplication.table.map(\.route)
        // Signing out would end the session the rest of the run uses.
        let pageRoutes = WebApplication.pageTable.map(\.route).filter { $0.template != "/logout" }
        var failures: [String] = []
        func send(_ method: String, _ path: String, _ headers: [String], _ body: [UInt8]) throws {
            let head = ["\(method) \(path) HTTP/1.1", "Host: 127.0.0.1", "Connection: close", "Content-Length: \(body.count)"] + headers
            let reply = try client.send(Array((head.joined(separator: "\r\n") + "\r\n\r\n").utf8) + body)
            guard let reply else {
                failures.append("\(method) \(path.prefix(120)): no answer")
                return
            }
            if reply.status >= 500 { failures.append("\(method) \(path.prefix(120)): \(reply.status) \(reply.body.prefix(200))") }
        }
        func path(_ route: Route, _ value: String) -> String {
            let filled = route.template.replacingOccurrences(of: "{id}", with: route.template.contains("notifications") ? "1" : f.caseID)
            let encoded = value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
            return filled + "?" + names.map { "\($0)=\(encoded)" }.joined(separator: "&")
        }
        for who in Who.allCases {
            let session = sessions[who]!
            for (index, value) in Self.values.enumerated() {
                let json = "{" + names.map { "\"\($0)\": \(Self.jsonValues[index % Self.jsonValues.count])" }.joined(separator: ", ") + "}"
                let encoded = value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
                for route in apiRoutes {
                    try send(
                        route.method, path(route, value),
                        ["Authorization: Bearer \(f.tokens[who]!)", "Content-Type: application/json", "If-Match: \"\(value)\""], Array(json.utf8))
                }
                let form = (["csrf_token=\(session.csrf)"] + names.map { "\($0)=\(encoded)" }).joined(separator: "&")
                for route in pageRoutes {
                    try send(
                        route.method, path(route, value), ["Cookie: \(session.cookie)", "Content-Type: application/x-www-form-urlencoded"],
                        route.method == "GET" ? [] : Array(form.utf8))
                }
            }
        }
        // One parameter at a time, as the holder's administrator (who passes the most checks),
        // so that an early refusal of one parameter cannot hide the next.
        let admin = sessions[.holderAdmin]!
        for name in names {
            for value in ["1e300", "9223372036854775807", "-9223372036854775808", String(repeating: "9", count: 10_000)] {
                let encoded = value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
                for route in apiRoutes {
                    let filled = route.template.replacingOccurrences(of: "{id}", with: f.caseID)
                    try send(
                        route.method, "\(filled)?\(name)=\(encoded)",
                        ["Authorization: Bearer \(f.tokens[.holderAdmin]!)", "Content-Type: application/json"], Array("{\"\(name)\": \(value)}".utf8))
                }
                for route in pageRoutes {
                    let filled = route.template.replacingOccurrences(of: "{id}", with: f.caseID)
                    try send(
                        route.method, "\(filled)?\(name)=\(encoded)", ["Cookie: \(admin.cookie)", "Content-Type: application/x-www-form-urlencoded"],
                        route.method == "GET" ? [] : Array("csrf_token=\(admin.csrf)&\(name)=\(encoded)".utf8))
                }
            }
        }
        #expect(failures.isEmpty, "\(failures.count) answers were 5xx or none:\n\(failures.prefix(30).joined(separator: "\n"))")
        let health = try client.send(Array("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8))
        #expect(health?.status == 200, "the server no longer answers /healthz")
    }
}
