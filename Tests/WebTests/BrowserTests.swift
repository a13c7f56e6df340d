import Foundation
import MimamoriTesting
import Store
import Testing
import Web

/// Journeys in a real headless Chromium (scripts/browser/*.py, Selenium from Debian), against the
/// real server. Screenshots go to .build/test-artefacts/browser/.
@Suite(.serialized)
struct BrowserTests {
    @Test("an intake worker signs in and searches by keyboard, in hiragana with a 和暦 birthdate, and sees the graded hit")
    func searchJourney() throws {
        let f = try APIFixture()
        let root = TestStore.dictionaries.deletingLastPathComponent()
        let artefacts = root.appendingPathComponent(".build/test-artefacts/browser/search")
        let run = try CommandRun.program(URL(fileURLWithPath: "/usr/bin/python3"), [
            root.appendingPathComponent("scripts/browser/journey_search.py").path, "http://127.0.0.1:\(f.client.port)", "osaka",
            APIFixture.password, artefacts.path,
        ])
        #expect(run.status == 0, "\(run.standardError.suffix(3000))")
        #expect(run.standardOutput.contains("enter_to_results_ms"))
        for shot in ["01-login.png", "02-results.png"] {
            #expect(FileManager.default.fileExists(atPath: artefacts.appendingPathComponent(shot).path), "\(shot)")
        }
    }
}
