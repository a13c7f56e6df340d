import Foundation
import MimamoriTesting
import Store
import Testing
import Web

/// The password pages: a user's own change, and an administrator's reset on the users page.
@Suite(.serialized)
struct PasswordPageTests {
    static let new = "a much longer new phrase"

    @Test("a user changes its password on its page: mistakes are explained next to the field, and the old one stops working")
    func ownChange() throws {
        let f = try APIFixture()
        let (cookie, _, csrf) = try FormValidationTests.open(f, .holder, "/password")
        let mismatch = try SettingsPageTests.post(
            f, "/password", cookie: cookie,
            [
                ("csrf_token", csrf), ("current", APIFixture.password), ("new", Self.new), ("confirm", Self.new + "x"),
            ])
        #expect(mismatch.status == 422 && mismatch.body.contains(#"id="confirm-error""#) && mismatch.body.contains("もう一度入力してください"))
        let wrong = try SettingsPageTests.post(
            f, "/password", cookie: cookie,
            [
                ("csrf_token", csrf), ("current", "not my password at all"), ("new", Self.new), ("confirm", Self.new),
            ])
        #expect(wrong.status == 422 && wrong.body.contains("現在のパスワードが正しくありません"))
        #expect(try f.store.users.authenticate(login: "chiyoda", password: APIFixture.password) != nil)

        let changed = try SettingsPageTests.post(
            f, "/password", cookie: cookie,
            [
                ("csrf_token", csrf), ("current", APIFixture.password), ("new", Self.new), ("confirm", Self.new),
            ])
        #expect(changed.status == 303)
        #expect(try f.send("GET", "/search", headers: ["Cookie: \(cookie)"]).status == 200)  // this session goes on
        #expect(
            try WebPageTests.form(f, "/login", "login=chiyoda&password=" + APIFixture.password.replacingOccurrences(of: " ", with: "+")).status == 401
        )
    }

    @Test("an administrator resets a worker's password from the users page; the worker's session ends")
    func adminReset() throws {
        let f = try APIFixture()
        let worker = try PageCheckTests.signIn(f, .holder)
        let (cookie, page, _) = try FormValidationTests.open(f, .holderAdmin, "/users")
        let fields = FormValidationTests.filledIn(page.body, action: "/users/password").filter { $0.name != "login" || $0.value == "chiyoda" }
        let reset = try SettingsPageTests.post(f, "/users/password", cookie: cookie, FormValidationTests.with(fields, "password", Self.new))
        #expect(reset.status == 303)
        #expect(try f.send("GET", "/search", headers: ["Cookie: \(worker)"]).status == 303)  // back to the login page
        #expect(try f.store.users.authenticate(login: "chiyoda", password: Self.new) != nil)
    }
}
