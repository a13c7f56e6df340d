import Foundation
import MimamoriTesting
import Store
import Testing
import Web

/// A second factor at sign-in (TOTP, RFC 6238): enrolment, sign-in with a code or a recovery
/// code, an administrator requiring it of its staff, the ministry and operators required by
/// default, and the reset for a lost device — through the real server.
@Suite(.serialized)
struct SecondFactorTests {
    typealias Who = APIFixture.Who

    @Test("codes match RFC 6238's SHA-1 test vectors, and base32 matches RFC 4648")
    func vectors() {
        let secret = Array("12345678901234567890".utf8)
        let expected: [(Int64, String)] = [
            (59, "287082"), (1_111_111_109, "081804"), (1_111_111_111, "050471"), (1_234_567_890, "005924"), (2_000_000_000, "279037"),
            (20_000_000_000, "353130"),
        ]
        for (time, code) in expected {
            #expect(TOTP.code(secret: secret, step: time / 30) == code, "T=\(time)")
        }
        #expect(TOTP.base32(Array("foobar".utf8)) == "MZXW6YTBOI")
        #expect(TOTP.base32(Array("f".utf8)) == "MY")
        #expect(Base32.decode(TOTP.base32(secret)) == secret)
    }

    /// Enrols `who` through the API as an app would; answers the secret and the recovery codes.
    static func enrol(_ f: APIFixture, _ who: Who) throws -> (secret: [UInt8], recovery: [String]) {
        let begun = try f.send("POST", "/api/v1/session/second-factor", as: who, json: "{}")
        try #require(begun.status == 201, "\(begun.body.prefix(300))")
        let object = try APIFixture.object(begun)
        let uri = try #require(object["uri"] as? String)
        #expect(uri.hasPrefix("otpauth://totp/Mimamori:\(who.rawValue)?secret="))
        let shown = try #require(object["secret"] as? String)
        let secret = try #require(Base32.decode(shown))
        let wrong = try f.send("POST", "/api/v1/session/second-factor/confirm", as: who, json: #"{"code": "000000"}"#)
        #expect(wrong.status == 400 || TOTP.code(secret: secret, step: TOTP.step(at: Date())) == "000000")
        let code = TOTP.code(secret: secret, step: TOTP.step(at: Date()))
        let confirmed = try f.send("POST", "/api/v1/session/second-factor/confirm", as: who, json: #"{"code": "\#(code)"}"#)
        try #require(confirmed.status == 200, "\(confirmed.body.prefix(300))")
        let recovery = try #require(try APIFixture.object(confirmed)["recovery_codes"] as? [String])
        return (secret, recovery)
    }

    static func signIn(_ f: APIFixture, _ who: Who, _ secondFactor: String? = nil) throws -> RawHTTPClient.Reply {
        let code = secondFactor.map { #", "second_factor": "\#($0)""# } ?? ""
        return try f.send("POST", "/api/v1/session", json: #"{"login": "\#(who.rawValue)", "password": "\#(APIFixture.password)"\#(code)}"#)
    }

    @Test("once enrolled, sign-in needs the code: missing is 401 asking for it, wrong or replayed is refused, a recovery code works once")
    func signInWithCode() throws {
        let f = try APIFixture()
        let (secret, recovery) = try Self.enrol(f, .holder)
        #expect(recovery.count == 10 && Set(recovery).count == 10)

        let missing = try Self.signIn(f, .holder)
        #expect(missing.status == 401 && missing.body.contains("Second factor required"), "\(missing.body.prefix(200))")
        #expect(try Self.signIn(f, .holder, "123").status == 401)
        // The current step was used by the enrolment: the next one is accepted once, never twice.
        let next = TOTP.code(secret: secret, step: TOTP.step(at: Date()) + 1)
        let accepted = try Self.signIn(f, .holder, next)
        #expect(accepted.status == 201, "\(accepted.body.prefix(200))")
        #expect((try APIFixture.object(accepted)["second_factor"] as? [String: Any])?["enrolled"] as? Bool == true)
        #expect(try Self.signIn(f, .holder, next).status == 401, "a code was accepted twice")
        // A recovery code, typed loosely, works once.
        #expect(try Self.signIn(f, .holder, recovery[0].lowercased().replacingOccurrences(of: "-", with: " ")).status == 201)
        #expect(try Self.signIn(f, .holder, recovery[0]).status == 401)
        // Neither the secret nor a code reaches the audit log.
        let trail = try f.store.auditLog.auditTrail(of: "131016", as: .localAdministrator)
        #expect(trail.contains { $0.action == "second-factor.enrolled" } && trail.contains { $0.action == "login.second-factor" })
        #expect(!trail.contains { ($0.detail ?? "").contains(next) || ($0.detail ?? "").contains(recovery[0]) })
        // Enrolling again while one is set up is refused; an administrator resets it for a lost device.
        #expect(try f.send("POST", "/api/v1/session/second-factor", as: .holder, json: "{}").status == 409)
        try f.store.secondFactors.reset("chiyoda", as: .user(login: "chiyoda-admin", authority: "131016", role: .administrator))
        #expect(try Self.signIn(f, .holder).status == 201)
        #expect(throws: StoreError.self) {
            try f.store.secondFactors.reset("osaka", as: .user(login: "chiyoda-admin", authority: "131016", role: .administrator))
        }
    }

    @Test("an administrator requires it: a colleague without one signs in to a session that can only enrol, then works")
    func requiredByAdministrator() throws {
        let f = try APIFixture()
        #expect(try f.send("PUT", "/api/v1/settings", as: .holderAdmin, json: #"{"second_factor_required": true}"#).status == 200)
        // A token made before the requirement does not bypass it: refused until its user has a second factor.
        let refused = try f.send("GET", "/api/v1/settings", as: .holderAdmin)
        #expect(refused.status == 401 && refused.body.contains("second factor"), "\(refused.status) \(refused.body.prefix(200))")
        #expect(try f.send("GET", "/api/v1/search?q=%E5%B1%B1%E7%94%B0", as: .holder).status == 401)
        _ = try f.secondFactorCode(for: .holderAdmin, always: true)
        let settings = try APIFixture.object(try f.send("GET", "/api/v1/settings", as: .holderAdmin))
        #expect(settings["second_factor_required"] as? Bool == true)

        let signedIn = try Self.signIn(f, .holder)
        #expect(signedIn.status == 201)
        let info = try APIFixture.object(signedIn)
        #expect(info["enrolment_only"] as? Bool == true)
        let cookie = try #require(WebPageTests.cookie(of: signedIn))
        let csrf = try #require(info["csrf_token"] as? String)
        // Nothing but enrolment: the API refuses, the pages lead to the set-up page.
        let search = try f.send("GET", "/api/v1/search?q=%E5%B1%B1%E7%94%B0", headers: ["Cookie: \(cookie)"])
        #expect(search.status == 403 && search.body.contains("Second factor required"))
        let page = try f.send("GET", "/cases", headers: ["Cookie: \(cookie)"])
        #expect(page.status == 303 && APIFixture.header("Location", of: page) == "/account/second-factor")

        // Set up through the pages, as a worker would.
        let setup = try f.send("GET", "/account/second-factor", headers: ["Cookie: \(cookie)"])
        #expect(setup.status == 200 && setup.body.contains("二要素認証が必須"))
        let begun = try CaseworkPageTests.post(f, "/account/second-factor", cookie: cookie, [("csrf_token", csrf)])
        #expect(begun.status == 200)
        let shown = try #require(HTMLTag.text(of: "totp-secret", in: begun.body), "no secret on the page")
        let secret = try #require(Base32.decode(shown))
        let bad = try CaseworkPageTests.post(f, "/account/second-factor/confirm", cookie: cookie, [("csrf_token", csrf), ("code", "12")])
        #expect(bad.status == 400 && bad.body.contains("確認コードが一致しません"))
        let code = TOTP.code(secret: secret, step: TOTP.step(at: Date()))
        let done = try CaseworkPageTests.post(f, "/account/second-factor/confirm", cookie: cookie, [("csrf_token", csrf), ("code", code)])
        #expect(done.status == 200 && done.body.contains("回復コード") && done.body.contains("recovery-codes"))
        // The same session now works.
        #expect(try f.send("GET", "/cases", headers: ["Cookie: \(cookie)"]).status == 200)
        #expect(try f.send("GET", "/api/v1/search?q=%E5%B1%B1%E7%94%B0", headers: ["Cookie: \(cookie)"]).status == 200)
        // The administrator sees it on the users page and may reset it there.
        let adminCode = try #require(try f.secondFactorCode(for: .holderAdmin, always: true))
        let adminSignIn = try WebPageTests.form(
            f, "/login", "login=chiyoda-admin&password=\(APIFixture.password.replacingOccurrences(of: " ", with: "+"))&second_factor=\(adminCode)")
        let adminCookie = try #require(WebPageTests.cookie(of: adminSignIn))
        let users = try f.send("GET", "/users", headers: ["Cookie: \(adminCookie)"])
        let adminCSRF = try #require(HTMLTag.all(in: users.body).first { $0["name"] == "csrf_token" }?["value"])
        #expect(users.body.contains("設定済み"))
        let reset = try CaseworkPageTests.post(
            f, "/users/second-factor/reset", cookie: adminCookie, [("csrf_token", adminCSRF), ("login", "chiyoda")])
        #expect(reset.status == 303)
        #expect(try Self.signIn(f, .holder).status == 201)  // required again at the next sign-in: enrolment only
        // A worker may not reset anyone's.
        let (workerCookie, _, workerCSRF) = try FormValidationTests.open(f, .partnerCGC, "/search")
        #expect(
            try CaseworkPageTests.post(f, "/users/second-factor/reset", cookie: workerCookie, [("csrf_token", workerCSRF), ("login", "chiyoda")])
                .status == 403)
    }

    @Test("the ministry's staff and operators must have one by default; the login page asks for the code")
    func requiredForMinistryAndOperators() throws {
        let f = try APIFixture()
        for who in [Who.ministry, .systemOperator] {
            try f.store.secondFactors.reset(who.rawValue, as: .localAdministrator)  // the fixture enrolled them
            let reply = try Self.signIn(f, who)
            let info = try APIFixture.object(reply)
            #expect(reply.status == 201 && info["enrolment_only"] as? Bool == true, "\(who)")
            // Nor does a token get around it.
            #expect(try f.send("GET", "/api/v1/session", as: who).status == 401, "\(who)")
        }
        // Once enrolled, the login form asks for the code after a right password, keeping the login ID.
        let code = try #require(try f.secondFactorCode(for: .ministry))
        let password = APIFixture.password.replacingOccurrences(of: " ", with: "+")
        let asked = try WebPageTests.form(f, "/login", "login=ministry&password=\(password)")
        #expect(asked.status == 401 && asked.body.contains("確認コード") && asked.body.contains("value=\"ministry\""))
        let signedIn = try WebPageTests.form(f, "/login", "login=ministry&password=\(password)&second_factor=\(code)")
        #expect(signedIn.status == 303 && APIFixture.header("Location", of: signedIn) == "/search")
    }
}
