import Foundation
import HTTPServer
import Indexer
import MimamoriTesting
import Query
import Store
import Testing
import Web

/// Case transfers and information provisions through the real server, happy and unhappy.
@Suite(.serialized)
struct TransferAPITests {
    typealias Who = APIFixture.Who

    static func propose(_ f: APIFixture, kind: String, urgent: Bool = false, to destination: String = "271004") throws -> [String: Any] {
        let reply = try f.send(
            "POST", "/api/v1/cases/\(f.caseID)/transfers", as: .holder,
            json: #"{"destination": "\#(destination)", "kind": "\#(kind)", "urgent": \#(urgent), "reason": "転居のため"}"#)
        #expect(reply.status == 201, "\(reply.body)")
        return try APIFixture.object(reply)
    }

    static func step(_ f: APIFixture, _ id: String, _ step: String, as who: Who, json: String = "{}") throws -> RawHTTPClient.Reply {
        try f.send("POST", "/api/v1/transfers/\(id)/\(step)", as: who, json: json)
    }

    @Test("a case transfer: the destination confirms and becomes the holder; the record moves partition with its notes, the index follows")
    func caseTransfer() throws {
        let f = try APIFixture()
        #expect(try f.send("POST", "/api/v1/cases/\(f.caseID)/notes", as: .partnerCGC, json: #"{"text": "見守り継続"}"#).status == 201)
        let transfer = try Self.propose(f, kind: "transfer")
        let id = try #require(transfer["id"] as? String)
        #expect(transfer["state"] as? String == "sent")
        // Both sides see it; nobody else does.
        for who in [Who.holder, .municipalityElsewhere] {
            let list = try f.send("GET", "/api/v1/transfers", as: who)
            #expect(list.body.contains(id), "\(who)")
        }
        #expect(try f.send("GET", "/api/v1/transfers/\(id)", as: .cgcElsewhere).status == 404)
        #expect(!(try f.send("GET", "/api/v1/transfers", as: .cgcElsewhere).body.contains(id)))
        // Only the destination confirms.
        #expect(try Self.step(f, id, "confirm", as: .holder).status == 403)
        #expect(try Self.step(f, id, "confirm", as: .cgcElsewhere).status == 404)
        let confirmed = try Self.step(f, id, "confirm", as: .municipalityElsewhere)
        #expect(confirmed.status == 200, "\(confirmed.body)")
        let body = try APIFixture.object(confirmed)
        #expect(body["state"] as? String == "confirmed")
        #expect((body["events"] as? [[String: Any]])?.compactMap { $0["event"] as? String } == ["sent", "confirm", "confirmed"])
        // A second confirmation is refused and changes nothing.
        #expect(try Self.step(f, id, "confirm", as: .municipalityElsewhere).status == 409)

        let moved = try f.store.cases.read(id: f.caseID, as: .localAdministrator)
        #expect(moved.holder == "271004" && moved.prefectureCode == "27" && moved.record.authority == "271004")
        #expect(moved.notes.map(\.text) == ["見守り継続"])
        #expect(try f.send("GET", "/api/v1/cases/\(f.caseID)", as: .holder).status == 403)
        let read = try f.send("GET", "/api/v1/cases/\(f.caseID)", as: .municipalityElsewhere)
        let etag = try #require(APIFixture.header("ETag", of: read))
        #expect(
            try f.send(
                "PATCH", "/api/v1/cases/\(f.caseID)", as: .municipalityElsewhere, headers: ["If-Match: \(etag)"], json: #"{"notes": "大阪市で受理"}"#
            ).status == 200)
        let hits = try f.send("GET", "/api/v1/search?q=%E5%B1%B1%E7%94%B0%20%E5%A4%AA%E9%83%8E%202018-04-01", as: .municipalityElsewhere)
        let hit = try #require((try APIFixture.object(hits)["hits"] as? [[String: Any]])?.first)
        #expect((hit["authority"] as? [String: Any])?["code"] as? String == "271004")
        #expect(hit["access"] as? String == "full")
    }

