import Foundation
import MimamoriTesting
import Store
import Testing

/// The README's demo of a family's move (scripts/demo-move.sh) against the real server.
struct DemoMoveTests {
    @Test("scripts/demo-move.sh plays a move from 千代田区 to 札幌市 through the API, ending with 札幌市 as the holder")
    func demoMove() throws {
        let folder = TemporaryDirectory("mimamori-demo-move")
        let data = folder.url.appendingPathComponent("data").path
        #expect(try CommandRun.mimamori(["demo-logins", "--data", data]).status == 0)
        let server = try CommandRun.start(["serve", "--data", data, "--port", "0", "--no-access-log"])
        defer {
            server.signal(SIGTERM)
            _ = CommandRun.finish(server)
        }
        let banner = try #require(server.waitForOutput(containing: "Serving on"))
        let base = try #require(banner.split(separator: " ").first { $0.hasPrefix("http://") }).dropLast()
        let script = TestStore.dictionaries.deletingLastPathComponent().appendingPathComponent("scripts/demo-move.sh")
        let run = try CommandRun.program(script, [String(base)])
        let text = run.standardOutput
        #expect(run.status == 0, "\(text)\n\(run.standardError)")
        #expect(text.contains("transfer.sent"))
        #expect(text.contains("confirmed"))
        #expect(text.contains("holder 011002 version 3"))
        #expect(text.contains("403\n札幌市 summary"))
    }
}

/// `make run`'s demo leaves each workflow waiting for a newcomer with the demo logins.
struct DemoScenarioTests {
    @Test("demo-logins leaves unread notifications, a transfer to confirm, an open alert, a request to answer and a report form, once")
    func livingDemo() throws {
        let folder = TemporaryDirectory("mimamori-demo-scenario")
        let data = folder.url.appendingPathComponent("data")
        let first = try CommandRun.mimamori(["demo-logins", "--data", data.path])
        #expect(first.status == 0 && first.standardOutput.contains("Waiting in the demo"), "\(first.standardError)")
        func counts() throws -> [String: Int] {
            let store = try Store(dataDirectory: data, dictionaries: TestStore.dictionaries)
            func user(_ login: String, _ authority: String) -> Actor { .user(login: login, authority: authority, role: .worker) }
            let tokyo = try store.notifications.inbox(of: "130001-01", as: user("cgc-tokyo", "130001-01"), unreadOnly: true)
            let incoming = try store.transfers.list(of: "011002", as: user("sapporo", "011002")).filter {
                $0.destination == "011002" && $0.state == .sent
            }
            let alerts = try store.alerts.list(as: user("cgc-osaka", "271004-01"))
            let requests = try store.requests.list(of: "131016", as: user("chiyoda", "131016")).filter { $0.state == .requested }
            return [
                "tokyo-unread": tokyo.count, "incoming": incoming.count, "alerts": alerts.count,
                "requests": requests.count, "forms": try store.reports.forms().count,
                "night": store.contacts(of: "131016").nightHoliday == nil ? 0 : 1,
            ]
        }
        let played = try counts()
        #expect(played["tokyo-unread", default: 0] >= 2, "\(played)")
        #expect(played["incoming"] == 1 && played["alerts"] == 1 && played["requests"] == 1 && played["forms"] == 1 && played["night"] == 1)
        // A second run (make run again) adds nothing.
        let second = try CommandRun.mimamori(["demo-logins", "--data", data.path])
        #expect(second.status == 0 && !second.standardOutput.contains("Waiting in the demo"))
        #expect(try counts() == played)
    }
}
