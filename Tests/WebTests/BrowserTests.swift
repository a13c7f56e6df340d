import Foundation
import MimamoriTesting
import Query
import Store
import Testing
import Web

/// Whole journeys in a real headless Chromium (scripts/browser/journeys.py, Selenium from
/// Debian), against the real server. Screenshots go to .build/test-artefacts/browser/JOURNEY/.
@Suite(.serialized)
struct BrowserTests {
    /// Runs one journey; returns what it printed (one JSON line).
    static func run(_ journey: String, on f: APIFixture, _ options: [String] = []) throws -> String {
        let root = TestStore.dictionaries.deletingLastPathComponent()
        let artefacts = root.appendingPathComponent(".build/test-artefacts/browser/\(journey)")
        try? FileManager.default.removeItem(at: artefacts)
        let run = try CommandRun.program(
            URL(fileURLWithPath: "/usr/bin/python3"),
            [
                root.appendingPathComponent("scripts/browser/journeys.py").path, journey, "http://127.0.0.1:\(f.client.port)", APIFixture.password,
                artefacts.path,
            ] + options)
        #expect(run.status == 0, "\(run.standardError.suffix(3000))")
        let shots = try FileManager.default.contentsOfDirectory(atPath: artefacts.path).filter { $0.hasSuffix(".png") }
        #expect(shots.count >= 2 && !shots.contains("failure.png"), "\(journey): \(shots)")
        return run.standardOutput
    }

    @Test("an intake worker signs in and searches by keyboard, in hiragana with a 和暦 birthdate, and sees the graded hit")
    func searchJourney() throws {
        let output = try Self.run("search", on: try APIFixture())
        #expect(output.contains("enter_to_results_ms"))
    }

    @Test("(a) a summary-only hit in another prefecture → information request → the holder approves → the requester reads → 閲覧履歴")
    func informationRequestJourney() throws {
        let f = try APIFixture()
        _ = try Self.run("request", on: f, ["case=\(f.caseID)"])
        // What the browser did is in the audit log as the holder sees it.
        let views = try f.store.auditLog.views(ofCase: f.caseID, as: .user(login: "chiyoda", authority: "131016", role: .worker))
        #expect(views.contains { $0.action == "case.read" && $0.authority == "271004-01" })
    }

