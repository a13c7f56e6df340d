import Foundation
import MimamoriTesting
import Store
import Testing

/// Transfers caught by a failure while `serve` replicates, restored from the Litestream replica
/// by `mimamori restore`: a two-phase commit interrupted by a crash is finished or undone by the
/// recovery of the restored store, and a case lost in transit (the destination's replica older
/// than the move) is put back at its origin from an older state of the origin's replica, its
/// transfer open again, and can be confirmed once more.
@Suite(.serialized)
struct ReplicaRepairTests {
    static var litestream: String { FailoverTests.litestream.appendingPathComponent("litestream").path }
    static let chiyoda = Actor.user(login: "chiyoda", authority: "131016", role: .worker)
    static let osaka = Actor.user(login: "osaka", authority: "271004", role: .worker)

    /// Waits until `/healthz` reports every named file confirmed by its replica after `since`.
    static func waitConfirmed(_ client: ServiceClient, _ names: [String], after since: Date) throws {
        let answer = ReplicationLagTests.wait(client, seconds: 30) { answer in
            names.allSatisfy { (answer.files[$0]?.lastSync ?? .distantPast) > since }
        }
        for name in names {
            try #require(
                (answer?.files[name]?.lastSync ?? .distantPast) > since, "\(name) not replicated: \(String(describing: answer?.files[name]))")
        }
    }

    /// In how many partitions of `data` the case is, and its holder there.
    static func holders(of caseID: String, in store: Store) throws -> [String] {
        try ["131016", "271004"].filter { authority in
            try store.cases.list(heldBy: authority, as: .localAdministrator, limit: 1000).contains { $0.id == caseID }
        }
    }

    @Test(
        "a confirmation interrupted inside its two-phase commit, replicated as it was, is finished or undone by the restore's recovery",
        .disabled(if: FailoverTests.toolsMissing, "Litestream is not in .tools/venv: run make setup"),
        arguments: [("commit.prepared", false), ("commit.committed", true)])
    func interruptedCommit(point: String, moves: Bool) throws {
        let test = try TestSearch(lines: [RecordFixture.line("RR-1")])
        let osakaToken = try ServiceClient.worker("osaka", of: "271004", in: test.store)
        _ = try ServiceClient.worker("chiyoda", of: "131016", in: test.store)
        let caseID = try #require(try test.store.cases.list(heldBy: "131016", as: .localAdministrator).first?.id)
        let transfer = try test.store.transfers.propose(
            ofCase: caseID, to: "271004", kind: .transfer, urgent: false, reason: "転居のため", as: Self.chiyoda)
        let replica = "file://" + test.test.folder.url.appendingPathComponent("replica").path
        let primary = try CommandRun.start(
            [
                "serve", "--data", test.test.dataDirectory.path, "--port", "0", "--no-access-log", "--replicate", replica, "--litestream",
                Self.litestream,
            ],
            environment: ["MIMAMORI_CRASH_AT": point])
        primary.discardStandardError()
        let client = try #require(ServiceClient(banner: primary), "no banner")
        let pid = primary.process.processIdentifier
        let replicator = FailoverTests.children(of: pid)
        var finished = false
        defer {
            // serve dies by itself at the crash point; its Litestream outlives it and is stopped here.
            if !finished {
                for child in replicator { kill(child, SIGKILL) }
                primary.kill()
                _ = CommandRun.finish(primary)
            }
            unlink(FileManager.default.temporaryDirectory.appendingPathComponent("mimamori-litestream-\(pid).yml").path)
        }
        try #require(!replicator.isEmpty, "no Litestream child of serve")
        try Self.waitConfirmed(client, ["catalogue.sqlite", "pref-13.sqlite", "pref-27.sqlite"], after: Date())

        // The confirmation reaches the crash point: serve dies (SIGKILL) mid-commit. Its
        // Litestream, still running, ships the files as the crash left them; SIGTERM makes it
        // sync one last time and stop.
        let reply = client.send("POST", "/api/v1/transfers/\(transfer.id)/confirm", token: osakaToken, json: "{}", timeout: 5)
        #expect(reply == nil, "\(point): the server answered \(reply?.status ?? 0)")
        // Litestream holds serve's standard error: serve's output ends only when it stops too.
        primary.process.waitUntilExit()
        #expect(primary.process.terminationReason == .uncaughtSignal, "\(point): serve did not die at the crash point")
        sleep(3)
        for child in replicator { kill(child, SIGTERM) }
        _ = CommandRun.finish(primary)
        finished = true

        let standby = test.test.folder.url.appendingPathComponent("standby")
        let restore = try CommandRun.mimamori(["restore", "--from", replica, "--to", standby.path, "--litestream", Self.litestream])
        #expect(restore.status == 0, "\(point): \(restore.standardError.suffix(2000))")
        let store = try Store(dataDirectory: standby, dictionaries: TestStore.dictionaries)
        #expect(try store.auditLog.verify() == nil, "\(point): audit chain")
        #expect(try store.maintenance.integrityProblems().isEmpty, "\(point)")
        #expect(try Self.holders(of: caseID, in: store) == [moves ? "271004" : "131016"], "\(point)")
        #expect(try store.transfers.read(transfer.id, as: .localAdministrator).state == (moves ? .confirmed : .sent), "\(point)")
        if !moves {
            #expect(try store.transfers.confirm(transfer.id, handoverConfirmed: false, as: Self.osaka).state == .confirmed)
            #expect(try Self.holders(of: caseID, in: store) == ["271004"])
        }
    }

    @Test(
        "a case lost in transit (the destination's replica older than the move) is put back at its origin from an older state of the origin's replica, and is confirmed again",
        .disabled(if: FailoverTests.toolsMissing, "Litestream is not in .tools/venv: run make setup"))
    func lostInTransit() throws {
        let test = try TestSearch(lines: [RecordFixture.line("RR-SEED")])
        let chiyodaToken = try ServiceClient.worker("chiyoda", of: "131016", in: test.store)
        let osakaToken = try ServiceClient.worker("osaka", of: "271004", in: test.store)
        let folder = test.test.folder.url
        let replicaFolder = folder.appendingPathComponent("replica")
        let replica = "file://" + replicaFolder.path
        let primary = try CommandRun.start([
            "serve", "--data", test.test.dataDirectory.path, "--port", "0", "--no-access-log", "--replicate", replica, "--litestream",
            Self.litestream,
        ])
        primary.discardStandardError()
        var stopped = false
        defer {
            if !stopped {
                primary.signal(SIGTERM)
                _ = CommandRun.finish(primary)
            }
        }
        let client = try #require(ServiceClient(banner: primary), "no banner")

        // A case with a note, and its transfer to Osaka, replicated.
        let created = client.send("POST", "/api/v1/cases", token: chiyodaToken, json: RecordFixture.line("RR-LOST"))
        let caseID = try #require(ServiceClient.member("case_id", of: created), "\(created?.body ?? "no answer")")
        #expect(client.send("POST", "/api/v1/cases/\(caseID)/notes", token: chiyodaToken, json: #"{"text": "見守り継続"}"#)?.status == 201)
        let proposed = client.send(
            "POST", "/api/v1/cases/\(caseID)/transfers", token: chiyodaToken,
            json: #"{"destination": "271004", "kind": "transfer", "urgent": false, "reason": "転居のため"}"#)
        let transfer = try #require(ServiceClient.member("id", of: proposed), "\(proposed?.body ?? "no answer")")
        try Self.waitConfirmed(client, ["catalogue.sqlite", "pref-13.sqlite", "pref-27.sqlite"], after: Date())
        // The destination's replica as it was before the move: what a lagging replica would hold.
        let older = folder.appendingPathComponent("pref-27-before-the-move")
        try FileManager.default.copyItem(at: replicaFolder.appendingPathComponent("pref-27.sqlite"), to: older)

        let confirmed = client.send("POST", "/api/v1/transfers/\(transfer)/confirm", token: osakaToken, json: "{}")
        #expect(confirmed?.status == 200, "\(confirmed?.body ?? "no answer")")
        try Self.waitConfirmed(client, ["catalogue.sqlite", "pref-13.sqlite", "pref-27.sqlite"], after: Date())
        primary.signal(SIGTERM)
        _ = CommandRun.finish(primary)
        stopped = true
        // The primary is gone before the destination's replica received the move.
        try FileManager.default.removeItem(at: replicaFolder.appendingPathComponent("pref-27.sqlite"))
        try FileManager.default.moveItem(at: older, to: replicaFolder.appendingPathComponent("pref-27.sqlite"))

        let standby = folder.appendingPathComponent("standby")
        let restore = try CommandRun.mimamori(["restore", "--from", replica, "--to", standby.path, "--litestream", Self.litestream])
        #expect(restore.status == 0, "\(restore.standardError.suffix(2000))")
        #expect(
            restore.standardOutput.contains("1 transferred cases lost in transit put back at their origin"), "\(restore.standardOutput)")
        let raw = try CommandRun.sqlite(standby.appendingPathComponent("pref-13.sqlite"), "SELECT holder FROM cases WHERE id = '\(caseID)'")
        #expect(raw == "131016", "the case is back in its origin's partition file")
        let store = try Store(dataDirectory: standby, dictionaries: TestStore.dictionaries)
        #expect(try store.auditLog.verify() == nil, "audit chain")
        #expect(try Self.holders(of: caseID, in: store) == ["131016"], "the case is back at its origin only")
        let back = try store.cases.read(id: caseID, as: .localAdministrator)
        #expect(back.notes.contains { $0.text == "見守り継続" }, "its note came back with it")
        let reopened = try store.transfers.read(transfer, as: .localAdministrator)
        #expect(reopened.state == .sent)
        let events = try CommandRun.sqlite(
            standby.appendingPathComponent("catalogue.sqlite"), "SELECT count(*) FROM transfer_events WHERE event = 'confirmation-lost-in-failover'")
        #expect(events == "1")
        let audited = try CommandRun.sqlite(
            standby.appendingPathComponent("catalogue.sqlite"), "SELECT count(*) FROM audit_log WHERE action = 'store.reconcile'")
        #expect((Int(audited) ?? 0) >= 2, "the reconciliation and the case put back are audited: \(audited)")
        // The destination confirms it once more: the case moves, whole.
        #expect(try store.transfers.confirm(transfer, handoverConfirmed: false, as: Self.osaka).state == .confirmed)
        #expect(try Self.holders(of: caseID, in: store) == ["271004"])
        #expect(try store.cases.read(id: caseID, as: .localAdministrator).notes.contains { $0.text == "見守り継続" })
        #expect(try store.auditLog.verify() == nil, "audit chain after the second confirmation")
    }
}
