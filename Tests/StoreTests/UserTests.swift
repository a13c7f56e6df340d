import Foundation
import MimamoriTesting
import Store
import Testing

struct UserTests {
    @Test("passwords are hashed with argon2id, verified, and never stored in clear")
    func passwordHashing() throws {
        let hash = try PasswordHasher.hash("correct horse battery")
        #expect(hash.hasPrefix("$argon2id$v=19$"))
        #expect(PasswordHasher.verify("correct horse battery", against: hash))
        #expect(!PasswordHasher.verify("correct horse batterY", against: hash))
        #expect(try PasswordHasher.hash("correct horse battery") != hash)  // salted
        let test = try TestStore()
        try test.store.users.create(
            login: "kanda", authority: "131016", role: .worker, displayName: "神田 一郎", password: "correct horse battery",
            as: .localAdministrator)
        let catalogue =
            try Data(contentsOf: test.dataDirectory.appendingPathComponent("catalogue.sqlite"))
            + ((try? Data(contentsOf: test.dataDirectory.appendingPathComponent("catalogue.sqlite-wal"))) ?? Data())
        #expect(catalogue.range(of: Data("correct horse battery".utf8)) == nil)
    }

    @Test("a user signs in with the right password only, and not once disabled")
    func authentication() throws {
        let test = try TestStore()
        try test.store.users.create(
            login: "kanda", authority: "131016", role: .worker, displayName: "神田", password: "correct horse battery",
            as: .localAdministrator)
        #expect(
            try test.store.users.authenticate(login: "kanda", password: "correct horse battery")?.actor
                == .user(login: "kanda", authority: "131016", role: .worker))
        #expect(try test.store.users.authenticate(login: "kanda", password: "wrong password here") == nil)
        #expect(try test.store.users.authenticate(login: "nobody", password: "correct horse battery") == nil)
        try test.store.users.disable("kanda", as: .localAdministrator)
        #expect(try test.store.users.authenticate(login: "kanda", password: "correct horse battery") == nil)
        let actions = try test.store.auditLog.entries(as: .localAdministrator, ).map(\.action)
        #expect(actions.filter { $0 == "login.refused" }.count == 3)
        #expect(actions.contains("login") && actions.contains("user.disable"))
        #expect(try test.store.auditLog.entries(as: .localAdministrator, ).allSatisfy { !($0.detail ?? "").contains("correct horse") })
    }

    @Test(
        "bad users are refused with a reason",
        arguments: [
            ("Kanda", "131016", Actor.Role.worker, "correct horse battery", "login"),
            ("kanda", "131017", .worker, "correct horse battery", "check digit"),
            ("kanda", "130001", .worker, "correct horse battery", "prefecture"),
            ("kanda", "131016", .ministry, "correct horse battery", "ministry"),
            ("kanda", "131016", .worker, "short", "at least 12"),
        ])
    func refused(login: String, authority: String, role: Actor.Role, password: String, reason: String) throws {
        let test = try TestStore()
        #expect {
            try test.store.users.create(login: login, authority: authority, role: role, displayName: "x", password: password, as: .localAdministrator)
        } throws: { "\($0)".contains(reason) }
    }

    @Test("only the local administrator or the authority's own administrator manages its users")
    func userAdministration() throws {
        let test = try TestStore()
        try test.store.users.create(
            login: "admin13", authority: "131016", role: .administrator, displayName: "管理者", password: "correct horse battery",
            as: .localAdministrator)
        let admin = Actor.user(login: "admin13", authority: "131016", role: .administrator)
        let worker = Actor.user(login: "w", authority: "131016", role: .worker)
        let otherAdmin = Actor.user(login: "a27", authority: "271004", role: .administrator)
        #expect(throws: Never.self) {
            try test.store.users.create(
                login: "kanda", authority: "131016", role: .worker, displayName: "神田", password: "correct horse battery", as: admin)
        }
        for actor in [worker, otherAdmin] {
            #expect {
                try test.store.users.create(
                    login: "x\(actor)".lowercased().filter(\.isLetter), authority: "131016", role: .worker, displayName: "x",
                    password: "correct horse battery", as: actor)
            } throws: {
                ($0 as? StoreError)?.kind == .permissionDenied
            }
            #expect { try test.store.users.disable("kanda", as: actor) } throws: { ($0 as? StoreError)?.kind == .permissionDenied }
        }
        #expect {
            try test.store.users.create(
                login: "kanda", authority: "131016", role: .worker, displayName: "x", password: "correct horse battery", as: admin)
        } throws: {
            ($0 as? StoreError)?.kind == .conflict
        }
        #expect(try test.store.users.list(of: "131016", as: admin).map(\.login) == ["admin13", "kanda"])
    }
}