    @Test("(b) a case with an injury photo; the partner CGC opens case and photo; a municipality elsewhere cannot load the photo")
    func createCaseJourney() throws {
        let f = try APIFixture()
        let output = try Self.run("create", on: f)
        #expect(output.contains(#""photo_status_elsewhere": 40"#))
        let created = try f.store.cases.list(heldBy: "131016", as: .localAdministrator).filter { $0.record.externalID == "131016-2026-0042" }
        #expect(created.count == 1)
        let stored = try f.store.cases.read(id: try #require(created.first?.id), as: .localAdministrator)
        #expect(stored.attachments.map(\.mediaType) == ["image/png"])
    }

    @Test("(c) a CGC raises a missing-child alert, another CGC answers it, the originator closes it")
    func alertJourney() throws {
        let f = try APIFixture(
            lines: [
                RecordFixture.line("C-1"),
                RecordFixture.line("T-7", authority: "130001-01", ["child.given_name": "\"花\"", "child.given_name_kana": "\"ハナ\""]),
            ],
            caseHolder: "130001-01")
        _ = try Self.run("alert", on: f, ["case=\(f.caseID)"])
        let originator = Actor.user(login: "tokyo-cgc", authority: "130001-01", role: .worker)
        let alerts = try f.store.alerts.list(as: originator, includeClosed: true)
        #expect(alerts.count == 1 && alerts.first?.state == .closed)
        let answered = try f.store.alerts.read(try #require(alerts.first?.id), as: originator)
        #expect(answered.responses.map(\.kind) == [.located] && answered.responses.first?.authority == "271004-01")
    }

    @Test("(e) two holders link their records of one child; the CGC's search shows one grouped hit")
    func linkJourney() throws {
        let f = try CorrectionTests.fixture()
        let ours = try CaseworkTests.caseID(f, "C-1", holder: "131016")
        let theirs = try CaseworkTests.caseID(f, "CGC-1", holder: "130001-01")
        let output = try Self.run("link", on: f, ["case=\(ours)", "other=\(theirs)"])
        #expect(output.contains(#""grouped_hits": 1"#))
        #expect(try f.store.links.links(ofCase: ours, as: .localAdministrator).map(\.state) == [.linked])
    }

    @Test("(f) a wrong photo voided, gone for the partner; a case registered twice voided by a supervisor, gone from the search")
    func correctionJourney() throws {
        let f = try CorrectionTests.fixture()
        let ours = try CaseworkTests.caseID(f, "C-1", holder: "131016")
        let twice = try CaseworkTests.caseID(f, "C-TWICE", holder: "131016")
        let uploaded = try f.send(
            "POST", "/api/v1/cases/\(ours)/attachments?name=wrong.png", as: .holder, body: APIFixture.png, contentType: "image/png")
        let photo = try #require(try APIFixture.object(uploaded)["id"] as? String)
        let output = try Self.run("correct", on: f, ["case=\(ours)", "photo=\(photo)", "twice=\(twice)"])
        #expect(output.contains(#""photo_status": 404"#))
        let trail = try f.store.auditLog.auditTrail(of: "131016", as: .localAdministrator)
        #expect(trail.contains { $0.action == "attachment.void" } && trail.contains { $0.action == "case.void" && $0.target == twice })
    }

    @Test("(g) a municipality and its CGC prepare the 実務者会議 from each other's cases")
    func meetingJourney() throws {
        let f = try CorrectionTests.fixture()
        let ours = try CaseworkTests.caseID(f, "C-1", holder: "131016")
        let theirs = try CaseworkTests.caseID(f, "CGC-1", holder: "130001-01")
        #expect(try f.send("PATCH", "/api/v1/cases/\(theirs)/progress", as: .partnerCGC, json: #"{"category": "support"}"#).status == 200)
        let output = try Self.run("meeting", on: f, ["case=\(ours)", "since=\(RecordValidator.todayInJapan().iso)"])
        #expect(output.contains("千代田区") && output.contains("東京都児童相談センター"))
    }

    @Test("(h) an expectant mother (特定妊婦) registered on the form, found by her name, then the child recorded on the same case and found")
    func expectantJourney() throws {
        let f = try APIFixture()
        let today = RecordValidator.todayInJapan()
        let delivery = Casework.date(daysAfter: today, 60)
        _ = try Self.run("expectant", on: f, ["delivery=\(delivery)", "born=\(today.iso)"])
        let held = try f.store.cases.list(heldBy: "131016", as: .localAdministrator).first { $0.record.externalID == "131016-2026-T01" }
        let record = try #require(held?.record)
        #expect(record.expectedDelivery?.iso == delivery && record.child.givenName == "陽葵" && record.child.birthdate == today)
    }

    @Test("(i) a field hidden from the partner: gone from its case page and print view, still shown to the holder")
    func hiddenFieldJourney() throws {
        let f = try APIFixture(lines: [RecordFixture.line("C-1", ["family_situation": RecordFixture.json("父が単身赴任中")])])
        _ = try Self.run("hidden", on: f, ["case=\(f.caseID)"])
        #expect(try f.store.settings.hiddenFields(of: "131016", as: .localAdministrator)[.partner] == [.familySituation])
    }

    @Test("(j) a notify-on-view case opened by the partner CGC: the holder's inbox names who read it")
    func notifyOnViewJourney() throws {
        let f = try APIFixture()
        _ = try Self.run("watch", on: f, ["case=\(f.caseID)"])
    }

    @Test("(k) a closed missing-child alert found by another CGC, with the CGC that located the child")
    func pastAlertJourney() throws {
        let f = try APIFixture(
            lines: [
                RecordFixture.line("C-1"),
                RecordFixture.line("T-7", authority: "130001-01", ["child.given_name": "\"花\"", "child.given_name_kana": "\"ハナ\""]),
            ],
            caseHolder: "130001-01")
        let opened = try f.send("POST", "/api/v1/cases/\(f.caseID)/alerts", as: .partnerCGC, json: #"{"circumstances": "帰宅せず"}"#)
        let alert = try #require(try APIFixture.object(opened)["id"] as? String)
        #expect(
            try f.send("POST", "/api/v1/alerts/\(alert)/responses", as: .cgcElsewhere, json: #"{"kind": "located", "text": "梅田駅で保護"}"#).status == 201)
        #expect(try f.send("POST", "/api/v1/alerts/\(alert)/close", as: .partnerCGC, json: "{}").status == 200)
        let output = try Self.run("pastalert", on: f)
        #expect(output.contains(#""rows": 1"#))
    }

    @Test("(l) the destination of a transfer reads the record before confirming it; the holder sees that read")
    func destinationJourney() throws {
        let f = try APIFixture()
        _ = try TransferAPITests.propose(f, kind: "transfer")
        _ = try Self.run("destination", on: f, ["case=\(f.caseID)"])
    }

    @Test("(m) an administrator requires a second factor: a worker enrols on first sign-in, then signs in with the code")
    func secondFactorJourney() throws {
        let f = try APIFixture()
        let output = try Self.run("totp", on: f)
        #expect(output.contains(#""recovery_codes": 10"#))
    }

    @Test("(n) a report with a deadline: the ministry sees totals and the authorities that have not submitted")
    func reportJourney() throws {
        let f = try APIFixture()
        let id = try ReportSummaryTests.publish(f, audience: "cgc")
        #expect(
            try f.send("PUT", "/api/v1/reports/\(id)/submission", as: .partnerCGC, json: #"{"answers": {"officers": "12", "note": "なし"}}"#).status
                == 204)
        let code = try #require(try f.secondFactorCode(for: .ministry))
        _ = try Self.run("report", on: f, ["report=\(id)", "code=\(code)"])
    }

    @Test("(o) a match alert dismissed on the inbox page as not the same child is not raised again for that pair")
    func dismissJourney() throws {
        let f = try APIFixture()
        let created = try f.send(
            "POST", "/api/v1/cases", as: .municipalityElsewhere,
            json: RecordFixture.line("OSAKA-1", authority: "271004", ["address": MatchAlertTests.osakaAddress]))
        let other = try #require(try APIFixture.object(created)["case_id"] as? String)
        f.matches.waitUntilIdle()
        _ = try Self.run("dismiss", on: f)
        #expect(try f.auditCount(action: "match.dismiss") == 1)
        let version = try f.store.cases.read(id: other, as: .localAdministrator).version
        #expect(
            try f.send("PATCH", "/api/v1/cases/\(other)", as: .municipalityElsewhere, headers: ["If-Match: \"\(version)\""], json: #"{"notes": "y"}"#)
                .status == 200)
        f.matches.waitUntilIdle()
        #expect(try f.auditCount(action: "match.alert") == 1)
    }

    @Test("(d) a case moves between prefectures, confirmed by the destination, which then edits the record")
    func transferJourney() throws {
        let f = try APIFixture()
        _ = try Self.run("transfer", on: f, ["case=\(f.caseID)"])
        let moved = try f.store.cases.read(id: f.caseID, as: .localAdministrator)
        #expect(moved.holder == "271004" && moved.record.address?.line == "北区梅田1-1-1")
    }
}