    @Test("an information provision: the destination may read, not edit, until the grant expires")
    func provision() throws {
        let f = try APIFixture()
        let id = try #require(try Self.propose(f, kind: "provision")["id"] as? String)
        #expect(try f.send("GET", "/api/v1/cases/\(f.caseID)", as: .municipalityElsewhere).status == 403)
        #expect(try Self.step(f, id, "confirm", as: .municipalityElsewhere).status == 200)
        let read = try f.send("GET", "/api/v1/cases/\(f.caseID)", as: .municipalityElsewhere)
        #expect(read.status == 200)
        #expect(try APIFixture.object(read)["capabilities"] as? [String] == ["summary", "record", "attachments"])
        #expect(
            try f.send("PATCH", "/api/v1/cases/\(f.caseID)", as: .municipalityElsewhere, headers: ["If-Match: \"1\""], json: #"{"notes": "x"}"#)
                .status == 403)
        #expect(try f.store.cases.read(id: f.caseID, as: .localAdministrator).holder == "131016")
        let search = try f.send("GET", "/api/v1/search?q=%E5%B1%B1%E7%94%B0%20%E5%A4%AA%E9%83%8E%202018-04-01", as: .municipalityElsewhere)
        #expect(search.body.contains(#""access":"full""#))
        // The grant is time-limited.
        _ = try CommandRun.sqlite(
            f.store.dataDirectory.appendingPathComponent("catalogue.sqlite"), "UPDATE grants SET expires_at = '2020-01-01T00:00:00.000Z'")
        #expect(try f.send("GET", "/api/v1/cases/\(f.caseID)", as: .municipalityElsewhere).status == 403)
    }

    @Test("decline, withdrawal, a stale case, an urgent transfer without handover, approval by a worker: each a defined outcome, nothing half-done")
    func unhappyPaths() throws {
        let f = try APIFixture()
        // Declined, with a reason; then it cannot be confirmed.
        let declined = try #require(try Self.propose(f, kind: "transfer")["id"] as? String)
        #expect(try Self.step(f, declined, "decline", as: .municipalityElsewhere).status == 400)
        let decline = try Self.step(f, declined, "decline", as: .municipalityElsewhere, json: #"{"reason": "管轄外"}"#)
        #expect(try APIFixture.object(decline)["state"] as? String == "declined")
        #expect(try Self.step(f, declined, "confirm", as: .municipalityElsewhere).status == 409)
        // Withdrawn by the origin; the destination can no longer confirm; another may be sent.
        let withdrawn = try #require(try Self.propose(f, kind: "transfer")["id"] as? String)
        #expect(
            try f.send(
                "POST", "/api/v1/cases/\(f.caseID)/transfers", as: .holder, json: #"{"destination": "271004", "kind": "transfer", "reason": "二重"}"#
            ).status == 409)
        #expect(try Self.step(f, withdrawn, "withdraw", as: .municipalityElsewhere).status == 403)
        #expect(try Self.step(f, withdrawn, "withdraw", as: .holder).status == 200)
        #expect(try Self.step(f, withdrawn, "confirm", as: .municipalityElsewhere).status == 409)
        // The case is updated after sending: the confirmation is refused until it is sent again.
        let stale = try #require(try Self.propose(f, kind: "transfer")["id"] as? String)
        #expect(try f.send("PATCH", "/api/v1/cases/\(f.caseID)", as: .holder, headers: ["If-Match: \"1\""], json: #"{"notes": "追記"}"#).status == 200)
        let refused = try Self.step(f, stale, "confirm", as: .municipalityElsewhere)
        #expect(refused.status == 409 && refused.body.contains("send it again"))
        #expect(try f.store.transfers.read(stale, as: .localAdministrator).state == .sent)
        #expect(try Self.step(f, stale, "withdraw", as: .holder).status == 200)
        // An urgent transfer needs the handover confirmed.
        let urgent = try #require(try Self.propose(f, kind: "transfer", urgent: true)["id"] as? String)
        #expect(try Self.step(f, urgent, "confirm", as: .municipalityElsewhere).status == 400)
        #expect(try Self.step(f, urgent, "withdraw", as: .holder).status == 200)
        #expect(try f.store.cases.read(id: f.caseID, as: .localAdministrator).holder == "131016")
        // With approval required, a worker cannot approve; a supervisor or administrator can.
        #expect(try f.send("PUT", "/api/v1/settings", as: .holder, json: #"{"approval_required": true}"#).status == 403)
        #expect(try f.send("PUT", "/api/v1/settings", as: .holderAdmin, json: #"{"approval_required": true, "grant_days": 30}"#).status == 200)
        let proposed = try Self.propose(f, kind: "provision")
        #expect(proposed["state"] as? String == "proposed")
        let pending = try #require(proposed["id"] as? String)
        // Until it is approved, the destination knows nothing of it: not listed, not readable, not answerable.
        #expect(try Self.step(f, pending, "confirm", as: .municipalityElsewhere).status == 404)
        #expect(try f.send("GET", "/api/v1/transfers/\(pending)", as: .municipalityElsewhere).status == 404)
        #expect(!(try f.send("GET", "/api/v1/transfers", as: .municipalityElsewhere).body.contains(pending)))
        #expect(try Self.step(f, pending, "approve", as: .holder).status == 403)
        #expect(try Self.step(f, pending, "approve", as: .holderAdmin).status == 200)
        #expect(try Self.step(f, pending, "confirm", as: .municipalityElsewhere).status == 200)
        let expires = try CommandRun.sqlite(
            f.store.dataDirectory.appendingPathComponent("catalogue.sqlite"),
            "SELECT CAST(julianday(expires_at) - julianday('now') + 0.5 AS INTEGER) FROM grants")
        #expect(expires == "30")
        // Withdrawn before approval, it never reaches the destination: no notification either.
        let unseen = try #require(try Self.propose(f, kind: "provision")["id"] as? String)
        #expect(try Self.step(f, unseen, "withdraw", as: .holder).status == 200)
        #expect(!(try f.send("GET", "/api/v1/notifications", as: .municipalityElsewhere).body.contains(unseen)))
        #expect(!(try f.send("GET", "/api/v1/transfers", as: .municipalityElsewhere).body.contains(unseen)))
        // Nobody but the holder proposes.
        #expect(
            try f.send(
                "POST", "/api/v1/cases/\(f.caseID)/transfers", as: .partnerCGC, json: #"{"destination": "271004", "kind": "transfer", "reason": "x"}"#
            ).status == 403)
        #expect(
            try f.send(
                "POST", "/api/v1/cases/\(f.caseID)/transfers", as: .holder, json: #"{"destination": "999999", "kind": "transfer", "reason": "x"}"#
            ).status == 400)
    }
}