struct TokenTests {
    static func storeWithUser() throws -> TestStore {
        let test = try TestStore()
        try test.store.users.create(
            login: "kanda", authority: "131016", role: .worker, displayName: "神田", password: "correct horse battery",
            as: .localAdministrator)
        return test
    }

    @Test("a token acts for its user until revoked; only its digest is stored")
    func tokenLifecycle() throws {
        let test = try Self.storeWithUser()
        let (token, info) = try test.store.tokens.create(for: "kanda", label: "case system", days: 30, as: .localAdministrator)
        #expect(token.hasPrefix("mmr_") && token.count == 68)
        #expect(try test.store.tokens.user(forToken: token)?.login == "kanda")
        #expect(try test.store.tokens.user(forToken: token + "0") == nil)
        #expect(try test.store.tokens.user(forToken: "mmr_" + String(repeating: "0", count: 64)) == nil)
        let stored = try CommandRun.sqlite(test.dataDirectory.appendingPathComponent("catalogue.sqlite"), "SELECT token_hash FROM tokens")
        #expect(stored.count == 64 && !token.contains(stored))
        try test.store.tokens.revoke(info.id, as: .localAdministrator)
        #expect(try test.store.tokens.user(forToken: token) == nil)
    }

    @Test("a token of a disabled user, or an expired one, acts for nobody")
    func disabledAndExpired() throws {
        let test = try Self.storeWithUser()
        let (token, _) = try test.store.tokens.create(for: "kanda", label: "", days: 1, as: .localAdministrator)
        _ = try CommandRun.sqlite(
            test.dataDirectory.appendingPathComponent("catalogue.sqlite"), "UPDATE tokens SET expires_at = '2000-01-01T00:00:00.000Z'")
        #expect(try test.store.tokens.user(forToken: token) == nil)
        let (second, _) = try test.store.tokens.create(for: "kanda", label: "", days: 1, as: .localAdministrator)
        try test.store.users.disable("kanda", as: .localAdministrator)
        #expect(try test.store.tokens.user(forToken: second) == nil)
        #expect { try test.store.tokens.create(for: "kanda", label: "", days: 1, as: .localAdministrator) } throws: {
            ($0 as? StoreError)?.kind == .notFound
        }
    }

    @Test("only the user, its authority's administrator or the local administrator manage its tokens")
    func tokenAdministration() throws {
        let test = try Self.storeWithUser()
        let itself = Actor.user(login: "kanda", authority: "131016", role: .worker)
        let colleague = Actor.user(login: "other", authority: "131016", role: .worker)
        let stranger = Actor.user(login: "osaka", authority: "271004", role: .administrator)
        let (_, info) = try test.store.tokens.create(for: "kanda", label: "", days: 7, as: itself)
        // A colleague is refused; for another authority the token does not exist.
        #expect { try test.store.tokens.revoke(info.id, as: colleague) } throws: { ($0 as? StoreError)?.kind == .permissionDenied }
        #expect { try test.store.tokens.revoke(info.id, as: stranger) } throws: { ($0 as? StoreError)?.kind == .notFound }
        #expect(throws: Never.self) { try test.store.tokens.revoke(info.id, as: itself) }
        #expect { try test.store.tokens.create(for: "kanda", label: "", days: 91, as: itself) } throws: { "\($0)".contains("1–90") }
    }
}

struct LoginThrottlingTests {
    @Test("five failed sign-ins lock a login for fifteen minutes, even with the right password")
    func throttled() throws {
        let test = try TokenTests.storeWithUser()
        for _ in 0..<5 { #expect(try test.store.users.authenticate(login: "kanda", password: "wrong password!!") == nil) }
        #expect { try test.store.users.authenticate(login: "kanda", password: "correct horse battery") } throws: {
            ($0 as? StoreError)?.kind == .tooManyAttempts && "\($0)".contains("try again after")
        }
        #expect(try test.store.auditLog.entries(as: .localAdministrator, ).contains { $0.action == "login.throttled" })
        // Unknown logins are throttled alike (no telling which logins exist).
        for _ in 0..<5 { _ = try test.store.users.authenticate(login: "nobody", password: "whatever it is") }
        #expect { try test.store.users.authenticate(login: "nobody", password: "whatever it is") } throws: {
            ($0 as? StoreError)?.kind == .tooManyAttempts
        }
        // Once the lock has run out, the right password works and clears the count.
        _ = try CommandRun.sqlite(
            test.dataDirectory.appendingPathComponent("catalogue.sqlite"), "UPDATE login_failures SET last_at = '2000-01-01T00:00:00.000Z'")
        #expect(try test.store.users.authenticate(login: "kanda", password: "correct horse battery")?.login == "kanda")
        #expect(
            try CommandRun.sqlite(
                test.dataDirectory.appendingPathComponent("catalogue.sqlite"), "SELECT count(*) FROM login_failures WHERE login = 'kanda'") == "0")
    }
}
