import Foundation
import MimamoriTesting
import Store
import Testing
import Web

/// Browser sessions through the real server: the cookie, CSRF, sign-out, throttling.
@Suite(.serialized)
struct SessionAPITests {
    static func signIn(_ f: APIFixture, login: String = "chiyoda", password: String = APIFixture.password) throws -> RawHTTPClient.Reply {
        try f.send("POST", "/api/v1/session", json: #"{"login": "\#(login)", "password": "\#(password)"}"#)
    }

    @Test("sign-in sets an HttpOnly SameSite=Strict cookie whose id is stored only as a digest, and answers the CSRF token")
    func signInCookie() throws {
        let f = try APIFixture()
        let reply = try Self.signIn(f)
        #expect(reply.status == 201)
        let cookie = try #require(APIFixture.header("Set-Cookie", of: reply))
        #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/"))
        #expect(!cookie.contains("Secure"))  // plain HTTP in this test; TLS adds it
        let id = try #require(cookie.split(separator: ";").first?.split(separator: "=").last.map(String.init))
        #expect(id.hasPrefix("mms_") && id.count == 68)
        let catalogue = f.store.dataDirectory.appendingPathComponent("catalogue.sqlite")
        #expect(try CommandRun.sqlite(catalogue, "SELECT id_hash FROM sessions WHERE login = 'chiyoda'") == Secret.digest(id))
        let body = try APIFixture.object(reply)
        let csrf = try #require(body["csrf_token"] as? String)
        #expect((body["authority"] as? [String: Any])?["code"] as? String == "131016")

        // The cookie authenticates reads; writes need the CSRF token too.
        let me = try f.send("GET", "/api/v1/session", headers: ["Cookie: mimamori_session=\(id)"])
        #expect(me.status == 200)
        #expect(try APIFixture.object(me)["csrf_token"] as? String == csrf)
        #expect(try f.send("GET", "/api/v1/cases/\(f.caseID)", headers: ["Cookie: theme=dark; mimamori_session=\(id)"]).status == 200)
        let note = #"{"text": "from the browser"}"#
        let forged = try f.send("POST", "/api/v1/cases/\(f.caseID)/notes", headers: ["Cookie: mimamori_session=\(id)"], json: note)
        #expect(forged.status == 403 && forged.body.contains("X-CSRF-Token"))
        let wrong = try f.send(
            "POST", "/api/v1/cases/\(f.caseID)/notes",
            headers: ["Cookie: mimamori_session=\(id)", "X-CSRF-Token: \(csrf.dropLast())\(csrf.hasSuffix("0") ? "1" : "0")"], json: note)
        #expect(wrong.status == 403)
        #expect(try f.store.cases.read(id: f.caseID, as: .localAdministrator).notes.isEmpty)
        let accepted = try f.send(
            "POST", "/api/v1/cases/\(f.caseID)/notes", headers: ["Cookie: mimamori_session=\(id)", "X-CSRF-Token: \(csrf)"], json: note)
        #expect(accepted.status == 201)

        // Sign-out ends the session for good and clears the cookie.
        let out = try f.send("DELETE", "/api/v1/session", headers: ["Cookie: mimamori_session=\(id)", "X-CSRF-Token: \(csrf)"])
        #expect(out.status == 204)
        #expect(APIFixture.header("Set-Cookie", of: out)?.contains("Max-Age=0") == true)
        #expect(try f.send("GET", "/api/v1/session", headers: ["Cookie: mimamori_session=\(id)"]).status == 401)
    }

    @Test("a wrong password is 401, the sixth try 429 with Retry-After, and a disabled user's session stops at once")
    func failuresAndDisabling() throws {
        let f = try APIFixture()
        for _ in 0..<5 { #expect(try Self.signIn(f, password: "wrong").status == 401) }
        let locked = try Self.signIn(f)
        #expect(locked.status == 429)
        #expect(APIFixture.header("Retry-After", of: locked) != nil)
        #expect(try f.auditCount(action: "login.throttled") == 1)

        let reply = try Self.signIn(f, login: "osaka")
        let cookie = try #require(APIFixture.header("Set-Cookie", of: reply)?.split(separator: ";").first.map(String.init))
        #expect(try f.send("GET", "/api/v1/session", headers: ["Cookie: \(cookie)"]).status == 200)
        try f.store.users.disable("osaka", as: .localAdministrator)
        #expect(try f.send("GET", "/api/v1/session", headers: ["Cookie: \(cookie)"]).status == 401)
        for body in [#"{"login": "osaka"}"#, #"["osaka", "x"]"#, #"{"login": 1, "password": 2}"#] {
            #expect(try f.send("POST", "/api/v1/session", json: body).status == 400)
        }
        #expect(
            try f.send(
                "POST", "/api/v1/session", body: Array(#"{"login":"a","password":"b"}"#.utf8), contentType: "application/x-www-form-urlencoded"
            ).status == 415)
    }

    @Test("an idle or too old session is refused")
    func expiry() throws {
        let f = try APIFixture()
        let reply = try Self.signIn(f)
        let cookie = try #require(APIFixture.header("Set-Cookie", of: reply)?.split(separator: ";").first.map(String.init))
        let catalogue = f.store.dataDirectory.appendingPathComponent("catalogue.sqlite")
        _ = try CommandRun.sqlite(catalogue, "UPDATE sessions SET last_seen_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-31 minutes')")
        #expect(try f.send("GET", "/api/v1/session", headers: ["Cookie: \(cookie)"]).status == 401)
        _ = try CommandRun.sqlite(
            catalogue,
            "UPDATE sessions SET last_seen_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), created_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-13 hours')"
        )
        #expect(try f.send("GET", "/api/v1/session", headers: ["Cookie: \(cookie)"]).status == 401)
        _ = try CommandRun.sqlite(catalogue, "UPDATE sessions SET created_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')")
        #expect(try f.send("GET", "/api/v1/session", headers: ["Cookie: \(cookie)"]).status == 200)
    }
}
