import Foundation
import HTTPServer
import MimamoriTesting
import Store
import Testing

/// A case write, its audit row and its partner's notification live in two files; the
/// partition's outbox keeps them together across a SIGKILL between the two commits.
@Suite(.serialized)
struct OutboxCrashTests {
    @Test(
        "a server killed between a case's commit and its audit row has, after restart, the case with its audit row and notification — or neither",
        arguments: [
            ("case.writing", false), ("case.committed", true), ("outbox.carried", true),
        ])
    func killedBetweenCommitAndAudit(point: String, written: Bool) throws {
        let f = try APIFixture()
        f.server.stop()
        let data = f.store.dataDirectory
        let running = try CommandRun.start(
            ["serve", "--data", data.path, "--port", "0", "--no-access-log"], environment: ["MIMAMORI_CRASH_AT": point])
        let banner = try #require(running.waitForOutput(containing: "Serving on"))
        let port = try #require(UInt16(banner.split(separator: ":").last?.split(separator: "/").first ?? ""))
        let body = Array(RecordFixture.line("OUTBOX-1").utf8)
        let request =
            Array(
                "POST /api/v1/cases HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nAuthorization: Bearer \(f.tokens[.holder]!)\r\nContent-Type: application/json\r\nContent-Length: \(body.count)\r\n\r\n"
                    .utf8) + body
        let reply = try RawHTTPClient(port: port).send(request)
        #expect(reply == nil, "\(point): the server answered \(reply?.status ?? 0) before dying")
        let run = CommandRun.finish(running)
        #expect(run.killedBySignal, "\(point): \(run.standardError)")

        // Before the restart, the catalogue has not heard of the case (at case.committed).
        let catalogue = data.appendingPathComponent("catalogue.sqlite")
        let pendingBefore = try CommandRun.sqlite(data.appendingPathComponent("pref-13.sqlite"), "SELECT count(*) FROM outbox")
        #expect(pendingBefore == (written ? "1" : "0"), "\(point): the outbox holds the write's record until it is carried")

        let store = try Store(dataDirectory: data, dictionaries: TestStore.dictionaries)
        let created = try store.cases.list(heldBy: "131016", as: .localAdministrator).filter { $0.record.externalID == "OUTBOX-1" }
        #expect(created.count == (written ? 1 : 0), "\(point)")
        guard written else {
            #expect(
                try CommandRun.sqlite(catalogue, "SELECT count(*) FROM audit_log WHERE action = 'case.create' AND target != '\(f.caseID)'") == "0")
            #expect(
                try store.notifications.inbox(of: "130001-01", as: .localAdministrator).allSatisfy {
                    $0.kind != "case.created" || $0.caseID == f.caseID
                })
            return
        }
        let id = try #require(created.first?.id)
        let audited = try CommandRun.sqlite(catalogue, "SELECT count(*) FROM audit_log WHERE action = 'case.create' AND target = '\(id)'")
        #expect(audited == "1", "\(point): the audit row is written exactly once")
        let told = try store.notifications.inbox(of: "130001-01", as: .localAdministrator).filter { $0.caseID == id && $0.kind == "case.created" }
        #expect(told.count == 1, "\(point): the partner CGC is told exactly once")
        #expect(try CommandRun.sqlite(data.appendingPathComponent("pref-13.sqlite"), "SELECT count(*) FROM outbox") == "0")
        #expect(try store.auditLog.verify() == nil)
        // Reopening again carries nothing twice.
        let again = try Store(dataDirectory: data, dictionaries: TestStore.dictionaries)
        #expect(try again.notifications.inbox(of: "130001-01", as: .localAdministrator).filter { $0.caseID == id }.count == 1)
        #expect(try CommandRun.sqlite(catalogue, "SELECT count(*) FROM audit_log WHERE action = 'case.create' AND target = '\(id)'") == "1")
    }
}
