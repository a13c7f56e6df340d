import Foundation
import MimamoriTesting
import Store
import Testing
import Web

/// Malformed and hostile requests: each a precise 4xx, no crash, nothing written.
@Suite(.serialized)
struct BadInputTests {
    /// What a refused request must not change: cases, notes, attachments.
    static func state(_ f: APIFixture) throws -> [String] {
        let data = f.store.dataDirectory
        return try ["cases", "notes", "attachments"].map { table in
            try CommandRun.sqlite(data.appendingPathComponent("pref-13.sqlite"), "SELECT count(*) || ':' || coalesce(max(rowid), 0) FROM \(table)")
        } + [try CommandRun.sqlite(data.appendingPathComponent("pref-13.sqlite"), "SELECT version FROM cases WHERE id = '\(f.caseID)'")]
    }

    @Test("malformed bodies, wrong content types and invalid UTF-8 are precise 4xx and write nothing")
    func malformedBodies() throws {
        let f = try APIFixture()
        let before = try Self.state(f)
        let casePath = "/api/v1/cases/\(f.caseID)"
        let cases: [(String, String, [UInt8], String?, [String], Int, String)] = [
            ("POST", "/api/v1/cases", Array(#"{"external_id": "X", "#.utf8), "application/json", [], 400, "malformed JSON"),
            ("POST", "/api/v1/cases", Array(#"["not", "an", "object"]"#.utf8), "application/json", [], 400, "JSON object"),
            ("POST", "/api/v1/cases", Array(RecordFixture.line("X").utf8), "text/plain", [], 415, "application/json"),
            ("POST", "/api/v1/cases", Array(RecordFixture.line("X").utf8), nil, [], 415, "none"),
            ("POST", "/api/v1/cases", Array(#"{"external_id": "X"#.utf8) + [0xFF, 0xFE] + Array(#""}"#.utf8), "application/json", [], 400, "UTF-8"),
            (
                "POST", "/api/v1/cases", Array(RecordFixture.line("X", ["child.birthdate": #""2030-01-01""#]).utf8), "application/json", [], 400,
                "child.birthdate"
            ),
            ("PATCH", casePath, Array(#"{"notes": "x"}"#.utf8), "application/json", ["If-Match: \"1\", \"2\""], 412, "If-Match"),
            ("PATCH", casePath, Array(#"{"notes": "x""#.utf8), "application/merge-patch+json", ["If-Match: \"1\""], 400, "malformed JSON"),
            ("PATCH", casePath, Array(#"{"child": null}"#.utf8), "application/merge-patch+json", ["If-Match: \"1\""], 400, "child"),
            ("POST", casePath + "/notes", Array(#"{"text": 42}"#.utf8), "application/json", [], 400, "text"),
            ("POST", casePath + "/notes", Array(#"{"text": "x"}"#.utf8), "application/xml", [], 415, "application/json"),
            ("POST", "/api/v1/tokens", Array(#"{"days": 9999}"#.utf8), "application/json", [], 400, "1–90"),
            ("POST", "/api/v1/tokens", Array(#"{"days": 1.5}"#.utf8), "application/json", [], 400, "whole number"),
            ("DELETE", casePath, [], nil, [], 405, "answers"),
            ("PUT", "/api/v1/cases", [], nil, [], 405, "answers"),
        ]
        for (method, path, body, type, headers, status, detail) in cases {
            let reply = try f.send(method, path, as: .holder, headers: headers, body: body, contentType: type)
            #expect(reply.status == status, "\(method) \(path) \(String(decoding: body.prefix(60), as: UTF8.self)): \(reply.body)")
            #expect(reply.body.contains(detail), "\(method) \(path): \(reply.body)")
            #expect(APIFixture.header("Content-Type", of: reply) == "application/problem+json")
        }
        #expect(try Self.state(f) == before)
    }

    @Test("a 1 GB body is refused before it is read; ids with path traversal or SQL are simply not found")
    func hostileRequests() throws {
        let f = try APIFixture()
        let before = try Self.state(f)
        let head =
            "POST /api/v1/cases HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nAuthorization: Bearer \(f.tokens[.holder]!)\r\nContent-Type: application/json\r\nContent-Length: 1000000000\r\n\r\n"
        let started = Date()
        let reply = try #require(try f.client.send(Array(head.utf8) + Array(repeating: 0x20, count: 1 << 16)))
        #expect(reply.status == 413 && reply.body.contains("1048576"))
        #expect(Date().timeIntervalSince(started) < 5)
        for path in [
            "/api/v1/cases/..%2F..%2Fetc%2Fpasswd", "/api/v1/cases/../../etc/passwd", "/api/v1/cases/%27%20OR%201%3D1%20--",
            "/api/v1/cases/\(f.caseID.uppercased())", "/api/v1/cases/" + String(repeating: "a", count: 65), "/api/v1/attachments/..",
            "/api/v1/cases/\(f.caseID)/views/extra", "/api/v1/cases//notes",
        ] {
            let reply = try f.send("GET", path, as: .holder)
            #expect(reply.status == 404, "\(path): \(reply.status) \(reply.body)")
        }
        #expect(try Self.state(f) == before)
    }

    @Test("FTS5 syntax and SQL fragments in every parameter and field are data, never code")
    func injection() throws {
        let f = try APIFixture()
        let fragments = [
            #"山田" OR "*"#, "NEAR(山田 太郎, 5)", "山田*", "^山田", "山田 AND NOT 太郎", "{kf kg}: 山田", #"'; DROP TABLE cases; --"#,
            "1' OR '1'='1", "\"); DELETE FROM audit_log; --", "%00", "\u{0}", String(repeating: "(", count: 500),
        ]
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        for fragment in fragments {
            let encoded = fragment.addingPercentEncoding(withAllowedCharacters: allowed)!
            for parameter in ["q", "name", "kana", "guardian", "birthdate", "sex", "prefecture", "limit"] {
                let reply = try f.send("GET", "/api/v1/search?\(parameter)=\(encoded)", as: .holder)
                #expect([200, 400].contains(reply.status), "\(parameter)=\(fragment): \(reply.status) \(reply.body)")
            }
            let note = try f.send("POST", "/api/v1/cases/\(f.caseID)/notes", as: .holder, json: #"{"text": \#(RecordFixture.json(fragment))}"#)
            #expect([201, 400].contains(note.status))
            let login = try f.send("POST", "/api/v1/session", json: #"{"login": \#(RecordFixture.json(fragment)), "password": "x"}"#)
            #expect([400, 401, 429].contains(login.status))
            let created = try f.send("POST", "/api/v1/cases", as: .holder, json: RecordFixture.line(fragment))
            #expect([201, 400].contains(created.status), "\(fragment): \(created.body)")
        }
        // Every table is still there and whole, and the audit chain holds.
        #expect(try f.store.maintenance.integrityProblems().isEmpty)
        #expect(try f.store.auditLog.verify() == nil)
        #expect(try f.store.cases.read(id: f.caseID, as: .localAdministrator).record.externalID == "C-1")
        let stored = try f.store.cases.read(id: f.caseID, as: .localAdministrator).notes.map(\.text)
        #expect(stored.contains(#"'; DROP TABLE cases; --"#))
    }

    @Test("an expired token and a disabled user's token are refused with 401")
    func deadTokens() throws {
        let f = try APIFixture()
        _ = try CommandRun.sqlite(
            f.store.dataDirectory.appendingPathComponent("catalogue.sqlite"),
            "UPDATE tokens SET expires_at = '2020-01-01T00:00:00.000Z' WHERE login = 'chiyoda'")
        let expired = try f.send("GET", "/api/v1/cases/\(f.caseID)", as: .holder)
        #expect(expired.status == 401 && APIFixture.header("WWW-Authenticate", of: expired) == "Bearer")
        try f.store.users.disable("tokyo-cgc", as: .localAdministrator)
        #expect(try f.send("POST", "/api/v1/cases/\(f.caseID)/notes", as: .partnerCGC, json: #"{"text": "x"}"#).status == 401)
        #expect(try f.store.cases.read(id: f.caseID, as: .localAdministrator).notes.isEmpty)
    }

    @Test("fuzz: mutated case records and patches never get a 5xx, and only a 2xx writes")
    func fuzzBodies() throws {
        let f = try APIFixture()
        var random = SplitMix64(seed: 20_261_125)
        let seedRecord = Array(RecordFixture.line("FUZZ").utf8)
        let alphabet = Array("{}[]\":,0123456789-.eE tfnul\\/あ山\u{FF10}".utf8) + [0x00, 0x80, 0xC3, 0xFF]
        var created = 0
        for round in 0..<300 {
            var body = seedRecord
            for _ in 0..<random.next(in: 1...6) where body.count > 1 {
                let position = random.next(in: 0...(body.count - 1))
                switch random.next(in: 0...3) {
                case 0: body[position] = alphabet[random.next(in: 0...(alphabet.count - 1))]
                case 1: body.remove(at: position)
                case 2: body.insert(alphabet[random.next(in: 0...(alphabet.count - 1))], at: position)
                default: body = Array(body[..<max(1, position)])
                }
            }
            // Vary the id so that a mutation which stays valid creates a new case rather than a conflict.
            let text = String(decoding: body, as: UTF8.self).replacingOccurrences(of: "\"FUZZ\"", with: "\"FUZZ-\(round)\"")
            if String(decoding: body, as: UTF8.self).contains("\"FUZZ\"") { body = Array(text.utf8) }
            let post = try f.send("POST", "/api/v1/cases", as: .holder, body: body)
            #expect((400..<500).contains(post.status) || post.status == 201 || post.status == 409, "round \(round): \(post.status) \(post.body)")
            if post.status == 201 { created += 1 }
            let version = try f.store.cases.read(id: f.caseID, as: .localAdministrator).version
            let patch = try f.send("PATCH", "/api/v1/cases/\(f.caseID)", as: .holder, headers: ["If-Match: \"\(version)\""], body: body)
            #expect(patch.status < 500, "round \(round): \(patch.status) \(patch.body)")
            if patch.status != 200 {
                #expect(try f.store.cases.read(id: f.caseID, as: .localAdministrator).version == version)
            }
        }
        #expect(try f.store.cases.count(heldBy: "131016") == 1 + created)
    }
}
