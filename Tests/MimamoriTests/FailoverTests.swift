import Foundation
import MimamoriTesting
import Store
import Synchronization
import Testing

/// Failover rehearsed through the real server: a primary replicating with Litestream is killed
/// with SIGKILL (with its Litestream: the host is gone) at a random moment while a client
/// writes; a standby is restored from the replica and serves. Each round reports the
/// acknowledged writes the standby lacks (RPO) and the time from the kill to the first search
/// the standby answers (RTO); the standby of one round is the primary of the next.
@Suite(.serialized)
struct FailoverTests {
    static let litestream = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent(".tools/venv/bin")
    static var toolsMissing: Bool { !FileManager.default.isExecutableFile(atPath: litestream.appendingPathComponent("litestream").path) }
    static var motoMissing: Bool { !FileManager.default.isExecutableFile(atPath: litestream.appendingPathComponent("moto_server").path) }

    @Test("failover to a standby restored from a directory replica", .disabled(if: toolsMissing, "Litestream is not in .tools/venv: run make setup"))
    func directoryReplica() throws {
        let test = try TestSearch(lines: (0..<4).map { RecordFixture.line("SEED-\($0)") })
        let folder = test.test.folder.url
        try Self.rehearse(test, rounds: 2, label: "directory") { round in
            ("file://" + folder.appendingPathComponent("replica-\(round)").path, [:])
        }
    }

    @Test(
        "failover to a standby restored from an S3 replica (moto on loopback)",
        .disabled(if: motoMissing, "moto is not in .tools/venv: run make setup"))
    func s3Replica() throws {
        let test = try TestSearch(lines: (0..<4).map { RecordFixture.line("SEED-\($0)") })
        let port = try Self.freePort()
        // Its request log is not read: it goes nowhere rather than fill a pipe and stall the server.
        let moto = Process()
        moto.executableURL = Self.litestream.appendingPathComponent("moto_server")
        moto.arguments = ["-H", "127.0.0.1", "-p", "\(port)"]
        moto.standardOutput = FileHandle.nullDevice
        moto.standardError = FileHandle.nullDevice
        try moto.run()
        defer {
            // moto's server does not stop on SIGTERM.
            kill(moto.processIdentifier, SIGKILL)
            moto.waitUntilExit()
        }
        var created = false
        for _ in 0..<100 where !created {
            created =
                (try? RawHTTPClient(port: port).send(
                    Array("PUT /replica HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".utf8)))??.status == 200
            if !created { usleep(100_000) }
        }
        try #require(created, "moto did not start on port \(port)")
        // Test credentials for moto; an inherited CA bundle would make the AWS SDK refuse plain HTTP.
        let environment = ["AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test", "AWS_CA_BUNDLE": ""]
        try Self.rehearse(test, rounds: 2, label: "s3") { round in
            ("s3://replica/mimamori-\(round)?endpoint=http://127.0.0.1:\(port)&region=us-east-1&force-path-style=true", environment)
        }
    }

    /// Acknowledged writes, as the client recorded them.
    final class Acknowledged: Sendable {
        let cases = Mutex<[(externalID: String, id: String, at: Date)]>([])
        let notes = Mutex<[(caseID: String, text: String, at: Date)]>([])
        let transfers = Mutex<[(caseID: String, at: Date)]>([])
    }

