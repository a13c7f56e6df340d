import Foundation
import MimamoriTesting
import Store
import Testing

struct UserCommandTests {
    @Test("user add prints a generated password once; it signs in; user disable stops it")
    func addListDisable() throws {
        let test = try TestStore()
        let data = test.dataDirectory.path
        let add = try CommandRun.mimamori([
            "user", "add", "--data", data, "--login", "kanda", "--authority", "130001-01", "--role", "worker", "--name", "神田 一郎",
        ])
        #expect(add.status == 0, "\(add.standardError)")
        let password = try #require(add.standardOutput.split(separator: "\n").first { $0.hasPrefix("Password") }?.split(separator: " ").last)
        #expect(try test.reopen().users.authenticate(login: "kanda", password: String(password)) != nil)
        let list = try CommandRun.mimamori(["user", "list", "--data", data])
        #expect(list.standardOutput.contains("kanda\t130001-01\tworker\t神田 一郎\tactive"))
        #expect(try CommandRun.mimamori(["user", "disable", "--data", data, "kanda"]).status == 0)
        #expect(try test.reopen().users.authenticate(login: "kanda", password: String(password)) == nil)
        let bad = try CommandRun.mimamori([
            "user", "add", "--data", data, "--login", "x", "--authority", "130001-01", "--role", "chief", "--name", "x",
        ])
        #expect(bad.status != 0 && bad.standardError.contains("--role"))
    }

    @Test("user password resets a forgotten password: the new one is printed once and the old one stops working")
    func resetPassword() throws {
        let test = try TestStore()
        try test.store.users.create(
            login: "kanda", authority: "131016", role: .worker, displayName: "神田", password: "correct horse battery", as: .localAdministrator)
        let reset = try CommandRun.mimamori(["user", "password", "--data", test.dataDirectory.path, "kanda"])
        #expect(reset.status == 0, "\(reset.standardError)")
        let password = try #require(reset.standardOutput.split(separator: "\n").first { $0.hasPrefix("Password") }?.split(separator: " ").last)
        #expect(try test.reopen().users.authenticate(login: "kanda", password: String(password)) != nil)
        #expect(try test.reopen().users.authenticate(login: "kanda", password: "correct horse battery") == nil)
        #expect(try CommandRun.mimamori(["user", "password", "--data", test.dataDirectory.path, "nobody"]).status != 0)
    }
}
