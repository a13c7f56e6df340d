import Foundation
import MimamoriTesting
import Query
import Store
import Testing
import Web

/// Match alerts: a child registered by a second authority who is, by identity, a child in
/// another authority's open case.
@Suite(.serialized)
struct MatchAlertTests {
    typealias Who = APIFixture.Who

    static let osakaAddress = #"{"prefecture": "大阪府", "municipality": "大阪市"}"#

    @Test("a second authority registers the same child: both holders are told once, with each other's case id only")
    func sameChildElsewhere() throws {
        let f = try APIFixture()
        let created = try f.send(
            "POST", "/api/v1/cases", as: .municipalityElsewhere,
            json: RecordFixture.line(
                "OSAKA-1", authority: "271004",
                [
                    "address": Self.osakaAddress, "child.family_name": #""山田""#, "child.given_name": #""太郎""#,
                ]))
        #expect(created.status == 201)
        let newID = try #require(try APIFixture.object(created)["case_id"] as? String)
        f.matches.waitUntilIdle()
        let osaka = try NotificationAPITests.inbox(f, .municipalityElsewhere)
        #expect(osaka.first?["kind"] as? String == "match.found" && osaka.first?["ref"] as? String == f.caseID)
        let chiyoda = try NotificationAPITests.inbox(f, .holder)
        #expect(chiyoda.first?["kind"] as? String == "match.found" && chiyoda.first?["ref"] as? String == newID)
        #expect(!(try f.send("GET", "/api/v1/notifications", as: .holder).body.contains("山田")))
        // Re-registering (an update, a re-import) does not tell them again.
        #expect(
            try f.send("PATCH", "/api/v1/cases/\(newID)", as: .municipalityElsewhere, headers: ["If-Match: \"1\""], json: #"{"notes": "x"}"#).status
                == 200)
        f.matches.waitUntilIdle()
        #expect(try NotificationAPITests.inbox(f, .holder).filter { $0["kind"] as? String == "match.found" }.count == 1)
        #expect(try f.auditCount(action: "match.alert") == 1)
    }

    @Test("no alert for another birthdate, the same holder, or a closed case; an import is checked like a registration")
    func noFalseAlerts() throws {
        let f = try APIFixture(lines: [
            RecordFixture.line("C-1"),
            RecordFixture.line("C-CLOSED", ["status": #""closed""#, "child.given_name": #""次郎""#, "child.given_name_kana": #""ジロウ""#]),
        ])
        let lines = [
            RecordFixture.line("O-1", authority: "271004", ["address": Self.osakaAddress, "child.birthdate": #""2018-04-02""#]),
            RecordFixture.line(
                "O-2", authority: "271004", ["address": Self.osakaAddress, "child.given_name": #""次郎""#, "child.given_name_kana": #""ジロウ""#]),
        ]
        let imported = try f.send(
            "POST", "/api/v1/import", as: .municipalityElsewhere, body: Array(lines.joined(separator: "\n").utf8), contentType: "application/x-ndjson"
        )
        #expect(imported.status == 200, "\(imported.body)")
        #expect(try f.send("POST", "/api/v1/cases", as: .holder, json: RecordFixture.line("C-2")).status == 201)
        f.matches.waitUntilIdle()
        #expect(try f.auditCount(action: "match.alert") == 0)
        // The same child imported elsewhere is caught.
        let same = RecordFixture.line("O-3", authority: "271004", ["address": Self.osakaAddress])
        #expect(
            try f.send("POST", "/api/v1/import", as: .municipalityElsewhere, body: Array(same.utf8), contentType: "application/x-ndjson").status
                == 200)
        f.matches.waitUntilIdle()
        #expect(try f.auditCount(action: "match.alert") == 2)  // C-1 and C-2 are both open cases of the child
    }
}

/// A match alert between two different children is dismissed, and that pair is never raised again.
@Suite(.serialized)
struct MatchDismissalTests {
    @Test("a holder dismisses a match as not the same child: audited, never raised again for that pair, others' alerts untouched")
    func dismiss() throws {
        let f = try APIFixture()
        func register(_ id: String) throws -> String {
            let created = try f.send(
                "POST", "/api/v1/cases", as: .municipalityElsewhere,
                json: RecordFixture.line(id, authority: "271004", ["address": MatchAlertTests.osakaAddress]))
            try #require(created.status == 201, "\(created.body.prefix(200))")
            f.matches.waitUntilIdle()
            return try #require(try APIFixture.object(created)["case_id"] as? String)
        }
        let first = try register("OSAKA-1")
        let alert = try #require(try NotificationAPITests.inbox(f, .holder).first { $0["kind"] as? String == "match.found" })
        let id = try #require(alert["id"] as? Int)
        // Only the inbox's owner may dismiss; a notification that is not a match is refused.
        #expect(try f.send("POST", "/api/v1/notifications/\(id)/dismiss", as: .municipalityElsewhere, json: "{}").status == 404)
        #expect(try f.send("POST", "/api/v1/notifications/99999999999999999999/dismiss", as: .holder, json: "{}").status == 404)
        let dismissed = try f.send("POST", "/api/v1/notifications/\(id)/dismiss", as: .holder, json: "{}")
        let answer = try APIFixture.object(dismissed)
        #expect(dismissed.status == 200 && answer["read_at"] as? String != nil, "\(dismissed.body.prefix(200))")
        #expect(try f.auditCount(action: "match.dismiss") == 1)
        // The same pair again (an update of the Osaka case re-checks it): not raised.
        let version = try f.store.cases.read(id: first, as: .localAdministrator).version
        #expect(
            try f.send("PATCH", "/api/v1/cases/\(first)", as: .municipalityElsewhere, headers: ["If-Match: \"\(version)\""], json: #"{"notes": "y"}"#)
                .status == 200)
        f.matches.waitUntilIdle()
        #expect(try f.auditCount(action: "match.alert") == 1)
        // Another case of the same child elsewhere is a new pair: raised.
        _ = try register("OSAKA-2")
        #expect(try f.auditCount(action: "match.alert") == 2)
        // A notification that is not a match alert cannot be dismissed: the partner CGC's notice of an update.
        let holderVersion = try f.store.cases.read(id: f.caseID, as: .localAdministrator).version
        #expect(
            try f.send("PATCH", "/api/v1/cases/\(f.caseID)", as: .holder, headers: ["If-Match: \"\(holderVersion)\""], json: #"{"notes": "z"}"#)
                .status == 200)
        let other = try #require(try NotificationAPITests.inbox(f, .partnerCGC).first { $0["kind"] as? String == "case.updated" })
        let otherID = try #require(other["id"] as? Int)
        #expect(try f.send("POST", "/api/v1/notifications/\(otherID)/dismiss", as: .partnerCGC, json: "{}").status == 400)
    }
}
