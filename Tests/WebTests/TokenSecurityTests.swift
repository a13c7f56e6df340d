import Foundation
import MimamoriTesting
import Store
import Testing

/// API tokens through the real server (docs/security.md, "Tokens end with their user's
/// password"): the operator's longest lifetime, listing without secrets, revocation by the
/// user or its administrator only, and every session and token ended by a password change,
/// a reset or disabling the user.
@Suite(.serialized)
struct TokenSecurityTests {
    typealias Who = APIFixture.Who

    /// The API answer of `GET /api/v1/tokens` (with `query`) as `who`.
    static func listed(_ f: APIFixture, _ query: String = "", as who: Who) throws -> [[String: Any]] {
        let reply = try f.send("GET", "/api/v1/tokens" + query, as: who)
        try #require(reply.status == 200, "\(who) GET /api/v1/tokens\(query): \(reply.status) \(reply.body)")
        return try #require(try APIFixture.object(reply)["tokens"] as? [[String: Any]])
    }

    /// Whether a bearer token authenticates a request.
    static func works(_ f: APIFixture, _ token: String) throws -> Bool {
        let reply = try f.send("GET", "/api/v1/session", headers: ["Authorization: Bearer \(token)"])
        #expect(reply.status == 200 || reply.status == 401, "\(reply.status)")
        return reply.status == 200
    }

    /// Whether a browser session cookie authenticates a request.
    static func works(_ f: APIFixture, cookie: String) throws -> Bool {
        try f.send("GET", "/api/v1/session", headers: ["Cookie: \(cookie)"]).status == 200
    }

    /// A fresh token for `login`, made by the local administrator: (id, secret).
    static func mint(_ f: APIFixture, for login: String, days: Int = 7) throws -> (id: Int, token: String) {
        let (token, info) = try f.store.tokens.create(for: login, label: "script", days: days, as: .localAdministrator)
        return (info.id, token)
    }

