import Foundation
import MimamoriTesting
import Store
import Testing
import Web

/// Information requests and serious-case flags through the real server.
@Suite(.serialized)
struct RequestAPITests {
    typealias Who = APIFixture.Who

    @Test("a municipality elsewhere finds a child, asks for the record; the holder approves, and after confirming the provision it reads")
    func approvedRequest() throws {
        let f = try APIFixture()
        #expect(try f.send("POST", "/api/v1/cases/\(f.caseID)/requests", as: .municipalityElsewhere, json: #"{"reason": ""}"#).status == 400)
        let created = try f.send("POST", "/api/v1/cases/\(f.caseID)/requests", as: .municipalityElsewhere, json: #"{"reason": "転入届なしで転入、学校から通告"}"#)
        #expect(created.status == 201, "\(created.body)")
        let id = try #require(try APIFixture.object(created)["id"] as? String)
        #expect(try f.send("POST", "/api/v1/cases/\(f.caseID)/requests", as: .municipalityElsewhere, json: #"{"reason": "again"}"#).status == 409)
        #expect(try NotificationAPITests.inbox(f, .holder).first?["kind"] as? String == "request.received")
        // Only the holder answers; strangers do not see it.
        #expect(try f.send("POST", "/api/v1/requests/\(id)/approve", as: .municipalityElsewhere, json: "{}").status == 403)
        #expect(try f.send("GET", "/api/v1/requests/\(id)", as: .cgcElsewhere).status == 404)
        let approved = try f.send("POST", "/api/v1/requests/\(id)/approve", as: .holder, json: "{}")
        #expect(approved.status == 200, "\(approved.body)")
        let transferID = try #require(try APIFixture.object(approved)["transfer_id"] as? String)
        #expect(try f.send("POST", "/api/v1/requests/\(id)/decline", as: .holder, json: #"{"reason": "x"}"#).status == 409)
        #expect(try f.send("GET", "/api/v1/cases/\(f.caseID)", as: .municipalityElsewhere).status == 403)
        #expect(try TransferAPITests.step(f, transferID, "confirm", as: .municipalityElsewhere).status == 200)
        #expect(try f.send("GET", "/api/v1/cases/\(f.caseID)", as: .municipalityElsewhere).status == 200)
        let list = try f.send("GET", "/api/v1/requests", as: .municipalityElsewhere)
        #expect(list.body.contains(id) && list.body.contains(#""state":"approved""#))
    }

    @Test("a declined request says why and gives nothing; an operator cannot ask")
    func declinedRequest() throws {
        let f = try APIFixture()
        let created = try f.send("POST", "/api/v1/cases/\(f.caseID)/requests", as: .cgcElsewhere, json: #"{"reason": "照会"}"#)
        let id = try #require(try APIFixture.object(created)["id"] as? String)
        #expect(try f.send("POST", "/api/v1/requests/\(id)/decline", as: .holder, json: "{}").status == 400)
        let declined = try f.send("POST", "/api/v1/requests/\(id)/decline", as: .holder, json: #"{"reason": "同一人物ではない"}"#)
        #expect(try APIFixture.object(declined)["answer"] as? String == "同一人物ではない")
        #expect(try NotificationAPITests.inbox(f, .cgcElsewhere).first?["kind"] as? String == "request.declined")
        #expect(try f.send("GET", "/api/v1/cases/\(f.caseID)", as: .cgcElsewhere).status == 403)
        #expect(try f.send("POST", "/api/v1/cases/\(f.caseID)/requests", as: .systemOperator, json: #"{"reason": "x"}"#).status == 404)
        #expect(try f.send("POST", "/api/v1/cases/\(f.caseID)/requests", as: .holder, json: #"{"reason": "x"}"#).status == 400)
    }

    @Test("ministry staff read a case only while it is flagged serious, and never edit it")
    func seriousCase() throws {
        let f = try APIFixture()
        #expect(try f.send("GET", "/api/v1/cases/\(f.caseID)", as: .ministry).status == 403)
        #expect(try f.send("PUT", "/api/v1/cases/\(f.caseID)/flag", as: .municipalityElsewhere, json: #"{"serious": true}"#).status == 403)
        #expect(try f.send("PUT", "/api/v1/cases/\(f.caseID)/flag", as: .holder, json: #"{"serious": "yes"}"#).status == 400)
        #expect(try f.send("PUT", "/api/v1/cases/\(f.caseID)/flag", as: .holder, json: #"{"serious": true}"#).status == 200)
        let read = try f.send("GET", "/api/v1/cases/\(f.caseID)", as: .ministry)
        #expect(read.status == 200)
        #expect(try APIFixture.object(read)["capabilities"] as? [String] == ["summary", "record", "attachments"])
        #expect(try f.send("PATCH", "/api/v1/cases/\(f.caseID)", as: .ministry, headers: ["If-Match: \"1\""], json: #"{"notes": "x"}"#).status == 403)
        #expect(try f.send("GET", "/api/v1/cases/\(f.caseID)/views", as: .holder).body.contains("ministry@000000"))
        // The ministry itself may clear (or set) the flag.
        #expect(try f.send("PUT", "/api/v1/cases/\(f.caseID)/flag", as: .ministry, json: #"{"serious": false}"#).status == 200)
        #expect(try f.send("GET", "/api/v1/cases/\(f.caseID)", as: .ministry).status == 403)
    }
}
