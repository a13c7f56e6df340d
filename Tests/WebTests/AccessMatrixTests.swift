import Foundation
import MimamoriTesting
import Store
import Testing
import Web

/// Every endpoint × every relation, through the real server: the expected status, zero
/// unexpected allows, and every refusal audited.
@Suite(.serialized)
struct AccessMatrixTests {
    typealias Who = APIFixture.Who

    /// The expected status for each user (holder, its administrator, the partner CGC, a
    /// municipality in the same CGC's jurisdiction, a municipality and a CGC elsewhere, the
    /// ministry, an operator).
    static func expect(
        _ holder: Int, admin: Int? = nil, partner: Int, inJurisdiction: Int, elsewhere: Int, cgcElsewhere: Int? = nil, ministry: Int,
        ops: Int
    ) -> [Who: Int] {
        [
            .holder: holder, .holderAdmin: admin ?? holder, .partnerCGC: partner, .municipalityInJurisdiction: inJurisdiction,
            .municipalityElsewhere: elsewhere, .cgcElsewhere: cgcElsewhere ?? elsewhere, .ministry: ministry, .systemOperator: ops,
        ]
    }

    struct Endpoint {
        let name: String
        let expected: [Who: Int]
        let request: (APIFixture, Who) throws -> RawHTTPClient.Reply
    }

    /// Sends every endpoint's request as every user, in order: any answer other than the
    /// expected one is reported, and each refusal whose status is in `audited` must add
    /// exactly one `denied` audit entry for that user.
    static func run(_ endpoints: [Endpoint], on f: APIFixture, audited: Set<Int>) throws {
        var unexpected: [String] = []
        for endpoint in endpoints {
            for who in Who.allCases {
                let deniedBefore = try f.auditCount(action: "denied", actor: who)
                let reply = try endpoint.request(f, who)
                let expected = endpoint.expected[who]!
                if reply.status != expected {
                    unexpected.append("\(endpoint.name) as \(who): \(reply.status), expected \(expected) — \(reply.body.prefix(200))")
                }
                if audited.contains(expected) {
                    #expect(try f.auditCount(action: "denied", actor: who) == deniedBefore + 1, "\(endpoint.name) as \(who): refusal not audited")
                }
            }
        }
        #expect(unexpected.isEmpty, "\(unexpected.joined(separator: "\n"))")
    }