    @Test(
        "a token is minted for at most the operator's longest lifetime (90 days by default): longer is a 400 naming it, and lowering it bounds existing tokens"
    )
    func longestLifetime() throws {
        let f = try APIFixture()
        for days in ["91", "366", "1e300", "0"] {
            let reply = try f.send("POST", "/api/v1/tokens", as: .holder, json: #"{"label": "cron", "days": \#(days)}"#)
            #expect(reply.status == 400 && reply.body.contains("1–90"), "days \(days): \(reply.status) \(reply.body)")
        }
        let longest = try f.send("POST", "/api/v1/tokens", as: .holder, json: #"{"label": "cron", "days": 90}"#)
        #expect(longest.status == 201)
        let token = try #require(try APIFixture.object(longest)["token"] as? String)
        #expect(try Self.works(f, token))

        // Only the operator at the command line sets the maximum; a signed-in administrator or operator is refused (audited).
        for who in [Who.holderAdmin, .systemOperator] {
            let actor = Actor.user(login: who.rawValue, authority: who.authority, role: who.role)
            let denied = try f.auditCount(action: "denied", actor: who)
            #expect { try f.store.tokens.setMaximumDays(30, as: actor) } throws: { ($0 as? StoreError)?.kind == .permissionDenied }
            #expect(try f.auditCount(action: "denied", actor: who) == denied + 1)
        }
        try f.store.tokens.setMaximumDays(30, as: .localAdministrator)
        let longer = try f.send("POST", "/api/v1/tokens", as: .holder, json: #"{"days": 31}"#)
        #expect(longer.status == 400 && longer.body.contains("1–30"), "\(longer.body)")
        // The 90-day token now ends 30 days after it was made: listed so, and refused once that has passed.
        let listed = try #require(try Self.listed(f, as: .holder).first { $0["label"] as? String == "cron" })
        let created = try #require(Timestamp.date(listed["created_at"] as? String ?? ""))
        let expires = try #require(Timestamp.date(listed["expires_at"] as? String ?? ""))
        #expect(abs(expires.timeIntervalSince(created) - 30 * 86_400) < 2, "\(listed)")
        let catalogue = f.store.dataDirectory.appendingPathComponent("catalogue.sqlite")
        _ = try CommandRun.sqlite(
            catalogue, "UPDATE tokens SET created_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-31 days') WHERE label = 'cron'")
        #expect(try !Self.works(f, token), "a token older than the longest lifetime is refused, whatever expiry it was given")
        #expect(try Self.listed(f, as: .holder).first { $0["label"] as? String == "cron" }?["state"] as? String == "expired")
    }

    @Test("a user lists its own tokens without their secret or digest: number, label, created, expires, last used, state")
    func listWithoutSecrets() throws {
        let f = try APIFixture()
        let minted = try f.send("POST", "/api/v1/tokens", as: .holder, json: #"{"label": "case system", "days": 7}"#)
        let token = try #require(try APIFixture.object(minted)["token"] as? String)
        #expect(try Self.works(f, token))
        let reply = try f.send("GET", "/api/v1/tokens", as: .holder)
        #expect(reply.status == 200)
        let digests = try CommandRun.sqlite(
            f.store.dataDirectory.appendingPathComponent("catalogue.sqlite"), "SELECT token_hash FROM tokens WHERE login = 'chiyoda'")
        for secret in [token, f.tokens[.holder]!] + digests.split(separator: "\n").map(String.init) {
            #expect(!reply.body.contains(secret), "the list shows a secret or its digest")
        }
        #expect(!reply.body.contains("mmr_"))
        let tokens = try #require(try APIFixture.object(reply)["tokens"] as? [[String: Any]])
        #expect(tokens.map { $0["label"] as? String } == ["case system", "test"], "newest first: \(tokens)")
        #expect(
            Set(tokens.flatMap(\.keys)).isSubset(of: ["id", "login", "label", "created_at", "expires_at", "last_used_at", "revoked_at", "state"]))
        #expect(tokens.allSatisfy { $0["login"] as? String == "chiyoda" && $0["state"] as? String == "active" && $0["last_used_at"] != nil })
        // Another user's list holds only its own.
        #expect(try Self.listed(f, as: .partnerCGC).map { $0["login"] as? String } == ["tokyo-cgc"])
    }

    @Test(
        "another worker of the same authority cannot list or revoke a user's tokens (403), nor anyone of another authority (404); every refusal is audited"
    )
    func othersCannotListOrRevoke() throws {
        let f = try APIFixture()
        try f.store.users.create(
            login: "chiyoda-2", authority: "131016", role: .worker, displayName: "千代田区 職員2", password: APIFixture.password,
            as: .localAdministrator)
        try f.store.users.create(
            login: "osaka-admin", authority: "271004", role: .administrator, displayName: "大阪市 管理者", password: APIFixture.password,
            as: .localAdministrator)
        let colleague = try Self.mint(f, for: "chiyoda-2").token
        let otherAdmin = try Self.mint(f, for: "osaka-admin").token
        let (id, token) = try Self.mint(f, for: "chiyoda")
        func denied(_ login: String, _ authority: String) throws -> Int {
            try f.store.auditLog.entries(as: .localAdministrator, limit: 100_000)
                .filter { $0.action == "denied" && $0.actor == "\(login)@\(authority)" }.count
        }
        for (secret, login, authority, status) in [
            (colleague, "chiyoda-2", "131016", 403), (otherAdmin, "osaka-admin", "271004", 404),
            (f.tokens[.ministry]!, "ministry", Who.ministry.authority, 404),
        ] {
            let as_ = ["Authorization: Bearer \(secret)"]
            let before = try denied(login, authority)
            let list = try f.send("GET", "/api/v1/tokens?login=chiyoda", headers: as_)
            #expect(list.status == status && !list.body.contains("script"), "\(login) lists: \(list.status)")
            #expect(try denied(login, authority) == before + 1, "\(login)'s list refusal is audited")
            let revoke = try f.send("DELETE", "/api/v1/tokens/\(id)", headers: as_)
            #expect(revoke.status == status, "\(login) revokes: \(revoke.status) \(revoke.body)")
            #expect(try denied(login, authority) == before + 2, "\(login)'s revocation refusal is audited")
            #expect(try Self.works(f, token))
        }
        // A number that is no token is the same 404 as another authority's.
        #expect(try f.send("DELETE", "/api/v1/tokens/999999", headers: ["Authorization: Bearer \(otherAdmin)"]).status == 404)
        // The user's own administrator lists and revokes them.
        #expect(try Self.listed(f, "?login=chiyoda", as: .holderAdmin).contains { $0["id"] as? Int == id })
        #expect(try f.send("DELETE", "/api/v1/tokens/\(id)", as: .holderAdmin).status == 204)
        #expect(try !Self.works(f, token))
    }

    @Test("a revoked token is 401 at once; the revocation is audited and the list says revoked")
    func revokedIs401() throws {
        let f = try APIFixture()
        let (id, token) = try Self.mint(f, for: "chiyoda")
        #expect(try Self.works(f, token))
        #expect(try f.send("DELETE", "/api/v1/tokens/\(id)", headers: ["Authorization: Bearer \(token)"]).status == 204)
        let reply = try f.send("GET", "/api/v1/session", headers: ["Authorization: Bearer \(token)"])
        #expect(reply.status == 401)
        #expect(try f.store.auditLog.entries(as: .localAdministrator).contains { $0.action == "token.revoke" && $0.detail == "token=\(id)" })
        let listed = try #require(try Self.listed(f, as: .holder).first { $0["id"] as? Int == id })
        #expect(listed["state"] as? String == "revoked" && listed["revoked_at"] != nil)
        #expect(try Self.works(f, f.tokens[.holder]!), "the user's other token goes on")
    }

    @Test("an administrator's password reset ends every session and every token of the user")
    func resetEndsEverything() throws {
        let f = try APIFixture()
        let sessions = try (0..<2).map { _ in try PageCheckTests.signIn(f, .holder) }
        let minted = try Self.mint(f, for: "chiyoda").token
        let (admin, page, _) = try FormValidationTests.open(f, .holderAdmin, "/users")
        let fields = FormValidationTests.filledIn(page.body, action: "/users/password").filter { $0.name != "login" || $0.value == "chiyoda" }
        let reset = try SettingsPageTests.post(
            f, "/users/password", cookie: admin, FormValidationTests.with(fields, "password", "a much longer new phrase"))
        #expect(reset.status == 303)
        for cookie in sessions { #expect(try !Self.works(f, cookie: cookie)) }
        for token in [minted, f.tokens[.holder]!] { #expect(try !Self.works(f, token), "a token outlived the password reset") }
        #expect(try Self.works(f, cookie: admin), "the administrator's own session goes on")
        let ended = try f.store.auditLog.entries(as: .localAdministrator).filter { $0.action == "credentials.end" }
        #expect(ended.map(\.detail) == ["reason=user.password sessions=2 tokens=2"], "\(ended.map(\.detail))")
    }

    @Test("a user changing its own password keeps the session it changed it from, and ends its other sessions and every token")
    func ownChangeEndsTheRest() throws {
        let f = try APIFixture()
        let other = try PageCheckTests.signIn(f, .holder)
        let (here, _, csrf) = try FormValidationTests.open(f, .holder, "/password")
        let new = "a much longer new phrase"
        let changed = try SettingsPageTests.post(
            f, "/password", cookie: here, [("csrf_token", csrf), ("current", APIFixture.password), ("new", new), ("confirm", new)])
        #expect(changed.status == 303)
        #expect(try Self.works(f, cookie: here))
        #expect(try !Self.works(f, cookie: other))
        #expect(try !Self.works(f, f.tokens[.holder]!), "a token outlived the password change")
    }

    @Test("disabling a user ends every session and revokes every token, for good")
    func disableEndsEverything() throws {
        let f = try APIFixture()
        let session = try PageCheckTests.signIn(f, .holder)
        let minted = try Self.mint(f, for: "chiyoda").token
        let (admin, _, csrf) = try FormValidationTests.open(f, .holderAdmin, "/users")
        let disabled = try SettingsPageTests.post(f, "/users/disable", cookie: admin, [("csrf_token", csrf), ("login", "chiyoda")])
        #expect(disabled.status == 303)
        #expect(try !Self.works(f, cookie: session))
        for token in [minted, f.tokens[.holder]!] { #expect(try !Self.works(f, token)) }
        let catalogue = f.store.dataDirectory.appendingPathComponent("catalogue.sqlite")
        #expect(try CommandRun.sqlite(catalogue, "SELECT count(*) FROM tokens WHERE login = 'chiyoda' AND revoked_at IS NULL") == "0")
        #expect(try CommandRun.sqlite(catalogue, "SELECT count(*) FROM sessions WHERE login = 'chiyoda' AND ended_at IS NULL") == "0")
    }

    @Test("the password page lists the user's own tokens and revokes one; the users page lists the authority's; a colleague's revocation is refused")
    func pages() throws {
        let f = try APIFixture()
        let (id, token) = try Self.mint(f, for: "chiyoda")
        let (cookie, page, csrf) = try FormValidationTests.open(f, .holder, "/password")
        #expect(page.body.contains(#"action="/tokens/\#(id)/revoke""#) && page.body.contains("script") && !page.body.contains("mmr_"))
        let (admin, users, adminCSRF) = try FormValidationTests.open(f, .holderAdmin, "/users")
        #expect(users.body.contains(#"action="/tokens/\#(id)/revoke""#), "the administrator sees its users' tokens")
        #expect(!users.body.contains("osaka"), "and no other authority's")
        // Another user of the authority may not revoke it from a page either (403, audited).
        try f.store.users.create(
            login: "chiyoda-2", authority: "131016", role: .worker, displayName: "千代田区 職員2", password: APIFixture.password,
            as: .localAdministrator)
        let reply = try WebPageTests.form(f, "/login", "login=chiyoda-2&password=" + APIFixture.password.replacingOccurrences(of: " ", with: "+"))
        let colleague = try #require(WebPageTests.cookie(of: reply))
        let colleagueCSRF = try #require(
            HTMLTag.all(in: try f.send("GET", "/password", headers: ["Cookie: \(colleague)"]).body).first { $0["name"] == "csrf_token" }?["value"])
        let before = try f.store.auditLog.entries(as: .localAdministrator).filter { $0.action == "denied" && $0.actor == "chiyoda-2@131016" }.count
        let refused = try SettingsPageTests.post(f, "/tokens/\(id)/revoke", cookie: colleague, [("csrf_token", colleagueCSRF)])
        #expect(refused.status == 403)
        #expect(
            try f.store.auditLog.entries(as: .localAdministrator).filter { $0.action == "denied" && $0.actor == "chiyoda-2@131016" }.count == before
                + 1)
        #expect(try Self.works(f, token))
        // Without the CSRF token nothing happens.
        #expect(try SettingsPageTests.post(f, "/tokens/\(id)/revoke", cookie: cookie, []).status == 403)
        #expect(try Self.works(f, token))
        let revoked = try SettingsPageTests.post(f, "/tokens/\(id)/revoke", cookie: cookie, [("csrf_token", csrf)])
        #expect(revoked.status == 303 && (APIFixture.header("Location", of: revoked) ?? "").hasPrefix("/password"))
        #expect(try !Self.works(f, token))
        #expect(!(try f.send("GET", "/password", headers: ["Cookie: \(cookie)"]).body.contains(#"action="/tokens/\#(id)/revoke""#)))
        // The administrator revokes the fixture's token from the users page.
        let fixtureID = try #require(try f.store.tokens.list(of: "chiyoda", as: .localAdministrator).first { $0.state == .active }?.id)
        let fromUsers = try SettingsPageTests.post(f, "/tokens/\(fixtureID)/revoke", cookie: admin, [("csrf_token", adminCSRF), ("from", "users")])
        #expect(fromUsers.status == 303 && (APIFixture.header("Location", of: fromUsers) ?? "").hasPrefix("/users"))
        #expect(try !Self.works(f, f.tokens[.holder]!))
    }
}
