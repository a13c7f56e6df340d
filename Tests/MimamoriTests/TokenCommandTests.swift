import Foundation
import MimamoriTesting
import Store
import Testing

/// `mimamori token`: list and revoke by the operator, and the longest lifetime it sets, as the
/// real `mimamori serve` then enforces it.
@Suite(.serialized)
struct TokenCommandTests {
    @Test("token list shows a user's tokens without their secret; token revoke ends one at once")
    func listAndRevoke() throws {
        let test = try TestStore()
        let data = test.dataDirectory.path
        try test.store.users.create(
            login: "kanda", authority: "131016", role: .worker, displayName: "神田", password: "correct horse battery", as: .localAdministrator)
        let create = try CommandRun.mimamori(["token", "create", "--data", data, "--login", "kanda", "--label", "case system"])
        #expect(create.status == 0, "\(create.standardError)")
        let secret = try #require(create.standardOutput.split(separator: "\n").last.map(String.init))
        #expect(secret.hasPrefix("mmr_"))
        let id = try #require(try test.reopen().tokens.list(of: "kanda", as: .localAdministrator).first?.id)

        let list = try CommandRun.mimamori(["token", "list", "--data", data, "--login", "kanda"])
        #expect(list.status == 0, "\(list.standardError)")
        let fields = list.standardOutput.split(separator: "\n").first?.split(separator: "\t").map(String.init) ?? []
        #expect(fields.count == 7 && fields[0] == String(id) && fields[1] == "kanda" && fields[2] == "case system", "\(list.standardOutput)")
        #expect(fields.last == "active" && !list.standardOutput.contains("mmr_"))
        #expect(try test.reopen().tokens.user(forToken: secret)?.login == "kanda")

        let revoke = try CommandRun.mimamori(["token", "revoke", "--data", data, String(id)])
        #expect(revoke.status == 0, "\(revoke.standardError)")
        #expect(try test.reopen().tokens.user(forToken: secret) == nil)
        #expect(try CommandRun.mimamori(["token", "list", "--data", data, "--login", "kanda"]).standardOutput.hasSuffix("\trevoked\n"))
        #expect(try CommandRun.mimamori(["token", "list", "--data", data, "--authority", "131016"]).standardOutput.contains("kanda"))
        #expect(try CommandRun.mimamori(["token", "list", "--data", data, "--login", "nobody"]).status != 0)
        #expect(try CommandRun.mimamori(["token", "revoke", "--data", data, "999999"]).status != 0)
    }

    @Test(
        "token max-days sets the longest lifetime: token create refuses longer, and the real server answers a longer POST /api/v1/tokens with a 400 naming it"
    )
    func longestLifetime() throws {
        let test = try TestStore()
        let data = test.dataDirectory.path
        try test.store.users.create(
            login: "kanda", authority: "131016", role: .worker, displayName: "神田", password: "correct horse battery", as: .localAdministrator)
        #expect(try CommandRun.mimamori(["token", "max-days", "--data", data]).standardOutput.contains("at most 90 days"))
        let tooLong = try CommandRun.mimamori(["token", "create", "--data", data, "--login", "kanda", "--days", "91"])
        #expect(tooLong.status != 0 && tooLong.standardError.contains("1–90"), "\(tooLong.standardError)")
        #expect(try CommandRun.mimamori(["token", "max-days", "--data", data, "400"]).status != 0)
        let set = try CommandRun.mimamori(["token", "max-days", "--data", data, "30"])
        #expect(set.status == 0, "\(set.standardError)")
        #expect(try CommandRun.mimamori(["token", "max-days", "--data", data]).standardOutput.contains("at most 30 days"))
        #expect(try CommandRun.mimamori(["token", "create", "--data", data, "--login", "kanda", "--days", "31"]).status != 0)
        let created = try CommandRun.mimamori(["token", "create", "--data", data, "--login", "kanda"])
        #expect(created.status == 0, "without --days a token lives the longest allowed: \(created.standardError)")
        let token = try #require(created.standardOutput.split(separator: "\n").last.map(String.init))

        let running = try CommandRun.start(["serve", "--data", data, "--port", "0", "--no-access-log"])
        defer {
            running.kill()
            _ = CommandRun.finish(running)
        }
        let banner = try #require(running.waitForOutput(containing: "Serving on"), "no banner")
        let port = try #require(banner.split(separator: ":").last.flatMap { UInt16($0.prefix { $0.isNumber }) })
        func mint(_ days: Int) throws -> RawHTTPClient.Reply? {
            let body = #"{"label": "cron", "days": \#(days)}"#
            let head = [
                "POST /api/v1/tokens HTTP/1.1", "Host: 127.0.0.1", "Connection: close", "Authorization: Bearer \(token)",
                "Content-Type: application/json", "Content-Length: \(body.utf8.count)",
            ]
            return try RawHTTPClient(port: port).send(Array((head.joined(separator: "\r\n") + "\r\n\r\n" + body).utf8))
        }
        let refused = try #require(try mint(31))
        #expect(refused.status == 400 && refused.body.contains("1–30"), "\(refused.status) \(refused.body)")
        #expect(try mint(30)?.status == 201)
        let audit = try test.reopen().auditLog.entries(as: .localAdministrator)
        #expect(audit.contains { $0.action == "token.max-days" && $0.detail == "days=30" })
    }
}