/// The server killed with SIGKILL at each step of a case transfer's confirmation.
@Suite(.serialized)
struct TransferCrashTests {
    @Test(
        "after a kill at any step the case is in exactly one partition, the index and the transfer agree with it",
        arguments: [
            ("transfer.confirming", false), ("move.staged-destination", false), ("commit.prepared", false),
            ("commit.committed", true), ("commit.applied-first", true), ("transfer.moved", true),
        ])
    func killedDuringConfirmation(point: String, moves: Bool) throws {
        let f = try APIFixture()
        let id = try #require(try TransferAPITests.propose(f, kind: "transfer")["id"] as? String)
        f.server.stop()
        let running = try CommandRun.start(
            ["serve", "--data", f.store.dataDirectory.path, "--port", "0", "--no-access-log"], environment: ["MIMAMORI_CRASH_AT": point])
        let banner = try #require(running.waitForOutput(containing: "Serving on"))
        let port = try #require(UInt16(banner.split(separator: ":").last?.split(separator: "/").first ?? ""))
        let request =
            "POST /api/v1/transfers/\(id)/confirm HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nAuthorization: Bearer \(f.tokens[.municipalityElsewhere]!)\r\nContent-Length: 0\r\n\r\n"
        let reply = try RawHTTPClient(port: port).send(Array(request.utf8))
        #expect(reply == nil, "\(point): the server answered \(reply?.status ?? 0)")
        let run = CommandRun.finish(running)
        #expect(run.killedBySignal, "\(point): \(run.standardError)")

        let store = try Store(dataDirectory: f.store.dataDirectory, dictionaries: TestStore.dictionaries)
        #expect(try store.maintenance.integrityProblems().isEmpty)
        #expect(try store.cases.countsByPrefecture().values.reduce(0, +) == 1, "\(point)")
        let found = try store.cases.read(id: f.caseID, as: .localAdministrator)
        #expect(found.holder == (moves ? "271004" : "131016"), "\(point)")
        #expect(try store.transfers.read(id, as: .localAdministrator).state == (moves ? .confirmed : .sent), "\(point)")
        let engine = SearchEngine(store: store, index: try SearchIndex.attach(to: store, analyzer: try TestSearch.analyzer()))
        let hit = try #require(try engine.search(SearchRequest(q: "山田 太郎 2018-04-01"), as: .localAdministrator).hits.first)
        #expect(hit.authority.code == found.holder, "\(point)")
        // A transfer left `sent` can still be confirmed afterwards.
        if !moves {
            #expect(
                try store.transfers.confirm(id, handoverConfirmed: false, as: .user(login: "osaka", authority: "271004", role: .worker)).state
                    == .confirmed)
        }
    }
}
