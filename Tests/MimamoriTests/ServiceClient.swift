import Foundation
import MimamoriTesting
import Store

/// A `mimamori serve` started by a test on an ephemeral port, and bearer-token requests to it.
struct ServiceClient {
    let port: UInt16

    /// Reads the port from `serve`'s banner, or nil when it printed none.
    init?(banner running: RunningCommand) {
        guard let banner = running.waitForOutput(containing: "Serving on"),
            let port = banner.split(separator: ":").last.flatMap({ UInt16($0.prefix { $0.isNumber }) })
        else { return nil }
        self.port = port
    }

    /// Sends one request with a JSON body (none for GET); nil when nothing answered.
    func send(_ method: String, _ path: String, token: String, json: String? = nil, timeout: Int = 10) -> RawHTTPClient.Reply? {
        var lines = ["\(method) \(path) HTTP/1.1", "Host: 127.0.0.1", "Connection: close", "Authorization: Bearer \(token)"]
        let body = Array((json ?? "").utf8)
        if json != nil { lines += ["Content-Type: application/json", "Content-Length: \(body.count)"] }
        return try? RawHTTPClient(port: port).send(Array((lines.joined(separator: "\r\n") + "\r\n\r\n").utf8) + body, timeout: timeout)
    }

    /// A string member of a JSON object reply.
    static func member(_ name: String, of reply: RawHTTPClient.Reply?) -> String? {
        guard let reply, let object = try? JSONSerialization.jsonObject(with: Data(reply.body.utf8)) as? [String: Any] else { return nil }
        return object[name] as? String
    }

    /// Creates a worker of `authority` with a day's bearer token; returns the token.
    static func worker(_ login: String, of authority: String, in store: Store) throws -> String {
        try store.users.create(
            login: login, authority: authority, role: .worker, displayName: login, password: "correct horse battery staple", as: .localAdministrator)
        return try store.tokens.create(for: login, label: "test", days: 1, as: .localAdministrator).token
    }
}