    @Test("each relation gets exactly what the access rules allow on every case endpoint, and every refusal is audited")
    func caseEndpoints() throws {
        let f = try APIFixture()
        let id = f.caseID
        // An attachment to read.
        let uploaded = try f.send(
            "POST", "/api/v1/cases/\(id)/attachments?name=photo.png", as: .holder, body: APIFixture.png, contentType: "image/png")
        #expect(uploaded.status == 201, "\(uploaded.body)")
        let attachmentID = try #require(try APIFixture.object(uploaded)["id"] as? String)

        func etag() throws -> String { "\"\(try f.store.cases.read(id: id, as: .localAdministrator).version)\"" }
        let endpoints: [Endpoint] = [
            Endpoint(
                name: "GET /api/v1/cases/{id}", expected: Self.expect(200, partner: 200, inJurisdiction: 403, elsewhere: 403, ministry: 403, ops: 404)
            ) {
                try $0.send("GET", "/api/v1/cases/\(id)", as: $1)
            },
            Endpoint(
                name: "PATCH /api/v1/cases/{id}",
                expected: Self.expect(200, partner: 403, inJurisdiction: 403, elsewhere: 403, ministry: 403, ops: 404)
            ) {
                try $0.send(
                    "PATCH", "/api/v1/cases/\(id)", as: $1, headers: ["If-Match: \(try etag())"], json: #"{"notes": "updated by \#($1.rawValue)"}"#)
            },
            Endpoint(
                name: "POST /api/v1/cases/{id}/notes",
                expected: Self.expect(201, partner: 201, inJurisdiction: 403, elsewhere: 403, ministry: 403, ops: 404)
            ) {
                try $0.send("POST", "/api/v1/cases/\(id)/notes", as: $1, json: #"{"text": "note by \#($1.rawValue)"}"#)
            },
            Endpoint(
                name: "POST /api/v1/cases/{id}/attachments",
                expected: Self.expect(201, partner: 403, inJurisdiction: 403, elsewhere: 403, ministry: 403, ops: 404)
            ) {
                try $0.send("POST", "/api/v1/cases/\(id)/attachments", as: $1, body: APIFixture.png, contentType: "image/png")
            },
            Endpoint(
                name: "GET /api/v1/attachments/{id}",
                expected: Self.expect(200, partner: 200, inJurisdiction: 403, elsewhere: 403, ministry: 403, ops: 404)
            ) {
                try $0.send("GET", "/api/v1/attachments/\(attachmentID)", as: $1)
            },
            Endpoint(
                name: "GET /api/v1/cases/{id}/views",
                expected: Self.expect(200, partner: 403, inJurisdiction: 403, elsewhere: 403, ministry: 403, ops: 404)
            ) {
                try $0.send("GET", "/api/v1/cases/\(id)/views", as: $1)
            },
            Endpoint(
                name: "GET /api/v1/audit",
                expected: Self.expect(403, admin: 200, partner: 403, inJurisdiction: 403, elsewhere: 403, ministry: 403, ops: 403)
            ) {
                try $0.send("GET", "/api/v1/audit", as: $1)
            },
            Endpoint(
                name: "POST /api/v1/cases (for the holder)",
                expected: Self.expect(201, partner: 403, inJurisdiction: 403, elsewhere: 403, ministry: 403, ops: 403)
            ) {
                try $0.send("POST", "/api/v1/cases", as: $1, json: RecordFixture.line("NEW-\($1.rawValue)"))
            },
            // The ministry and operators hold no cases: refused before the body is read.
            Endpoint(
                name: "POST /api/v1/import (for the holder)",
                expected: Self.expect(200, partner: 422, inJurisdiction: 422, elsewhere: 422, ministry: 403, ops: 403)
            ) {
                try $0.send(
                    "POST", "/api/v1/import", as: $1, body: Array((RecordFixture.line("IMP-\($1.rawValue)") + "\n").utf8),
                    contentType: "application/x-ndjson")
            },
        ]
        try Self.run(endpoints, on: f, audited: [403, 404, 422])
        // Nothing a refused caller sent was written: only the holder's own new cases exist.
        let externalIDs = Set(try f.store.cases.list(heldBy: "131016", as: .localAdministrator).map(\.record.externalID))
        #expect(externalIDs == ["C-1", "NEW-chiyoda", "NEW-chiyoda-admin", "IMP-chiyoda", "IMP-chiyoda-admin"])
        let stored = try f.store.cases.read(id: id, as: .localAdministrator)
        #expect(Set(stored.notes.map(\.author)) == ["chiyoda@131016", "chiyoda-admin@131016", "tokyo-cgc@130001-01"])
        #expect(stored.attachments.count == 3)
    }

    @Test(
        "each relation gets exactly what the rules allow on the workflow endpoints (transfers, grants, flags, requests, alerts, settings), refusals audited"
    )
    func workflowEndpoints() throws {
        let f = try APIFixture()
        let id = f.caseID
        // A provision to 大阪市 (municipalityElsewhere), and a transfer to it that stays open.
        let provision = try #require(try TransferAPITests.propose(f, kind: "provision")["id"] as? String)
        let destinations: [Who: String] = [.holder: "011002", .holderAdmin: "012025"]
        let endpoints: [Endpoint] = [
            Endpoint(
                name: "POST /api/v1/cases/{id}/transfers",
                expected: Self.expect(201, partner: 403, inJurisdiction: 403, elsewhere: 403, ministry: 403, ops: 404)
            ) {
                try $0.send(
                    "POST", "/api/v1/cases/\(id)/transfers", as: $1,
                    json: #"{"destination": "\#(destinations[$1] ?? "011002")", "kind": "transfer", "reason": "転居"}"#)
            },
            Endpoint(
                name: "GET /api/v1/transfers/{id}",
                expected: Self.expect(200, partner: 404, inJurisdiction: 404, elsewhere: 200, cgcElsewhere: 404, ministry: 404, ops: 404)
            ) {
                try $0.send("GET", "/api/v1/transfers/\(provision)", as: $1)
            },
            // Only the destination confirms (the first confirmation wins; later ones see a stranger's 404 anyway).
            Endpoint(
                name: "POST /api/v1/transfers/{id}/confirm",
                expected: Self.expect(403, partner: 404, inJurisdiction: 404, elsewhere: 200, cgcElsewhere: 404, ministry: 404, ops: 404)
            ) {
                try $0.send("POST", "/api/v1/transfers/\(provision)/confirm", as: $1, json: "{}")
            },
            // After the provision: the grantee reads, nobody else new does.
            Endpoint(
                name: "GET /api/v1/cases/{id} (granted)",
                expected: Self.expect(200, partner: 200, inJurisdiction: 403, elsewhere: 200, cgcElsewhere: 403, ministry: 403, ops: 404)
            ) {
                try $0.send("GET", "/api/v1/cases/\(id)", as: $1)
            },
            Endpoint(
                name: "PATCH /api/v1/cases/{id} (granted)",
                expected: Self.expect(200, partner: 403, inJurisdiction: 403, elsewhere: 403, ministry: 403, ops: 404)
            ) {
                let version = try $0.store.cases.read(id: id, as: .localAdministrator).version
                return try $0.send("PATCH", "/api/v1/cases/\(id)", as: $1, headers: ["If-Match: \"\(version)\""], json: #"{"notes": "x"}"#)
            },
            Endpoint(
                name: "PUT /api/v1/cases/{id}/flag",
                expected: Self.expect(200, partner: 403, inJurisdiction: 403, elsewhere: 403, ministry: 200, ops: 404)
            ) {
                try $0.send("PUT", "/api/v1/cases/\(id)/flag", as: $1, json: #"{"serious": true}"#)
            },
            // Flagged serious: the ministry reads now.
            Endpoint(
                name: "GET /api/v1/cases/{id} (flagged)",
                expected: Self.expect(200, partner: 200, inJurisdiction: 403, elsewhere: 200, cgcElsewhere: 403, ministry: 200, ops: 404)
            ) {
                try $0.send("GET", "/api/v1/cases/\(id)", as: $1)
            },
            Endpoint(
                name: "GET /api/v1/alerts",
                expected: Self.expect(403, partner: 200, inJurisdiction: 403, elsewhere: 403, cgcElsewhere: 200, ministry: 403, ops: 403)
            ) {
                try $0.send("GET", "/api/v1/alerts", as: $1)
            },
            Endpoint(
                name: "PUT /api/v1/settings",
                expected: Self.expect(403, admin: 200, partner: 403, inJurisdiction: 403, elsewhere: 403, ministry: 403, ops: 403)
            ) {
                try $0.send("PUT", "/api/v1/settings", as: $1, json: #"{"grant_days": 60}"#)
            },
        ]
        try Self.run(endpoints, on: f, audited: [403, 404])
        #expect(try f.store.settings.read(of: "131016", as: .localAdministrator).settings.grantDays == 60)
        #expect(try f.store.cases.read(id: id, as: .localAdministrator).holder == "131016")
    }

    @Test("each user gets exactly what the rules allow on the report and settings endpoints, refusals audited")
    func administrationEndpoints() throws {
        let f = try APIFixture()
        let published = try f.send(
            "POST", "/api/v1/reports", as: .ministry,
            json: #"{"year": 2026, "title": "児童相談所職員配置状況", "fields": [{"key": "staff", "label": "職員数", "type": "integer"}]}"#)
        #expect(published.status == 201)
        let form = try #require(try APIFixture.object(published)["id"] as? String)
        let endpoints: [Endpoint] = [
            Endpoint(
                name: "POST /api/v1/reports", expected: Self.expect(403, partner: 403, inJurisdiction: 403, elsewhere: 403, ministry: 201, ops: 403)
            ) {
                try $0.send(
                    "POST", "/api/v1/reports", as: $1, json: #"{"year": 2027, "title": "t", "fields": [{"key": "k", "label": "l", "type": "text"}]}"#)
            },
            Endpoint(
                name: "PUT /api/v1/reports/{id}/submission",
                expected: Self.expect(204, partner: 204, inJurisdiction: 204, elsewhere: 204, ministry: 403, ops: 403)
            ) {
                try $0.send("PUT", "/api/v1/reports/\(form)/submission", as: $1, json: #"{"answers": {"staff": 12}}"#)
            },
            Endpoint(
                name: "GET /api/v1/reports/{id}/export",
                expected: Self.expect(403, partner: 403, inJurisdiction: 403, elsewhere: 403, ministry: 200, ops: 403)
            ) {
                try $0.send("GET", "/api/v1/reports/\(form)/export", as: $1)
            },
            Endpoint(
                name: "GET /api/v1/settings (its own authority's)",
                expected: Self.expect(200, partner: 200, inJurisdiction: 200, elsewhere: 200, ministry: 200, ops: 200)
            ) {
                try $0.send("GET", "/api/v1/settings", as: $1)
            },
            Endpoint(
                name: "PUT /api/v1/settings (its own authority's)",
                expected: Self.expect(403, admin: 200, partner: 403, inJurisdiction: 403, elsewhere: 403, ministry: 403, ops: 403)
            ) {
                try $0.send("PUT", "/api/v1/settings", as: $1, json: #"{"approval_required": true}"#)
            },
        ]
        try Self.run(endpoints, on: f, audited: [403, 404])
        // The ministry sees every submission, an authority only its own.
        let all = try f.send("GET", "/api/v1/reports/\(form)/submissions", as: .ministry)
        #expect((try APIFixture.object(all)["submissions"] as? [Any])?.count == 5)
        let own = try f.send("GET", "/api/v1/reports/\(form)/submissions", as: .partnerCGC)
        #expect((try APIFixture.object(own)["submissions"] as? [[String: Any]])?.map { $0["authority"] as? String } == ["130001-01"])
    }

    @Test("a holder's administrator tightens the partner's rights through the settings API; widening is refused and writes nothing")
    func tighteningThroughSettings() throws {
        let f = try APIFixture()
        #expect(try f.send("GET", "/api/v1/cases/\(f.caseID)", as: .partnerCGC).status == 200)
        let widen = try f.send(
            "PUT", "/api/v1/settings", as: .holderAdmin, json: #"{"grant_days": 10, "access_rules": {"other": ["summary", "record"]}}"#)
        #expect(widen.status == 400 && widen.body.contains("tightened"))
        #expect(try f.store.settings.read(of: "131016", as: .localAdministrator).settings.grantDays == 90)
        #expect(try f.send("PUT", "/api/v1/settings", as: .holder, json: #"{"access_rules": {"partner": ["summary"]}}"#).status == 403)
        let tightened = try f.send("PUT", "/api/v1/settings", as: .holderAdmin, json: #"{"access_rules": {"partner": ["summary"]}}"#)
        #expect(tightened.status == 200)
        #expect((try APIFixture.object(tightened)["access_rules"] as? [String: [String]]) == ["partner": ["summary"]])
        #expect(try f.send("GET", "/api/v1/cases/\(f.caseID)", as: .partnerCGC).status == 403)
        let hits = try f.send("GET", "/api/v1/search?q=%E5%B1%B1%E7%94%B0%20%E5%A4%AA%E9%83%8E%202018-04-01", as: .partnerCGC)
        #expect(hits.body.contains(#""access":"summary""#))
        #expect(try f.send("PUT", "/api/v1/settings", as: .holderAdmin, json: #"{"access_rules": {"partner": null}}"#).status == 200)
        #expect(try f.send("GET", "/api/v1/cases/\(f.caseID)", as: .partnerCGC).status == 200)
    }

    @Test(
        "tokens: a user lists and revokes its own, its administrator those of its users; a colleague is refused, other authorities find nothing; refusals audited"
    )
    func tokenEndpoints() throws {
        let f = try APIFixture()
        let endpoints: [Endpoint] = [
            Endpoint(
                name: "GET /api/v1/tokens (own)",
                expected: Self.expect(200, partner: 200, inJurisdiction: 200, elsewhere: 200, ministry: 200, ops: 200)
            ) {
                try $0.send("GET", "/api/v1/tokens", as: $1)
            },
            Endpoint(
                name: "GET /api/v1/tokens?login=chiyoda",
                expected: Self.expect(200, partner: 404, inJurisdiction: 404, elsewhere: 404, ministry: 404, ops: 404)
            ) {
                try $0.send("GET", "/api/v1/tokens?login=chiyoda", as: $1)
            },
            Endpoint(
                name: "GET /api/v1/tokens?login=chiyoda-admin",
                expected: Self.expect(403, admin: 200, partner: 404, inJurisdiction: 404, elsewhere: 404, ministry: 404, ops: 404)
            ) {
                try $0.send("GET", "/api/v1/tokens?login=chiyoda-admin", as: $1)
            },
            Endpoint(
                name: "DELETE /api/v1/tokens/{id} (of chiyoda)",
                expected: Self.expect(204, partner: 404, inJurisdiction: 404, elsewhere: 404, ministry: 404, ops: 404)
            ) {
                let id = try $0.store.tokens.create(for: "chiyoda", label: "matrix", days: 1, as: .localAdministrator).info.id
                return try $0.send("DELETE", "/api/v1/tokens/\(id)", as: $1)
            },
            Endpoint(
                name: "DELETE /api/v1/tokens/{id} (of chiyoda-admin)",
                expected: Self.expect(403, admin: 204, partner: 404, inJurisdiction: 404, elsewhere: 404, ministry: 404, ops: 404)
            ) {
                let id = try $0.store.tokens.create(for: "chiyoda-admin", label: "matrix", days: 1, as: .localAdministrator).info.id
                return try $0.send("DELETE", "/api/v1/tokens/\(id)", as: $1)
            },
        ]
        try Self.run(endpoints, on: f, audited: [403, 404])
        // Only the allowed revocations happened: chiyoda's by itself and its administrator, chiyoda-admin's by itself.
        let revoked = try f.store.tokens.list(ofAuthority: "131016", as: .localAdministrator).filter { $0.state == .revoked }
        #expect(revoked.count == 3 && revoked.allSatisfy { $0.label == "matrix" })
    }

    @Test("search: the holder and the partner see the full hit, others the summary, an operator nothing")
    func searchAccess() throws {
        let f = try APIFixture()
        let expected: [Who: String?] = [
            .holder: "full", .holderAdmin: "full", .partnerCGC: "full", .municipalityInJurisdiction: "summary",
            .municipalityElsewhere: "summary", .cgcElsewhere: "summary", .ministry: "summary", .systemOperator: nil,
        ]
        for who in Who.allCases {
            let reply = try f.send("GET", "/api/v1/search?q=%E5%B1%B1%E7%94%B0%20%E5%A4%AA%E9%83%8E%202018-04-01", as: who)
            #expect(reply.status == 200)
            let hits = try #require(try APIFixture.object(reply)["hits"] as? [[String: Any]])
            let hit = hits.first { $0["case_id"] as? String == f.caseID }
            #expect(hit?["access"] as? String == expected[who]!, "\(who)")
        }
    }

    @Test("every signed-in user may list its own cases, create a token for itself and see who it is")
    func selfService() throws {
        let f = try APIFixture()
        for who in Who.allCases {
            let list = try f.send("GET", "/api/v1/cases?holder=me", as: who)
            #expect(list.status == (who == .systemOperator ? 403 : 200), "\(who): \(list.body)")
            if list.status == 200 {
                let ids = (try APIFixture.object(list)["cases"] as? [[String: Any]])?.compactMap { $0["case_id"] as? String } ?? []
                #expect(ids.contains(f.caseID) == (who == .holder || who == .holderAdmin), "\(who)")
            }
            let token = try f.send("POST", "/api/v1/tokens", as: who, json: #"{"label": "script", "days": 7}"#)
            #expect(token.status == 201, "\(who): \(token.body)")
            let newToken = try #require(try APIFixture.object(token)["token"] as? String)
            let me = try f.send("GET", "/api/v1/session", headers: ["Authorization: Bearer \(newToken)"])
            #expect(try APIFixture.object(me)["login"] as? String == who.rawValue)
        }
    }
}
