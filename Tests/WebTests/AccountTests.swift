import Foundation
import MimamoriTesting
import Store
import Testing
import Web

/// What an authority's administrator does with accounts (re-enable, role change, last sign-in,
/// lock state and unlock), and a user's view of its own sessions.
@Suite(.serialized)
struct AccountTests {
    typealias Who = APIFixture.Who
    static let admin = Actor.user(login: "chiyoda-admin", authority: "131016", role: .administrator)

    static func post(_ f: APIFixture, _ path: String, cookie: String, csrf: String, _ fields: [(String, String)]) throws -> RawHTTPClient.Reply {
        try SettingsPageTests.post(f, path, cookie: cookie, [("csrf_token", csrf)] + fields.map { (name: $0.0, value: $0.1) })
    }

    @Test("an administrator sees last sign-in and a lock, unlocks it, re-enables a user and changes a role; each audited")
    func administratorManagesAccounts() throws {
        let f = try APIFixture()
        // Five wrong passwords lock 千代田区's worker; then the right one is refused too.
        for _ in 0..<Users.maxFailedLogins { _ = try SessionAPITests.signIn(f, login: "chiyoda", password: "wrong password 123") }
        #expect(try SessionAPITests.signIn(f).status == 429)
        let (cookie, page, csrf) = try FormValidationTests.open(f, .holderAdmin, "/users")
        #expect(page.body.contains("ロック中（令和"), "\(page.body)")
        #expect(page.body.contains("最終ログイン"))
        let accounts = try f.store.users.accounts(of: "131016", as: Self.admin)
        #expect(accounts.first { $0.user.login == "chiyoda" }?.lockedUntil != nil)
        #expect(accounts.first { $0.user.login == "chiyoda-admin" }?.lastLoginAt != nil)

        #expect(try Self.post(f, "/users/unlock", cookie: cookie, csrf: csrf, [("login", "chiyoda")]).status == 303)
        let unlocked = try SessionAPITests.signIn(f)
        #expect(unlocked.status == 201, "\(unlocked.status) \(unlocked.body)")
        #expect(try f.store.users.accounts(of: "131016", as: Self.admin).first { $0.user.login == "chiyoda" }?.lastLoginAt != nil)

        // Disabled, then enabled again: it signs in anew (old sessions stay ended).
        try f.store.users.disable("chiyoda", as: Self.admin)
        #expect(try SessionAPITests.signIn(f).status == 401)
        #expect(try Self.post(f, "/users/enable", cookie: cookie, csrf: csrf, [("login", "chiyoda")]).status == 303)
        #expect(try SessionAPITests.signIn(f).status == 201)

        // A worker made supervisor may approve at once; not its own role, not the last administrator.
        #expect(try Self.post(f, "/users/role", cookie: cookie, csrf: csrf, [("login", "chiyoda"), ("role", "supervisor")]).status == 303)
        #expect(try f.store.users.accounts(of: "131016", as: Self.admin).first { $0.user.login == "chiyoda" }?.user.role == .supervisor)
        #expect(try Self.post(f, "/users/role", cookie: cookie, csrf: csrf, [("login", "chiyoda-admin"), ("role", "worker")]).status == 422)
        #expect {
            try f.store.users.setRole(of: "chiyoda-admin", to: .worker, as: .localAdministrator)
        } throws: { error in
            (error as? StoreError)?.kind == .conflict
        }
        #expect {
            try f.store.users.setRole(of: "chiyoda", to: .ministry, as: Self.admin)
        } throws: { error in
            (error as? StoreError)?.kind == .invalidInput
        }
        let trail = try f.store.auditLog.auditTrail(of: "131016", as: Self.admin, limit: 200).map(\.action)
        #expect(Set(["user.unlock", "user.enable", "user.role"]).isSubset(of: Set(trail)), "\(trail)")
    }

    @Test("only the authority's administrators manage its accounts")
    func refusals() throws {
        let f = try APIFixture()
        for path in ["/users/enable", "/users/unlock", "/users/role"] {
            for who in [Who.holder, .partnerCGC, .ministry] {
                let (cookie, _, csrf) = try FormValidationTests.open(f, who, "/password")
                let reply = try Self.post(f, path, cookie: cookie, csrf: csrf, [("login", "chiyoda"), ("role", "administrator")])
                #expect(reply.status == 403, "\(who) \(path): \(reply.status)")
            }
        }
        let osakaAdmin = Actor.user(login: "x", authority: "271004", role: .administrator)
        #expect {
            try f.store.users.unlock("chiyoda", as: osakaAdmin)
        } throws: { error in
            (error as? StoreError)?.kind == .permissionDenied
        }
        #expect(try f.store.users.accounts(of: "131016", as: Self.admin).first { $0.user.login == "chiyoda" }?.user.role == .worker)
    }

    @Test("a user lists its own sessions and ends another one; it cannot end someone else's")
    func ownSessions() throws {
        let f = try APIFixture()
        let elsewhere = try PageCheckTests.signIn(f, .holder)
        let (cookie, page, csrf) = try FormValidationTests.open(f, .holder, "/password")
        #expect(page.body.contains("ログイン中の画面") && page.body.contains("この画面"))
        let references = HTMLTag.all(in: page.body).compactMap { tag -> String? in
            guard tag.name == "form", let action = tag["action"], action.hasPrefix("/sessions/") else { return nil }
            return String(action.dropFirst("/sessions/".count).dropLast("/end".count))
        }
        #expect(references.count == 1)
        let other = try #require(references.first)
        // Another user's session reference is not found for this user.
        let (partnerCookie, _, partnerCSRF) = try FormValidationTests.open(f, .partnerCGC, "/password")
        #expect(try Self.post(f, "/sessions/\(other)/end", cookie: partnerCookie, csrf: partnerCSRF, []).status == 404)
        #expect(try f.send("GET", "/search", headers: ["Cookie: \(elsewhere)"]).status == 200)

        #expect(try Self.post(f, "/sessions/\(other)/end", cookie: cookie, csrf: csrf, []).status == 303)
        let ended = try f.send("GET", "/search", headers: ["Cookie: \(elsewhere)"])
        #expect(ended.status == 303 || ended.status == 401, "the ended session still works: \(ended.status)")
        #expect(try f.send("GET", "/search", headers: ["Cookie: \(cookie)"]).status == 200)
        #expect(try Self.post(f, "/sessions/zzzz/end", cookie: cookie, csrf: csrf, []).status == 404)
    }
}
