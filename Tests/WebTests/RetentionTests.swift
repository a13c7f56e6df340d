import Foundation
import MimamoriTesting
import Query
import Store
import Testing
import Web

/// Retention: closed cases past their holder's retention period are purged everywhere.
@Suite(.serialized)
struct RetentionTests {
    @Test("closed cases older than the holder's retention_days are purged with their notes, grants and index rows; open and recent ones stay")
    func purge() throws {
        let f = try APIFixture(lines: [
            RecordFixture.line("C-1"),
            RecordFixture.line("OLD-CLOSED", ["status": #""closed""#, "child.given_name": #""次郎""#, "child.given_name_kana": #""ジロウ""#]),
            RecordFixture.line("OLD-OPEN", ["child.given_name": #""三郎""#, "child.given_name_kana": #""サブロウ""#]),
            RecordFixture.line(
                "OSAKA-CLOSED", authority: "271004", ["status": #""closed""#, "address": #"{"prefecture": "大阪府", "municipality": "大阪市"}"#]),
        ])
        let store = f.store
        let old = try #require(try store.cases.list(heldBy: "131016", as: .localAdministrator).first { $0.record.externalID == "OLD-CLOSED" })
        #expect(try f.send("POST", "/api/v1/cases/\(old.id)/notes", as: .holder, json: #"{"text": "終結"}"#).status == 201)
        for file in ["pref-13.sqlite", "pref-27.sqlite"] {
            _ = try CommandRun.sqlite(
                store.dataDirectory.appendingPathComponent(file),
                "UPDATE cases SET updated_at = '2020-01-01T00:00:00.000Z' WHERE external_id != 'C-1'")
        }
        #expect(try f.send("PUT", "/api/v1/settings", as: .holderAdmin, json: #"{"retention_days": 0}"#).status == 400)
        let set = try f.send("PUT", "/api/v1/settings", as: .holderAdmin, json: #"{"retention_days": 365}"#)
        #expect(try APIFixture.object(set)["retention_days"] as? Int == 365)
        #expect(try store.retention.purgeExpired(dryRun: true) == [old.id])
        #expect(try store.retention.purgeExpired() == [old.id])

        #expect(try store.cases.count(heldBy: "131016") == 2)
        #expect(try store.cases.count(heldBy: "271004") == 1)  // 大阪市 set no retention
        #expect(try CommandRun.sqlite(store.dataDirectory.appendingPathComponent("pref-13.sqlite"), "SELECT count(*) FROM notes") == "0")
        #expect(try store.auditLog.entries(as: .localAdministrator, ).contains { $0.action == "case.purge" && $0.target == old.id })
        let found = try f.search.search("山田 次郎 2018-04-01")
        #expect(!found.hits.contains { $0.caseID == old.id })
        #expect(try f.send("GET", "/api/v1/cases/\(old.id)", as: .holder).status == 404)
        #expect(try store.retention.purgeExpired().isEmpty)
        // Back to keeping everything.
        #expect(
            try APIFixture.object(try f.send("PUT", "/api/v1/settings", as: .holderAdmin, json: #"{"retention_days": null}"#))["retention_days"]
                is NSNull)
    }

    @Test(
        "retention never purges a closed case that is flagged serious, has an open alert, a transfer under way, a request to answer or a link to an open record"
    )
    func heldCasesStay() throws {
        func closed(_ id: String, _ given: String, authority: String = "131016") -> String {
            RecordFixture.line(id, authority: authority, ["status": #""closed""#, "child.given_name": "\"\(given)\""])
        }
        let f = try APIFixture(lines: [
            RecordFixture.line("C-1"), closed("FLAGGED", "一"), closed("MOVING", "二"), closed("ASKED", "三"), closed("FREE", "四"),
            closed("MISSING", "五", authority: "130001-01"), closed("LINKED", "六"), RecordFixture.line("CGC-OPEN", authority: "130001-01"),
        ])
        let store = f.store
        func id(_ externalID: String, _ holder: String = "131016") throws -> String {
            let held = try store.cases.list(heldBy: holder, as: .localAdministrator)
            return try #require(held.first { $0.record.externalID == externalID }?.id, "\(externalID) not among \(held.map(\.record.externalID))")
        }
        #expect(try f.send("PUT", "/api/v1/cases/\(try id("FLAGGED"))/flag", as: .holder, json: #"{"serious": true}"#).status == 200)
        let transfer = try f.send(
            "POST", "/api/v1/cases/\(try id("MOVING"))/transfers", as: .holder,
            json: #"{"destination": "271004", "kind": "transfer", "reason": "転居"}"#)
        #expect(transfer.status == 201, "\(transfer.body)")
        let request = try f.send("POST", "/api/v1/cases/\(try id("ASKED"))/requests", as: .municipalityElsewhere, json: #"{"reason": "転入の確認"}"#)
        #expect(request.status == 201, "\(request.body)")
        let missing = try id("MISSING", "130001-01")
        #expect(try f.send("POST", "/api/v1/cases/\(missing)/alerts", as: .partnerCGC, json: #"{"circumstances": "帰宅せず"}"#).status == 201)
        let link = try store.links.propose(try id("LINKED"), with: try id("CGC-OPEN", "130001-01"), as: .localAdministrator)
        _ = try store.links.decide(link.id, agree: true, as: .localAdministrator)
        _ = try CommandRun.sqlite(
            store.dataDirectory.appendingPathComponent("pref-13.sqlite"),
            "UPDATE cases SET updated_at = '2020-01-01T00:00:00.000Z' WHERE external_id != 'C-1'")
        #expect(try f.send("PUT", "/api/v1/settings", as: .holderAdmin, json: #"{"retention_days": 365}"#).status == 200)
        try store.settings.update(of: "130001-01", AuthoritySettings(retentionDays: 365), as: .localAdministrator)
        // Only the case nothing depends on goes.
        let free = try id("FREE")
        #expect(try store.retention.purgeExpired() == [free])
        #expect(try store.cases.count(heldBy: "131016") == 5 && store.cases.count(heldBy: "130001-01") == 2)
    }

    @Test("a former holder's copy of a moved case goes after the former holder's own retention period")
    func formerRecords() throws {
        let f = try APIFixture()
        let transfer = try #require(try TransferAPITests.propose(f, kind: "transfer")["id"] as? String)
        #expect(try TransferAPITests.step(f, transfer, "confirm", as: .municipalityElsewhere).status == 200)
        #expect(try f.send("GET", "/api/v1/cases/\(f.caseID)/former", as: .holder).status == 200)
        #expect(try f.send("PUT", "/api/v1/settings", as: .holderAdmin, json: #"{"retention_days": 365}"#).status == 200)
        #expect(try f.store.retention.purgeExpired().isEmpty)
        #expect(try f.send("GET", "/api/v1/cases/\(f.caseID)/former", as: .holder).status == 200, "a recent copy went")
        _ = try CommandRun.sqlite(
            f.store.dataDirectory.appendingPathComponent("pref-13.sqlite"), "UPDATE former_records SET left_at = '2020-01-01T00:00:00.000Z'")
        #expect(try f.store.retention.purgeExpired().isEmpty)  // the case itself is the new holder's, open
        #expect(try f.send("GET", "/api/v1/cases/\(f.caseID)/former", as: .holder).status == 404)
        #expect(try f.store.auditLog.entries(as: .localAdministrator).contains { $0.action == "former-record.purge" })
    }

    @Test("mimamori retention run purges and reports, and the index follows")
    func command() throws {
        let test = try TestStore()
        _ = try JSONLinesImporter(store: test.store, actor: .localAdministrator)
            .run(test.folder.write("r.jsonl", lines: [RecordFixture.line("R-1", ["status": #""closed""#])]))
        try test.store.settings.update(of: "131016", AuthoritySettings(retentionDays: 30), as: .localAdministrator)
        _ = try CommandRun.sqlite(
            test.dataDirectory.appendingPathComponent("pref-13.sqlite"), "UPDATE cases SET updated_at = '2020-01-01T00:00:00.000Z'")
        let dry = try CommandRun.mimamori(["retention", "run", "--data", test.dataDirectory.path, "--dry-run"])
        #expect(dry.status == 0 && dry.standardOutput.contains("1 closed cases are past"))
        let run = try CommandRun.mimamori(["retention", "run", "--data", test.dataDirectory.path])
        #expect(run.status == 0 && run.standardOutput.contains("purged 1"), "\(run.standardError)")
        #expect(try CommandRun.sqlite(test.dataDirectory.appendingPathComponent("index.sqlite"), "SELECT count(*) FROM persons") == "0")
    }
}

/// The service's own bookkeeping follows documented periods; the audit log is never purged.
@Suite(.serialized)
struct HousekeepingTests {
    @Test("ended sessions, made webhook deliveries, read notifications and stale sign-in failures go after their periods; the rest stays")
    func periods() throws {
        let f = try APIFixture()
        let store = f.store
        let catalogue = store.dataDirectory.appendingPathComponent("catalogue.sqlite")
        _ = try store.sessions.start(login: "chiyoda", password: APIFixture.password)
        let live = try #require(try store.sessions.start(login: "chiyoda", password: APIFixture.password))
        #expect(try f.send("POST", "/api/v1/cases/\(f.caseID)/notes", as: .holder, json: #"{"text": "x"}"#).status == 201)
        _ = try CommandRun.sqlite(
            catalogue,
            """
            UPDATE sessions SET ended_at = '2020-01-01T00:00:00.000Z' WHERE id_hash != '\(Secret.digest(live.id))';
            UPDATE notifications SET read_at = '2020-01-01T00:00:00.000Z' WHERE id = (SELECT min(id) FROM notifications);
            INSERT INTO login_failures (login, count, last_at) VALUES ('someone', 3, '2020-01-01T00:00:00.000Z');
            """)
        let notificationsBefore =
            Int(try CommandRun.sqlite(catalogue, "SELECT count(*) FROM notifications").trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        let auditBefore = Int(try CommandRun.sqlite(catalogue, "SELECT count(*) FROM audit_log").trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0

        let removed = try store.retention.housekeeping()
        #expect(removed.sessions >= 1 && removed.loginFailures == 1, "\(removed)")
        #expect(removed.notifications == (notificationsBefore > 0 ? 1 : 0))
        #expect(try store.sessions.find(live.id) != nil, "a live session was removed")
        // Nothing of the audit log goes; the run itself is one more entry.
        let auditAfter = Int(try CommandRun.sqlite(catalogue, "SELECT count(*) FROM audit_log").trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        #expect(auditAfter == auditBefore + 1)
        #expect(try store.retention.housekeeping().isEmpty, "a second run found more")
    }
}
