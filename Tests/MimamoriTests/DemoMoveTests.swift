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
