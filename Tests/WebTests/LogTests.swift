import Foundation
import HTTPServer
import MimamoriTesting
import Store
import Testing

/// The service's log: every failure of the store during a request is logged at the edge, and
/// no line holds personal data (names, readings, birthdates, addresses, search terms stay in
/// the audit log's designated fields).
@Suite(.serialized)
struct LogTests {
    /// A child, guardian and address found nowhere else in the suite.
    static let personal = ["鬼灯", "朔夜", "ホオズキ", "サクヤ", "2017-03-14", "十六夜", "イザヨイ", "神田須田町9-9-9", "ほおずき"]

    static func record(_ externalID: String) -> String {
        RecordFixture.line(
            externalID,
            [
                "child.family_name": RecordFixture.json("鬼灯"), "child.given_name": RecordFixture.json("朔夜"),
                "child.family_name_kana": RecordFixture.json("ホオズキ"), "child.given_name_kana": RecordFixture.json("サクヤ"),
                "child.birthdate": RecordFixture.json("2017-03-14"),
                "guardians":
                    #"[{"relation": "mother", "family_name": "鬼灯", "given_name": "十六夜", "family_name_kana": "ホオズキ", "given_name_kana": "イザヨイ"}]"#,
                "address": #"{"prefecture": "東京都", "municipality": "千代田区", "line": "神田須田町9-9-9"}"#,
            ])
    }

    @Test(
        "a SQLite failure injected under a request is logged with its diagnostic, answered 500 without it, and no log line of the suite holds personal data"
    )
    func injectedFailureAndPrivacy() throws {
        let f = try APIFixture()
        #expect(try f.send("POST", "/api/v1/cases", as: .holder, json: Self.record("LOG-1")).status == 201)
        let search = try f.send(
            "GET", "/api/v1/search?q=%E3%81%BB%E3%81%8A%E3%81%9A%E3%81%8D%20%E3%81%95%E3%81%8F%E3%82%84%202017-03-14", as: .partnerCGC)
        #expect(search.status == 200 && search.body.contains("朔夜"))
        #expect(try f.send("POST", "/api/v1/session", json: #"{"login": "hozuki", "password": "鬼灯朔夜2017-03-14"}"#).status == 401)

        // The injected failure: a table the inbox and every case write need is gone.
        _ = try CommandRun.sqlite(
            f.store.dataDirectory.appendingPathComponent("catalogue.sqlite"), "DROP TABLE webhook_deliveries; DROP TABLE notifications;")
        let inbox = try f.send("GET", "/api/v1/notifications", as: .partnerCGC)
        #expect(inbox.status == 500)
        #expect(!inbox.body.contains("notifications"), "the diagnostic stays in the log: \(inbox.body)")
        let write = try f.send("POST", "/api/v1/cases", as: .holder, json: Self.record("LOG-2"))
        #expect(write.status == 500)
        let logged = TestLogs.lines.filter {
            $0.hasPrefix("the store failed during a request ") && $0.contains("no such table: notifications")
        }
        #expect(logged.count >= 2, "\(TestLogs.lines.suffix(5))")

        let leaking = TestLogs.lines.filter { line in Self.personal.contains { line.contains($0) } }
        #expect(leaking.isEmpty, "log lines with personal data: \(leaking)")
    }

    @Test("mimamori serve writes its log as JSON lines on standard error: a store failure under a request is one line with its level and diagnostic")
    func jsonLinesFromTheServer() throws {
        let f = try APIFixture()
        f.server.stop()
        let running = try CommandRun.start(["serve", "--data", f.store.dataDirectory.path, "--port", "0", "--no-access-log"])
        let banner = try #require(running.waitForOutput(containing: "Serving on"))
        let port = try #require(UInt16(banner.split(separator: ":").last?.split(separator: "/").first ?? ""))
        _ = try CommandRun.sqlite(
            f.store.dataDirectory.appendingPathComponent("catalogue.sqlite"), "DROP TABLE webhook_deliveries; DROP TABLE notifications;")
        let request =
            "GET /api/v1/notifications HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nAuthorization: Bearer \(f.tokens[.holder]!)\r\n\r\n"
        #expect(try RawHTTPClient(port: port).send(Array(request.utf8))?.status == 500)
        running.process.terminate()
        let run = CommandRun.finish(running)
        let lines = run.standardError.split(separator: "\n").compactMap { line in
            try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String]
        }
        let failure = lines.first { $0["message"] == "the store failed during a request" }
        #expect(failure?["level"] == "error" && failure?["ts"] != nil && failure?["error"]?.contains("no such table") == true, "\(run.standardError)")
        #expect(!run.standardError.contains("山田"), "no personal data in the log")
    }
}
