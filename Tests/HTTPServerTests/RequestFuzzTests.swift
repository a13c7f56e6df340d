import Foundation
import HTTPServer
import MimamoriTesting
import Synchronization
import Testing

/// Malformed requests over raw sockets, from a seeded generator (the same bytes every run):
/// the server must refuse or ignore each one without a 5xx, and keep serving.
@Suite(.serialized)
struct RequestFuzzTests {
    static let seed: UInt64 = 0x6D69_6D61_6D6F_7269
    static let batches = 6
    static let perBatch = 60
    static let concurrency = 12

    /// Builds one malformed request of a kind chosen by the generator.
    struct Generator {
        var random: SplitMix64

        mutating func pick<T>(_ choices: [T]) -> T { choices[random.next(in: 0...(choices.count - 1))] }

        mutating func bytes(_ count: Int) -> [UInt8] { (0..<count).map { _ in UInt8(truncatingIfNeeded: random.next()) } }

        /// A request that is well formed, to be broken.
        mutating func valid() -> [UInt8] {
            let body = Array(#"{"name":"山田 太郎","birthdate":"2018-04-01"}"#.utf8)
            return pick([
                Array("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8),
                Array("GET /api/v1/search?q=%E5%B1%B1%E7%94%B0&limit=5 HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer mmr_x\r\n\r\n".utf8),
                Array("POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: \(body.count)\r\n\r\n".utf8)
                    + body,
                Array("POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n\(String(body.count, radix: 16))\r\n".utf8) + body
                    + Array("\r\n0\r\n\r\n".utf8),
            ])
        }

        mutating func next() -> (kind: String, bytes: [UInt8]) {
            let kinds = ["random", "requestLine", "folding", "contentLength", "chunked", "nul", "utf8", "mutation"]
            let kind = pick(kinds)
            let head = "Host: 127.0.0.1\r\nConnection: close\r\n"
            switch kind {
            case "random":
                return (kind, bytes(random.next(in: 1...600)))
            case "requestLine":
                let line = pick([
                    "GET", "GET /", "GET / HTTP/1.1 extra", "GET  /  HTTP/1.1", "/healthz HTTP/1.1", "GET healthz HTTP/1.1",
                    "GET /healthz HTTP/9.9", "GET /healthz HTTP/1.10", "GET /healthz HTTP/1", "GET /healthz HTTPS/1.1",
                    "GET /healthz http/1.1", "G@T /healthz HTTP/1.1", "GET\t/healthz\tHTTP/1.1", "GET /healthz HTTP/1.1\r",
                    String(repeating: "A", count: random.next(in: 100...5000)) + " / HTTP/1.1",
                    "GET /" + String(repeating: "a/", count: random.next(in: 1000...20_000)) + " HTTP/1.1",
                    "GET http://[::1 HTTP/1.1", "GET /%zz%/%%00 HTTP/1.1", "GET /healthz?%ZZ=%&&=%G1 HTTP/1.1",
                    " GET /healthz HTTP/1.1", "\r\nGET /healthz HTTP/1.1", "GET /healthz HTTP/1.1\n",
                ])
                let ending = pick(["\r\n", "\n", "\r"])
                return (kind, Array((line + ending + head.replacingOccurrences(of: "\r\n", with: ending) + ending).utf8))
            case "folding":
                let header = pick([
                    "X-A: one\r\n two\r\n", "X-A: one\r\n\ttwo\r\n", " X-Leading: space\r\n", "\tX-Leading: tab\r\n",
                    "NoColon\r\n", ": no-name\r\n", "X-Space : before-colon\r\n", "X A: space-in-name\r\n",
                    "X-A: one\r\n \r\n", "X-A: one\n two\n", "Host: 127.0.0.1\r\nHost: y\r\n", "X-\u{7F}: del\r\n",
                    "X-A: " + String(repeating: "v", count: random.next(in: 10_000...120_000)) + "\r\n",
                ])
                return (kind, Array(("GET /healthz HTTP/1.1\r\n" + header + head + "\r\n").utf8))
            case "contentLength":
                let length = pick([
                    "99999999999999999999999999", "18446744073709551616", "9223372036854775807", "-1", "-0", "abc", "1e3",
                    "0x10", "12 34", "", " ", "+5", "5, 6", "1.5", "٣",
                ])
                let extra = pick(["", "Content-Length: 6\r\n", "Transfer-Encoding: chunked\r\n"])
                return (kind, Array("POST /echo HTTP/1.1\r\nContent-Length: \(length)\r\n\(extra)\(head)\r\nhello".utf8))
            case "chunked":
                let chunks = pick([
                    "zz\r\nhello\r\n0\r\n\r\n", "5\r\nhello0\r\n\r\n", "5\r\nhel", "FFFFFFFFFFFFFFFFFFFF\r\nhello\r\n0\r\n\r\n",
                    "-5\r\nhello\r\n0\r\n\r\n", "5;ext=\"unterminated\r\nhello\r\n0\r\n\r\n", "3\r\nhello\r\n0\r\n\r\n",
                    "5\nhello\n0\n\n", "0\r\nX-Trailer: \u{0}\r\n\r\n", " 5\r\nhello\r\n0\r\n\r\n", "5 \r\nhello\r\n0\r\n\r\n",
                    "7fffffffffffffff\r\nx\r\n", "5\r\nhello\r\n", "\r\n\r\n",
                ])
                let encoding = pick(["chunked", "chunked, chunked", "gzip, chunked", "chunked\u{0}", "identity", "CHUNKED", "chunked;q=1"])
                return (kind, Array("POST /echo HTTP/1.1\r\nTransfer-Encoding: \(encoding)\r\n\(head)\r\n\(chunks)".utf8))
            case "nul":
                var request = valid()
                for _ in 0..<random.next(in: 1...4) { request.insert(0, at: random.next(in: 0...(request.count - 1))) }
                return (kind, request)
            case "utf8":
                let junk: [[UInt8]] = [
                    [0xFF], [0xFE, 0xFF], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xE5, 0xB1], [0xF8, 0x88, 0x80, 0x80, 0x80], [0x80],
                ]
                let where_ = random.next(in: 0...2)
                var request = Array("GET /api/v1/search?q=".utf8)
                request += where_ == 0 ? pick(junk) + Array("&x=%FF%FE%C0%AF".utf8) : Array("%E5%B1%B1".utf8)
                request += Array(" HTTP/1.1\r\nHost: 127.0.0.1\r\n".utf8)
                if where_ == 1 { request += Array("X-Name: ".utf8) + pick(junk) + pick(junk) + Array("\r\n".utf8) }
                if where_ == 2 { request = Array("GET /".utf8) + pick(junk) + Array("/".utf8) + pick(junk) + request.dropFirst(4) }
                return (kind, request + Array("Connection: close\r\n\r\n".utf8))
            default:
                var request = valid()
                for _ in 0..<random.next(in: 1...6) {
                    let at = random.next(in: 0...(request.count - 1))
                    switch random.next(in: 0...2) {
                    case 0: request[at] = UInt8(truncatingIfNeeded: random.next())
                    case 1: request.insert(pick([0x0D, 0x0A, 0x20, 0x3A, 0x25, 0x00, 0xFF]), at: at)
                    default: request.remove(at: at)
                    }
                }
                return (kind, request)
            }
        }
    }

