import Foundation
import MimamoriTesting
import Store
import Testing
import Web

/// The access matrix where relations change: after a case transfer (the former holder, its
/// grantees, alert recipients), with each relation narrowed by the holder's settings, and the
/// ministry before and after a serious-case flag request and its confirmation.
extension AccessMatrixTests {
    @Test(
        "after a case transfer the new holder has every right and the former holder, its partner and its grantee only what any other authority has; refusals audited"
    )
    func afterTransfer() throws {
        let f = try APIFixture()
        let id = f.caseID
        let uploaded = try f.send("POST", "/api/v1/cases/\(id)/attachments?name=p.png", as: .holder, body: APIFixture.png, contentType: "image/png")
        let attachmentID = try #require(try APIFixture.object(uploaded)["id"] as? String)
        // 千代田区 provides to 大阪市, then hands the case to 大阪市こども相談センター.
        let provision = try #require(try TransferAPITests.propose(f, kind: "provision")["id"] as? String)
        #expect(try TransferAPITests.step(f, provision, "confirm", as: .municipalityElsewhere).status == 200)
        let transfer = try #require(try TransferAPITests.propose(f, kind: "transfer", to: "271004-01")["id"] as? String)
        #expect(try TransferAPITests.step(f, transfer, "confirm", as: .cgcElsewhere).status == 200)

        // Only the new holder (cgcElsewhere) reads, edits, annotates, sees the views, moves it.
        let onlyNewHolder = { (allowed: Int) in
            Self.expect(403, partner: 403, inJurisdiction: 403, elsewhere: 403, cgcElsewhere: allowed, ministry: 403, ops: 404)
        }
        let endpoints: [Endpoint] = [
            Endpoint(name: "GET /api/v1/cases/{id}", expected: onlyNewHolder(200)) { try $0.send("GET", "/api/v1/cases/\(id)", as: $1) },
            Endpoint(name: "GET /api/v1/cases/{id}/notes", expected: onlyNewHolder(200)) {
                try $0.send("GET", "/api/v1/cases/\(id)/notes", as: $1)
            },
            Endpoint(name: "GET /api/v1/attachments/{id}", expected: onlyNewHolder(200)) {
                try $0.send("GET", "/api/v1/attachments/\(attachmentID)", as: $1)
            },
            Endpoint(name: "PATCH /api/v1/cases/{id}", expected: onlyNewHolder(200)) {
                let version = try $0.store.cases.read(id: id, as: .localAdministrator).version
                return try $0.send("PATCH", "/api/v1/cases/\(id)", as: $1, headers: ["If-Match: \"\(version)\""], json: #"{"notes": "x"}"#)
            },
            Endpoint(name: "POST /api/v1/cases/{id}/notes", expected: onlyNewHolder(201)) {
                try $0.send("POST", "/api/v1/cases/\(id)/notes", as: $1, json: #"{"text": "note by \#($1.rawValue)"}"#)
            },
            Endpoint(name: "GET /api/v1/cases/{id}/views", expected: onlyNewHolder(200)) {
                try $0.send("GET", "/api/v1/cases/\(id)/views", as: $1)
            },
            Endpoint(name: "POST /api/v1/cases/{id}/transfers", expected: onlyNewHolder(201)) {
                try $0.send(
                    "POST", "/api/v1/cases/\(id)/transfers", as: $1, json: #"{"destination": "131016", "kind": "provision", "reason": "元の保有機関へ"}"#)
            },
        ]
        try Self.run(endpoints, on: f, audited: [403, 404])
    }

    @Test(
        "after a case transfer an open alert belongs to the new holder: the former holder is an alert recipient like any other CGC, municipalities and the ministry see nothing of it"
    )
    func alertAfterTransfer() throws {
        // 東京都児童相談センター (partnerCGC) holds the case, provides to 大阪市, opens an alert
        // with a photo and hands the case to 大阪市こども相談センター (cgcElsewhere).
        let f = try APIFixture(lines: [RecordFixture.line("A-1", authority: "130001-01")], caseHolder: "130001-01")
        let id = f.caseID
        let photo = try f.send("POST", "/api/v1/cases/\(id)/attachments", as: .partnerCGC, body: APIFixture.png, contentType: "image/png")
        let photoID = try #require(try APIFixture.object(photo)["id"] as? String)
        let provision = try f.send(
            "POST", "/api/v1/cases/\(id)/transfers", as: .partnerCGC, json: #"{"destination": "271004", "kind": "provision", "reason": "転居先"}"#)
        let provisionID = try #require(try APIFixture.object(provision)["id"] as? String)
        #expect(try TransferAPITests.step(f, provisionID, "confirm", as: .municipalityElsewhere).status == 200)
        let opened = try f.send(
            "POST", "/api/v1/cases/\(id)/alerts", as: .partnerCGC, json: #"{"circumstances": "所在不明", "photo_attachment_id": "\#(photoID)"}"#)
        let alert = try #require(try APIFixture.object(opened)["id"] as? String)
        let moved = try f.send(
            "POST", "/api/v1/cases/\(id)/transfers", as: .partnerCGC, json: #"{"destination": "271004-01", "kind": "transfer", "reason": "転居"}"#)
        let transfer = try #require(try APIFixture.object(moved)["id"] as? String)
        #expect(try TransferAPITests.step(f, transfer, "confirm", as: .cgcElsewhere).status == 200)

        // Only CGCs see an alert; the former holder now as a recipient, the new holder as its origin.
        let cgcs = { (former: Int, new: Int) in
            Self.expect(404, partner: former, inJurisdiction: 404, elsewhere: 404, cgcElsewhere: new, ministry: 404, ops: 404)
        }
        let endpoints: [Endpoint] = [
            Endpoint(
                name: "GET /api/v1/cases/{id}",
                expected: Self.expect(403, partner: 403, inJurisdiction: 403, elsewhere: 403, cgcElsewhere: 200, ministry: 403, ops: 404)
            ) {
                try $0.send("GET", "/api/v1/cases/\(id)", as: $1)
            },
            Endpoint(name: "GET /api/v1/alerts/{id}", expected: cgcs(200, 200)) { try $0.send("GET", "/api/v1/alerts/\(alert)", as: $1) },
            Endpoint(name: "GET /api/v1/alerts/{id}/photo", expected: cgcs(200, 200)) {
                try $0.send("GET", "/api/v1/alerts/\(alert)/photo", as: $1)
            },
            // Answering is refused to non-CGCs before the body is read (WebApplication.preconditions).
            Endpoint(
                name: "POST /api/v1/alerts/{id}/responses",
                expected: Self.expect(403, partner: 201, inJurisdiction: 403, elsewhere: 403, cgcElsewhere: 201, ministry: 403, ops: 403)
            ) {
                try $0.send("POST", "/api/v1/alerts/\(alert)/responses", as: $1, json: #"{"kind": "information", "text": "情報あり"}"#)
            },
            // The former holder may no longer close it; the new holder may (and then it is closed for everyone).
            Endpoint(name: "POST /api/v1/alerts/{id}/close", expected: cgcs(403, 200)) {
                try $0.send("POST", "/api/v1/alerts/\(alert)/close", as: $1, json: "{}")
            },
        ]
        try Self.run(endpoints, on: f, audited: [403, 404])
        let answers = try APIFixture.object(try f.send("GET", "/api/v1/alerts/\(alert)", as: .cgcElsewhere))["responses"] as? [Any]
        #expect(answers?.count == 2, "the new holder receives every answer")
    }

    /// One relation narrowed by the holder: who is in it, what it may do before, and after.
    struct Narrowing: CustomTestStringConvertible, Sendable {
        let relation: CaseRelation
        let to: [String]
        /// The member of the relation, and the requests it sends with the status before and after.
        let member: APIFixture.Who
        let checks: [Check]
        var testDescription: String { "\(relation.rawValue) → \(to)" }

        struct Check: Sendable {
            let name: String
            let before: Int
            let after: Int
            /// The member's answer, as a status.
            let status: @Sendable (APIFixture, APIFixture.Who, String) throws -> Int
        }
    }

    static let narrowings: [Narrowing] = {
        let read = Narrowing.Check(name: "read the record", before: 200, after: 403) { f, who, id in
            try f.send("GET", "/api/v1/cases/\(id)", as: who).status
        }
        let notes = Narrowing.Check(name: "read the notes", before: 200, after: 403) { f, who, id in
            try f.send("GET", "/api/v1/cases/\(id)/notes", as: who).status
        }
        return [
            Narrowing(
                relation: .partner, to: ["summary"], member: .partnerCGC,
                checks: [
                    read, notes,
                    Narrowing.Check(name: "add a note", before: 201, after: 403) { f, who, id in
                        try f.send("POST", "/api/v1/cases/\(id)/notes", as: who, json: #"{"text": "メモ"}"#).status
                    },
                ]),
            Narrowing(relation: .granted, to: ["summary"], member: .municipalityElsewhere, checks: [read, notes]),
            Narrowing(relation: .ministry, to: ["summary"], member: .ministry, checks: [read, notes]),
            Narrowing(
                relation: .other, to: [], member: .municipalityInJurisdiction,
                checks: [
                    Narrowing.Check(name: "read the record", before: 403, after: 404) { f, who, id in
                        try f.send("GET", "/api/v1/cases/\(id)", as: who).status
                    },
                    Narrowing.Check(name: "find the case", before: 200, after: 404) { f, who, id in
                        let reply = try f.send("GET", "/api/v1/search?q=%E5%B1%B1%E7%94%B0%20%E5%A4%AA%E9%83%8E%202018-04-01", as: who)
                        return reply.body.contains(id) ? 200 : 404  // found or not
                    },
                ]),
        ]
    }()

    @Test(
        "each relation narrowed by the holder's administrator loses exactly what was taken away; the holder and the other relations keep theirs",
        arguments: narrowings)
    func narrowedRelation(_ narrowing: Narrowing) throws {
        let f = try APIFixture()
        let id = f.caseID
        switch narrowing.relation {
        case .granted:
            let provision = try #require(try TransferAPITests.propose(f, kind: "provision")["id"] as? String)
            #expect(try TransferAPITests.step(f, provision, "confirm", as: .municipalityElsewhere).status == 200)
        case .ministry:
            #expect(try f.send("PUT", "/api/v1/cases/\(id)/flag", as: .holder, json: #"{"serious": true}"#).status == 200)
        default: break
        }
        func statuses() throws -> [String: Int] {
            var statuses: [String: Int] = [:]
            for check in narrowing.checks { statuses[check.name] = try check.status(f, narrowing.member, id) }
            for bystander in [APIFixture.Who.holder, .partnerCGC] where bystander != narrowing.member {
                statuses["\(bystander) reads"] = try f.send("GET", "/api/v1/cases/\(id)", as: bystander).status
            }
            return statuses
        }
        var expected = Dictionary(uniqueKeysWithValues: narrowing.checks.map { ($0.name, $0.before) })
        for bystander in [APIFixture.Who.holder, .partnerCGC] where bystander != narrowing.member { expected["\(bystander) reads"] = 200 }
        #expect(try statuses() == expected, "before")

        let rule = narrowing.to.map { "\"\($0)\"" }.joined(separator: ", ")
        let narrowed = try f.send(
            "PUT", "/api/v1/settings", as: .holderAdmin, json: #"{"access_rules": {"\#(narrowing.relation.rawValue)": [\#(rule)]}}"#)
        #expect(narrowed.status == 200, "\(narrowed.body)")
        for check in narrowing.checks { expected[check.name] = check.after }
        let deniedBefore = try f.auditCount(action: "denied", actor: narrowing.member)
        #expect(try statuses() == expected, "after")
        #expect(try f.auditCount(action: "denied", actor: narrowing.member) > deniedBefore, "the refusals are audited")
    }

    @Test("an alert relation narrowed to the profile: other CGCs read the alert but may not answer it")
    func narrowedAlertRelation() throws {
        let f = try APIFixture(lines: [RecordFixture.line("A-1", authority: "130001-01")], caseHolder: "130001-01")
        let opened = try f.send("POST", "/api/v1/cases/\(f.caseID)/alerts", as: .partnerCGC, json: #"{"circumstances": "所在不明"}"#)
        let alert = try #require(try APIFixture.object(opened)["id"] as? String)
        func answer() throws -> Int {
            try f.send("POST", "/api/v1/alerts/\(alert)/responses", as: .cgcElsewhere, json: #"{"kind": "information", "text": "情報"}"#).status
        }
        #expect(try answer() == 201)
        try f.store.settings.setAccessRule(of: "130001-01", for: .alertRecipient, to: [.seeSummary, .readAlertProfile], as: .localAdministrator)
        #expect(try f.send("GET", "/api/v1/alerts/\(alert)", as: .cgcElsewhere).status == 200)
        #expect(try answer() == 403)
        #expect(try f.send("GET", "/api/v1/cases/\(f.caseID)", as: .cgcElsewhere).status == 403)
    }

    @Test(
        "the ministry before a serious-case flag, after its own flag request, and after the holder's administrator confirms it: only the confirmation opens the record, never editing"
    )
    func ministryAcrossTheFlag() throws {
        let f = try APIFixture()
        let id = f.caseID
        let uploaded = try f.send("POST", "/api/v1/cases/\(id)/attachments?name=p.png", as: .holder, body: APIFixture.png, contentType: "image/png")
        let attachmentID = try #require(try APIFixture.object(uploaded)["id"] as? String)
        func statuses() throws -> [String: Int] {
            let search = try f.send("GET", "/api/v1/search?q=%E5%B1%B1%E7%94%B0%20%E5%A4%AA%E9%83%8E%202018-04-01", as: .ministry)
            let version = try f.store.cases.read(id: id, as: .localAdministrator).version
            return [
                "read": try f.send("GET", "/api/v1/cases/\(id)", as: .ministry).status,
                "notes": try f.send("GET", "/api/v1/cases/\(id)/notes", as: .ministry).status,
                "attachment": try f.send("GET", "/api/v1/attachments/\(attachmentID)", as: .ministry).status,
                "views": try f.send("GET", "/api/v1/cases/\(id)/views", as: .ministry).status,
                "note": try f.send("POST", "/api/v1/cases/\(id)/notes", as: .ministry, json: #"{"text": "省"}"#).status,
                "edit": try f.send("PATCH", "/api/v1/cases/\(id)", as: .ministry, headers: ["If-Match: \"\(version)\""], json: #"{"notes": "x"}"#)
                    .status,
                "full hit": search.body.contains(#""access":"full""#) ? 1 : 0,
            ]
        }
        let closed = ["read": 403, "notes": 403, "attachment": 403, "views": 403, "note": 403, "edit": 403, "full hit": 0]
        #expect(try statuses() == closed, "before any flag")
        #expect(try f.send("PUT", "/api/v1/cases/\(id)/flag", as: .ministry, json: #"{"serious": true}"#).status == 202)
        #expect(try statuses() == closed, "a request opens nothing")
        #expect(try f.send("POST", "/api/v1/cases/\(id)/flag/confirm", as: .holderAdmin, json: "{}").status == 200)
        #expect(
            try statuses() == ["read": 200, "notes": 200, "attachment": 200, "views": 403, "note": 403, "edit": 403, "full hit": 1],
            "confirmed: the ministry reads, and only reads")
    }
}
