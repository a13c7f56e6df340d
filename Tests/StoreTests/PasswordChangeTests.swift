import Foundation
import MimamoriTesting
import Store
import Testing

/// Changing a password: the user with its current one, or its authority's administrator.
struct PasswordChangeTests {
    static let old = "correct horse battery", new = "a much longer new phrase"

    static func store() throws -> TestStore {
        let test = try TestStore()
        for (login, authority, role) in [
            ("kanda", "131016", Actor.Role.worker), ("kanda-admin", "131016", .administrator), ("chuo-admin", "131024", .administrator),
        ] {
            try test.store.users.create(login: login, authority: authority, role: role, displayName: login, password: old, as: .localAdministrator)
        }
        return test
    }

    @Test("the user changes its own password knowing the current one; its other sessions end, the one it used stays")
    func ownChange() throws {
        let test = try Self.store()
        let user = try #require(try test.store.users.authenticate(login: "kanda", password: Self.old)).actor
        let here = try #require(try test.store.sessions.start(login: "kanda", password: Self.old))
        let elsewhere = try #require(try test.store.sessions.start(login: "kanda", password: Self.old))
        #expect(throws: StoreError.self) { try test.store.users.changePassword(of: "kanda", current: "wrong guess here", new: Self.new, as: user) }
        #expect(try test.store.users.authenticate(login: "kanda", password: Self.old) != nil)  // unchanged
        #expect(throws: StoreError.self) { try test.store.users.changePassword(of: "kanda", current: Self.old, new: "short", as: user) }

        try test.store.users.changePassword(of: "kanda", current: Self.old, new: Self.new, keepingSession: here.id, as: user)
        #expect(try test.store.users.authenticate(login: "kanda", password: Self.old) == nil)
        #expect(try test.store.users.authenticate(login: "kanda", password: Self.new) != nil)
        #expect(try test.store.sessions.find(here.id) != nil && test.store.sessions.find(elsewhere.id) == nil)
        // Guessing the current password is throttled like signing in.
        for _ in 0..<5 {
            #expect(throws: StoreError.self) {
                try test.store.users.changePassword(of: "kanda", current: "guess", new: "another long phrase", as: user)
            }
        }
        #expect { try test.store.users.changePassword(of: "kanda", current: Self.new, new: "another long phrase", as: user) } throws: {
            ($0 as? StoreError)?.kind == .tooManyAttempts
        }
        let audited = try test.store.auditLog.entries(as: .localAdministrator, ).filter { $0.action == "user.password" }
        #expect(audited.map(\.detail) == ["changed"] && !audited.contains { ($0.detail ?? "").contains(Self.new) })
    }

    @Test("an administrator resets a user of its own authority, ending every session; nobody else may")
    func reset() throws {
        let test = try Self.store()
        let session = try #require(try test.store.sessions.start(login: "kanda", password: Self.old))
        let otherAdmin = Actor.user(login: "chuo-admin", authority: "131024", role: .administrator)
        #expect(throws: StoreError.self) { try test.store.users.changePassword(of: "kanda", current: nil, new: Self.new, as: otherAdmin) }
        let admin = Actor.user(login: "kanda-admin", authority: "131016", role: .administrator)
        try test.store.users.changePassword(of: "kanda", current: nil, new: Self.new, as: admin)
        #expect(try test.store.sessions.find(session.id) == nil)
        #expect(try test.store.users.authenticate(login: "kanda", password: Self.new) != nil)
        #expect(try test.store.auditLog.entries(as: .localAdministrator, ).filter { $0.action == "user.password" }.map(\.detail) == ["reset"])
        #expect(try test.store.auditLog.entries(as: .localAdministrator, ).contains { $0.action == "denied" && $0.actor == "chuo-admin@131024" })
    }
}