    static func rehearse(_ test: TestSearch, rounds: Int, label: String, replica: (Int) -> (String, [String: String])) throws {
        let chiyoda = try ServiceClient.worker("chiyoda", of: "131016", in: test.store)
        let osaka = try ServiceClient.worker("osaka", of: "271004", in: test.store)
        var data = test.test.dataDirectory
        let folder = test.test.folder.url
        var random = SystemRandomNumberGenerator()
        // Cases that were on the replica long before any kill: never allowed to go missing.
        var seeded = Set(try test.store.cases.list(heldBy: "131016", as: .localAdministrator).map(\.id))
        for round in 0..<rounds {
            let (url, environment) = replica(round)
            let primary = try CommandRun.start(
                [
                    "serve", "--data", data.path, "--port", "0", "--no-access-log", "--replicate", url, "--litestream",
                    litestream.appendingPathComponent("litestream").path,
                ], environment: environment)
            let client = try #require(ServiceClient(banner: primary), "\(label) round \(round): no banner")
            // Litestream's first snapshot of every file, before the client writes.
            usleep(1_500_000)
            let health = client.send("GET", "/healthz", token: chiyoda)
            #expect(health?.body.contains(#""replication":"running""#) == true, "\(label) round \(round): \(health?.body ?? "no answer")")
            let acknowledged = Acknowledged()
            let stop = Atomic<Bool>(false)
            let writer = DispatchGroup()
            DispatchQueue.global().async(group: writer) {
                var index = 0
                while !stop.load(ordering: .relaxed) {
                    index += 1
                    let external = "FO-\(label)-\(round)-\(index)"
                    let reply = client.send("POST", "/api/v1/cases", token: chiyoda, json: RecordFixture.line(external), timeout: 2)
                    guard reply?.status == 201, let id = ServiceClient.member("case_id", of: reply) else {
                        usleep(20_000)
                        continue
                    }
                    acknowledged.cases.withLock { $0.append((external, id, Date())) }
                    let text = "note \(index)"
                    if client.send("POST", "/api/v1/cases/\(id)/notes", token: chiyoda, json: #"{"text": "\#(text)"}"#, timeout: 2)?.status == 201 {
                        acknowledged.notes.withLock { $0.append((id, text, Date())) }
                    }
                    if index % 4 == 0 {
                        let proposed = client.send(
                            "POST", "/api/v1/cases/\(id)/transfers", token: chiyoda,
                            json: #"{"destination": "271004", "kind": "transfer", "urgent": false, "reason": "転居のため"}"#, timeout: 2)
                        if let transfer = ServiceClient.member("id", of: proposed),
                            client.send("POST", "/api/v1/transfers/\(transfer)/confirm", token: osaka, json: "{}", timeout: 2)?.status == 200
                        {
                            acknowledged.transfers.withLock { $0.append((id, Date())) }
                        }
                    }
                    usleep(30_000)
                }
            }
            usleep(UInt32.random(in: 1_000_000...3_000_000, using: &random))
            // The host is gone: the server and its Litestream die at once.
            let litestreamProcess = Self.children(of: primary.process.processIdentifier)
            primary.kill()
            for pid in litestreamProcess { kill(pid, SIGKILL) }
            // What a killed serve cannot remove: the Litestream configuration it wrote.
            unlink(FileManager.default.temporaryDirectory.appendingPathComponent("mimamori-litestream-\(primary.process.processIdentifier).yml").path)
            let killedAt = Date()
            stop.store(true, ordering: .relaxed)
            _ = CommandRun.finish(primary)
            writer.wait()

            let standby = folder.appendingPathComponent("standby-\(label)-\(round)")
            let restore = try CommandRun.mimamori(
                ["restore", "--from", url, "--to", standby.path, "--litestream", litestream.appendingPathComponent("litestream").path],
                environment: environment)
            #expect(restore.status == 0, "\(label) round \(round): \(restore.standardError.suffix(2000))")
            let serving = try CommandRun.start(["serve", "--data", standby.path, "--port", "0", "--no-access-log"])
            let standbyClient = try #require(ServiceClient(banner: serving))
            var answered: Date?
            for _ in 0..<200 where answered == nil {
                if standbyClient.send("GET", "/api/v1/search?q=%E5%B1%B1%E7%94%B0", token: chiyoda, timeout: 2)?.status == 200 {
                    answered = Date()
                } else {
                    usleep(20_000)
                }
            }
            let rto = try #require(answered, "\(label) round \(round): the standby answered no search").timeIntervalSince(killedAt)
            serving.signal(SIGTERM)
            _ = CommandRun.finish(serving)

            // What the standby has, against what was acknowledged.
            let store = try Store(dataDirectory: standby, dictionaries: TestStore.dictionaries)
            #expect(try store.auditLog.verify() == nil, "\(label) round \(round): audit chain")
            let tokyo = Set(try store.cases.list(heldBy: "131016", as: .localAdministrator, limit: 100_000).map(\.id))
            let moved = Set(try store.cases.list(heldBy: "271004", as: .localAdministrator, limit: 100_000).map(\.id))
            #expect(tokyo.isDisjoint(with: moved), "\(label) round \(round): a case in two partitions")
            let cases = acknowledged.cases.withLock { $0 }
            let transfers = acknowledged.transfers.withLock { $0 }
            let notes = acknowledged.notes.withLock { $0 }
            let missingCases = cases.filter { !tokyo.contains($0.id) && !moved.contains($0.id) }
            let missingTransfers = transfers.filter { !moved.contains($0.caseID) }
            var missingNotes: [(caseID: String, text: String, at: Date)] = []
            for note in notes {
                let present = (try? store.cases.read(id: note.caseID, as: .localAdministrator))?.notes.contains { $0.text == note.text } ?? false
                if !present { missingNotes.append(note) }
            }
            // Every transfer is whole: its case in exactly one partition, where its state says.
            let states = try CommandRun.sqlite(standby.appendingPathComponent("catalogue.sqlite"), "SELECT case_id || ' ' || state FROM transfers")
            for line in states.split(separator: "\n") {
                let parts = line.split(separator: " ").map(String.init)
                guard parts.count == 2 else { continue }
                // In neither only when the case's own registration was in the lost last second
                // (the window check below bounds that); seeded cases were replicated long before.
                #expect(!(tokyo.contains(parts[0]) && moved.contains(parts[0])), "\(label) round \(round): a transferred case in two partitions")
                #expect(
                    tokyo.contains(parts[0]) || moved.contains(parts[0]) || !seeded.contains(parts[0]),
                    "\(label) round \(round): a case lost in transit")
                #expect(parts[1] != "confirming", "\(label) round \(round): a transfer left confirming")
                if parts[1] == "confirmed" { #expect(!tokyo.contains(parts[0]), "\(label) round \(round): a confirmed transfer's case stayed") }
            }
            if let line = restore.standardOutput.split(separator: "\n").last { print("failover \(label) round \(round): \(line)") }
            let missingTimes = (missingCases.map(\.at) + missingNotes.map(\.at) + missingTransfers.map(\.at))
            let window = missingTimes.min().map { killedAt.timeIntervalSince($0) } ?? 0
            let total = cases.count + notes.count + transfers.count
            let missing = missingCases.count + missingNotes.count + missingTransfers.count
            print(
                "failover \(label) round \(round): \(total) acknowledged writes (\(cases.count) cases, \(notes.count) notes, \(transfers.count) transfers), \(missing) missing on the standby (RPO window \(String(format: "%.2f", window)) s before the kill), RTO \(String(format: "%.2f", rto)) s (kill to first answered search)"
            )
            #expect(total > 0, "\(label) round \(round): the client wrote nothing")
            // Litestream ships the WAL every second: what is lost is at most the last seconds.
            #expect(window < 5, "\(label) round \(round): writes acknowledged \(window) s before the kill are missing")
            data = standby
            // What this standby holds is what the next primary starts from.
            seeded = tokyo.union(moved)
        }
    }

    /// The processes whose parent is `pid` (the Litestream that serve started).
    static func children(of pid: Int32) -> [Int32] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        return names.compactMap(Int32.init).filter { child in
            guard let stat = try? String(contentsOfFile: "/proc/\(child)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { return false }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            return fields.count > 1 && Int32(fields[1]) == pid
        }
    }

    /// A TCP port free on the loopback now (for moto, which takes no port 0).
    static func freePort() throws -> UInt16 {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0 }
        }
        try #require(bound)
        return UInt16(bigEndian: address.sin_port)
    }
}