    /// The cases of one batch, shared by the threads that send them.
    final class Work: Sendable {
        let count: Int
        let next = Mutex(0)
        let replies: Mutex<[[UInt8]]>

        init(count: Int) {
            self.count = count
            replies = Mutex([[UInt8]](repeating: [], count: count))
        }

        /// The index of the next case to send, or nil when all are taken.
        func take() -> Int? {
            next.withLock { value in
                defer { value += 1 }
                return value < count ? value : nil
            }
        }
    }

    /// Whether the request line names HTTP/1.0 or HTTP/1.1. libmicrohttpd answers any other
    /// version with 505 (HTTP Version Not Supported, RFC 9110 §15.6.6): the one 5xx that is a
    /// correct refusal rather than a server failure, so it is allowed for those requests only.
    static func asksHTTP1(_ request: [UInt8]) -> Bool {
        let line = String(decoding: request.prefix { $0 != 0x0A }, as: UTF8.self)
        let trimmed = line.hasSuffix("\r") ? String(line.dropLast()) : line
        return trimmed.hasSuffix(" HTTP/1.1") || trimmed.hasSuffix(" HTTP/1.0")
    }

    /// Every status code in a reply (a reply may hold several responses, one per pipelined request).
    static func statuses(_ reply: [UInt8]) -> [Int] {
        let text = String(decoding: reply, as: UTF8.self)
        return text.matches(of: #/(?:^|\r\n)HTTP/1\.[01] (\d{3}) /#).compactMap { Int($0.1) }
    }

    @Test("a few hundred malformed requests get no 5xx, and the server keeps answering /healthz")
    func malformedRequests() throws {
        var configuration = HTTPServer.Configuration()
        configuration.port = 0
        configuration.idleTimeout = 2
        configuration.maxBodyBytes = 1024
        let handled = Mutex(0)
        let server = HTTPServer(configuration: configuration) { request in
            handled.withLock { $0 += 1 }
            switch request.path {
            case "/healthz": return .json(200, #"{"status":"ok"}"#).routed("/healthz")
            case "/echo": return .json(200, "{\"bytes\":\(request.body.count)}").routed("/echo")
            default: return .problem(404, title: "Not found", detail: "no route")
            }
        }
        let port = try server.start()
        defer { server.stop() }
        let client = RawHTTPClient(port: port)
        var generator = Generator(random: SplitMix64(seed: Self.seed))
        let started = Date()
        var seen: [Int: Int] = [:]
        var kinds: [String: Int] = [:]
        for batch in 0..<Self.batches {
            let cases = (0..<Self.perBatch).map { _ in generator.next() }
            for fuzzCase in cases { kinds[fuzzCase.kind, default: 0] += 1 }
            let work = Work(count: cases.count)
            let finished = DispatchSemaphore(value: 0)
            for _ in 0..<Self.concurrency {
                Thread.detachNewThread {
                    while let index = work.take() {
                        let reply = try? client.exchange(cases[index].bytes, patience: .milliseconds(200), timeout: 5)
                        work.replies.withLock { $0[index] = reply ?? [] }
                    }
                    finished.signal()
                }
            }
            for _ in 0..<Self.concurrency { finished.wait() }
            for (index, reply) in work.replies.withLock({ $0 }).enumerated() {
                let statuses = Self.statuses(reply)
                for status in statuses { seen[status, default: 0] += 1 }
                #expect(
                    statuses.allSatisfy { $0 < 500 || ($0 == 505 && !Self.asksHTTP1(cases[index].bytes)) },
                    """
                    batch \(batch) case \(index) (\(cases[index].kind)): \(statuses) for \
                    \(String(decoding: cases[index].bytes.prefix(160), as: UTF8.self).debugDescription)
                    """)
            }
            let health = try client.get("/healthz")
            #expect(health?.status == 200, "after batch \(batch): \(health?.status ?? 0)")
        }
        let elapsed = Date().timeIntervalSince(started)
        // The generator must really have sent every kind, and the server must really have answered some.
        #expect(kinds.count == 8, "\(kinds)")
        #expect(seen.keys.contains { (400...499).contains($0) }, "no 4xx seen: \(seen)")
        #expect(handled.withLock { $0 } > Self.batches, "the handler saw only the health checks")
        #expect(elapsed < 30, "\(elapsed) s")
        print(
            "fuzz: \(Self.batches * Self.perBatch) requests in \(String(format: "%.1f", elapsed)) s; statuses \(seen.sorted { $0.key < $1.key }); kinds \(kinds.sorted { $0.key < $1.key })"
        )
    }
}
