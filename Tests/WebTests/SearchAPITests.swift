import Foundation
import HTTPServer
import MimamoriTesting
import Query
import Store
import Testing
import Web

/// GET /api/v1/search through the real server: bearer tokens, access-filtered hits, errors.
@Suite(.serialized)
struct SearchAPITests {
    struct Fixture {
        let search: TestSearch
        let server: HTTPServer
        let client: RawHTTPClient
        let holderToken: String
        let otherToken: String
    }

    static func fixture(lines: [String] = [RecordFixture.line("T-1")]) throws -> Fixture {
        let search = try TestSearch(lines: lines)
        let store = search.store
        try store.users.create(
            login: "chiyoda", authority: "131016", role: .worker, displayName: "千代田", password: "correct horse battery", as: .localAdministrator)
        try store.users.create(
            login: "osaka", authority: "271004-01", role: .worker, displayName: "大阪", password: "correct horse battery", as: .localAdministrator)
        let holderToken = try store.tokens.create(for: "chiyoda", label: "", days: 1, as: .localAdministrator).token
        let otherToken = try store.tokens.create(for: "osaka", label: "", days: 1, as: .localAdministrator).token
        var configuration = HTTPServer.Configuration()
        configuration.port = 0
        let application = WebApplication(engine: search.engine)
        let server = HTTPServer(configuration: configuration) { application.handle($0) }
        let port = try server.start()
        return Fixture(search: search, server: server, client: RawHTTPClient(port: port), holderToken: holderToken, otherToken: otherToken)
    }

    static func path(_ parameters: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return "/api/v1/search?" + parameters.map { "\($0)=\($1.addingPercentEncoding(withAllowedCharacters: allowed)!)" }.joined(separator: "&")
    }

    func json(_ reply: RawHTTPClient.Reply?) throws -> [String: Any] {
        let body = try #require(reply?.body)
        return try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
    }

    @Test("without a valid token the search answers 401 with a Bearer challenge")
    func unauthorized() throws {
        let f = try Self.fixture()
        defer { f.server.stop() }
        let path = Self.path([("q", "山田 太郎")])
        for headers in [[], ["Authorization: Bearer mmr_" + String(repeating: "0", count: 64)], ["Authorization: Basic a2FuZGE6eA=="]] {
            let reply = try #require(try f.client.get(path, headers: headers))
            #expect(reply.status == 401)
            #expect(reply.head.lowercased().contains("www-authenticate: bearer"))
        }
        try f.search.store.users.disable("chiyoda", as: .localAdministrator)
        #expect(try f.client.get(path, headers: ["Authorization: Bearer \(f.holderToken)"])?.status == 401)
    }

    @Test("the holder gets access full, another authority the identity summary only")
    func accessFiltered() throws {
        let f = try Self.fixture()
        defer { f.server.stop() }
        let path = Self.path([("q", "やまだ たろう H30.4.1")])
        let asHolder = try json(try f.client.get(path, headers: ["Authorization: Bearer \(f.holderToken)"]))
        let holderHits = try #require(asHolder["hits"] as? [[String: Any]])
        #expect(holderHits.first?["access"] as? String == "full")
        #expect(holderHits.first?["grade"] as? String == "exact")
        let asOther = try json(try f.client.get(path, headers: ["Authorization: Bearer \(f.otherToken)"]))
        let otherHits = try #require(asOther["hits"] as? [[String: Any]])
        #expect(otherHits.first?["access"] as? String == "summary")
        #expect((otherHits.first?["authority"] as? [String: Any])?["name"] as? String == "千代田区")
        #expect(try f.search.store.auditLog.entries(as: .localAdministrator, ).contains { $0.action == "search" && $0.actor == "osaka@271004-01" })
    }

    @Test(
        "a bad search is a 400 problem that says what to change",
        arguments: [
            ([("q", "山田 H31.5.1")], "R1.5.1"),
            ([("q", "2018-04-01")], "nothing to search for"),
            ([("q", "山田"), ("limit", "abc")], "limit"),
            ([("q", "山田"), ("limit", "1000")], "limit"),
            ([("name", "山田"), ("sex", "x")], "sex"),
            ([("q", "\"山田 OR NEAR( *")], ""),
        ])
    func badSearch(parameters: [(String, String)], detail: String) throws {
        let f = try Self.fixture()
        defer { f.server.stop() }
        let reply = try #require(try f.client.get(Self.path(parameters), headers: ["Authorization: Bearer \(f.holderToken)"]))
        if detail.isEmpty {
            #expect(reply.status == 200 || reply.status == 400, "\(reply.status)")
        } else {
            #expect(reply.status == 400)
            #expect(try json(reply)["detail"].map { "\($0)" }?.contains(detail) == true, "\(reply.body)")
        }
    }

    @Test("total is the same whatever limit and offset the API is asked for, and the pages add up to it")
    func totalDoesNotDependOnLimit() throws {
        let f = try Self.fixture(lines: NamesakeFixture.lines)
        defer { f.server.stop() }
        let q = "田中 一郎 \(NamesakeFixture.absentBirthdate)"
        func page(limit: Int, offset: Int = 0) throws -> (total: Int, ids: [String]) {
            let path = Self.path([("q", q), ("limit", "\(limit)"), ("offset", "\(offset)")])
            let object = try json(try f.client.get(path, headers: ["Authorization: Bearer \(f.holderToken)"]))
            let hits = try #require(object["hits"] as? [[String: Any]])
            return (try #require(object["total"] as? Int), hits.compactMap { $0["case_id"] as? String })
        }
        let all = try page(limit: 100)
        #expect(all.total == NamesakeFixture.plausible.count && all.ids.count == all.total)
        for limit in [1, 3] {
            var ids: [String] = []
            for offset in stride(from: 0, to: all.total, by: limit) {
                let next = try page(limit: limit, offset: offset)
                #expect(next.total == all.total, "limit \(limit) offset \(offset): total \(next.total), with limit 100 \(all.total)")
                ids += next.ids
            }
            #expect(ids == all.ids)
        }
    }
}
