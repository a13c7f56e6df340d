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
        try test.store.createUser(
            login: "kanda", authority: "131016", role: .worker, displayName: "神田 一郎", password: "correct horse battery",
            as: .localAdministrator)
        let catalogue = try Data(contentsOf: test.dataDirectory.appendingPathComponent("catalogue.sqlite"))
            + ((try? Data(contentsOf: test.dataDirectory.appendingPathComponent("catalogue.sqlite-wal"))) ?? Data())
        #expect(catalogue.range(of: Data("correct horse battery".utf8)) == nil)
    }

    @Test("a user signs in with the right password only, and not once disabled")
    func authentication() throws {
        let test = try TestStore()
        try test.store.createUser(
            login: "kanda", authority: "131016", role: .worker, displayName: "神田", password: "correct horse battery",
            as: .localAdministrator)
        #expect(try test.store.authenticate(login: "kanda", password: "correct horse battery")?.actor
            == .user(login: "kanda", authority: "131016", role: .worker))
        #expect(try test.store.authenticate(login: "kanda", password: "wrong password here") == nil)
        #expect(try test.store.authenticate(login: "nobody", password: "correct horse battery") == nil)
        try test.store.disableUser("kanda", as: .localAdministrator)
        #expect(try test.store.authenticate(login: "kanda", password: "correct horse battery") == nil)
        let actions = try test.store.auditEntries().map(\.action)
        #expect(actions.filter { $0 == "login.refused" }.count == 3)
        #expect(actions.contains("login") && actions.contains("user.disable"))
        #expect(try test.store.auditEntries().allSatisfy { !($0.detail ?? "").contains("correct horse") })
    }

    @Test("bad users are refused with a reason", arguments: [
        ("Kanda", "131016", Actor.Role.worker, "correct horse battery", "login"),
        ("kanda", "131017", .worker, "correct horse battery", "check digit"),
        ("kanda", "130001", .worker, "correct horse battery", "prefecture"),
        ("kanda", "131016", .ministry, "correct horse battery", "ministry"),
        ("kanda", "131016", .worker, "short", "at least 12"),
    ])
    func refused(login: String, authority: String, role: Actor.Role, password: String, reason: String) throws {
        let test = try TestStore()
        #expect {
            try test.store.createUser(login: login, authority: authority, role: role, displayName: "x", password: password, as: .localAdministrator)
        } throws: { "\($0)".contains(reason) }
    }

    @Test("only the local administrator or the authority's own administrator manages its users")
    func userAdministration() throws {
        let test = try TestStore()
        try test.store.createUser(
            login: "admin13", authority: "131016", role: .administrator, displayName: "管理者", password: "correct horse battery",
            as: .localAdministrator)
        let admin = Actor.user(login: "admin13", authority: "131016", role: .administrator)
        let worker = Actor.user(login: "w", authority: "131016", role: .worker)
        let otherAdmin = Actor.user(login: "a27", authority: "271004", role: .administrator)
        #expect(throws: Never.self) {
            try test.store.createUser(login: "kanda", authority: "131016", role: .worker, displayName: "神田", password: "correct horse battery", as: admin)
        }
        for actor in [worker, otherAdmin] {
            #expect { try test.store.createUser(login: "x\(actor)".lowercased().filter(\.isLetter), authority: "131016", role: .worker, displayName: "x", password: "correct horse battery", as: actor) } throws: {
                ($0 as? StoreError)?.kind == .permissionDenied
            }
            #expect { try test.store.disableUser("kanda", as: actor) } throws: { ($0 as? StoreError)?.kind == .permissionDenied }
        }
        #expect { try test.store.createUser(login: "kanda", authority: "131016", role: .worker, displayName: "x", password: "correct horse battery", as: admin) } throws: {
            ($0 as? StoreError)?.kind == .conflict
        }
        #expect(try test.store.users(of: "131016", as: admin).map(\.login) == ["admin13", "kanda"])
    }
}
