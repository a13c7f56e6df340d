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

    @Test("mimamori serve keeps other accounts out of the data folder: 0700 for it, 0600 for its files, each change logged")
    func tightensPermissions() throws {
        let test = try TestStore()
        let data = test.dataDirectory
        let catalogue = data.appendingPathComponent("catalogue.sqlite")
        chmod(data.path, 0o755)
        chmod(catalogue.path, 0o644)
        let running = try CommandRun.start(["serve", "--data", data.path, "--port", "0", "--no-access-log"])
        #expect(running.waitForOutput(containing: "Serving on") != nil)
        running.signal(SIGTERM)
        let run = CommandRun.finish(running)
        #expect(run.standardError.contains("data folder permissions tightened"))
        #expect(try FileManager.default.attributesOfItem(atPath: data.path)[.posixPermissions] as? Int == 0o700)
        #expect(try FileManager.default.attributesOfItem(atPath: catalogue.path)[.posixPermissions] as? Int == 0o600)
        // Files the server creates itself are 0600 (umask 077): the search index, for one.
        let index = data.appendingPathComponent("index.sqlite")
        #expect(try FileManager.default.attributesOfItem(atPath: index.path)[.posixPermissions] as? Int == 0o600)
    }

    @Test("mimamori serve --config reads mimamori.toml; options on the command line override it; an unknown key is a usage error")
    func configurationFile() throws {
        let test = try TestStore()
        let file = test.folder.url.appendingPathComponent("mimamori.toml")
        try """
        data = "\(test.dataDirectory.path)"
        port = 1
        access-log = false
        public-url = ["https://mimamori.example.lg.jp"]

        """.write(to: file, atomically: true, encoding: .utf8)
        let running = try CommandRun.start(["serve", "--config", file.path, "--port", "0"])
        #expect(running.waitForOutput(containing: "Serving on") != nil, "the command line's --port 0 wins over the file's port 1")
        running.signal(SIGTERM)
        let run = CommandRun.finish(running)
        #expect(run.standardError.contains("mimamori.example.lg.jp"), "the file's public-url is served")
        try "prot = 8080\n".write(to: file, atomically: true, encoding: .utf8)
        let refused = try CommandRun.mimamori(["serve", "--config", file.path])
        #expect(refused.status == 64 && refused.standardError.contains("\"prot\" is not a serve option"), "\(refused.standardError)")
    }
}
