import Foundation
import MimamoriTesting
import Testing

struct ServeTests {
    @Test("mimamori serve answers on its port and stops cleanly on SIGTERM")
    func serveAndStop() throws {
        let test = try TestStore()
        let running = try CommandRun.start(["serve", "--data", test.dataDirectory.path, "--port", "0"])
        let banner = try #require(running.waitForOutput(containing: "Serving on"), "no banner")
        let port = try #require(banner.split(separator: ":").last.flatMap { UInt16($0.prefix { $0.isNumber }) })
        #expect(try RawHTTPClient(port: port).get("/healthz")?.status == 200)
        running.signal(SIGTERM)
        let run = CommandRun.finish(running)
        #expect(run.status == 0 && !run.killedBySignal, "status \(run.status), signal \(run.killedBySignal): \(run.standardError)")
        #expect(run.standardOutput.contains("Stopped."))
    }
}
