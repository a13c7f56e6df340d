import Foundation
import MimamoriTesting
import Testing

/// `/healthz` of a replicating `serve`, through the real server and Litestream: every replicated
/// file is listed with its lag, which stays bounded while Litestream syncs (and covers the
/// writes just made), grows past the limit (status `degraded`) while Litestream is frozen, and
/// comes back when it resumes.
@Suite(.serialized)
struct ReplicationLagTests {
    /// One file's entry of `/healthz`.
    struct FileLag {
        let state: String
        let lag: Double
        let lastSync: Date?
    }

    /// `/healthz` as JSON: its status and each file's entry by name.
    static func health(_ client: ServiceClient) -> (status: String, replication: String, files: [String: FileLag])? {
        guard let reply = client.send("GET", "/healthz", token: "", timeout: 5), reply.status == 200,
            let object = try? JSONSerialization.jsonObject(with: Data(reply.body.utf8)) as? [String: Any],
            let status = object["status"] as? String, let replication = object["replication"] as? String
        else { return nil }
        var files: [String: FileLag] = [:]
        for entry in object["files"] as? [[String: Any]] ?? [] {
            guard let name = entry["file"] as? String, let state = entry["state"] as? String, let lag = entry["lag_seconds"] as? Double else {
                continue
            }
            let lastSync = (entry["last_sync"] as? String).flatMap { try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse($0) }
            files[name] = FileLag(state: state, lag: lag, lastSync: lastSync)
        }
        return (status, replication, files)
    }

    /// Polls `/healthz` until `done` holds, for at most `seconds`; the last answer.
    static func wait(
        _ client: ServiceClient, seconds: Double, until done: ((status: String, replication: String, files: [String: FileLag])) -> Bool
    ) -> (status: String, replication: String, files: [String: FileLag])? {
        let deadline = Date().addingTimeInterval(seconds)
        var last = health(client)
        while Date() < deadline {
            if let answer = last, done(answer) { return answer }
            usleep(250_000)
            last = health(client)
        }
        return last
    }

    static let files = ["catalogue.sqlite"] + (1...47).map { String(format: "pref-%02d.sqlite", $0) }

    @Test(
        "/healthz lists every replicated file with a bounded lag after writes, degraded while Litestream is frozen",
        .disabled(if: FailoverTests.toolsMissing, "Litestream is not in .tools/venv: run make setup"))
    func lagPerFile() throws {
        let test = try TestSearch(lines: (0..<2).map { RecordFixture.line("LAG-SEED-\($0)") })
        let token = try ServiceClient.worker("chiyoda", of: "131016", in: test.store)
        let replica = "file://" + test.test.folder.url.appendingPathComponent("replica").path
        let limit = 4.0
        let primary = try CommandRun.start([
            "serve", "--data", test.test.dataDirectory.path, "--port", "0", "--no-access-log", "--replicate", replica,
            "--replication-lag-limit", "\(Int(limit))", "--litestream", FailoverTests.litestream.appendingPathComponent("litestream").path,
        ])
        primary.discardStandardError()
        var frozen: [Int32] = []
        defer {
            for pid in frozen { kill(pid, SIGCONT) }
            primary.signal(SIGTERM)
            _ = CommandRun.finish(primary)
        }
        let client = try #require(ServiceClient(banner: primary), "no banner")

        // Every file listed, replicating, within the limit once Litestream's first sync is done.
        let settled = Self.wait(client, seconds: 60) { $0.status == "ok" && Set($0.files.keys).isSuperset(of: Self.files) }
        let first = try #require(settled, "/healthz did not answer")
        #expect(first.status == "ok" && first.replication == "running", "\(first)")
        #expect(Set(first.files.keys) == Set(Self.files), "files listed: \(first.files.keys.sorted())")

        // Writes to the Tokyo partition (and the catalogue's audit log): both replicas confirm
        // them within the limit, and every file's lag stays under it.
        var lastWrite = Date()
        for index in 0..<10 {
            let reply = client.send("POST", "/api/v1/cases", token: token, json: RecordFixture.line("LAG-\(index)"))
            #expect(reply?.status == 201, "write \(index): \(reply?.body ?? "no answer")")
            lastWrite = Date()
        }
        let written = Self.wait(client, seconds: 30) { answer in
            ["pref-13.sqlite", "catalogue.sqlite"].allSatisfy { (answer.files[$0]?.lastSync ?? .distantPast) > lastWrite }
                && answer.status == "ok"
        }
        let after = try #require(written)
        for name in ["pref-13.sqlite", "catalogue.sqlite"] {
            #expect(
                (after.files[name]?.lastSync ?? .distantPast) > lastWrite,
                "\(name) not confirmed after the writes: \(after.files[name].debugDescription)")
        }
        for name in Self.files {
            let file = try #require(after.files[name], "\(name) missing")
            #expect(file.state == "replicating" && file.lag >= 0 && file.lag <= limit, "\(name): \(file)")
        }
        let worst = after.files.values.map(\.lag).max() ?? 0
        print("replication lag after writes: max \(String(format: "%.2f", worst)) s over \(after.files.count) files")

        // Litestream frozen (running, syncing nothing): the lag passes the limit, degraded.
        frozen = FailoverTests.children(of: primary.process.processIdentifier)
        try #require(!frozen.isEmpty, "no Litestream child of serve")
        for pid in frozen { kill(pid, SIGSTOP) }
        _ = client.send("POST", "/api/v1/cases", token: token, json: RecordFixture.line("LAG-FROZEN"))
        let stalled = try #require(Self.wait(client, seconds: 30) { $0.status == "degraded" && ($0.files["pref-13.sqlite"]?.lag ?? 0) > limit })
        #expect(stalled.status == "degraded" && stalled.replication == "running", "\(stalled.status) \(stalled.replication)")
        #expect((stalled.files["pref-13.sqlite"]?.lag ?? 0) > limit, "\(stalled.files["pref-13.sqlite"].debugDescription)")

        // Resumed: back under the limit.
        for pid in frozen { kill(pid, SIGCONT) }
        frozen = []
        let resumed = try #require(Self.wait(client, seconds: 30) { $0.status == "ok" })
        #expect(resumed.status == "ok", "\(resumed.files.filter { $0.value.lag > limit }.keys.sorted())")
    }
}
