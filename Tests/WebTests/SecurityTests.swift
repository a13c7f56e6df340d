import Dispatch
import Foundation
import MimamoriTesting
import Query
import Testing

@testable import Store
@testable import Web

/// Findings of the live attack (docs/security.md), each through the real server.
@Suite(.serialized)
struct SecurityTests {
    typealias Who = APIFixture.Who

    @Test("four eyes: with approval required, whoever proposed a transfer cannot approve it (refused and audited); another supervisor can")
    func fourEyes() throws {
        let f = try APIFixture()
        #expect(try f.send("PUT", "/api/v1/settings", as: .holderAdmin, json: #"{"approval_required": true}"#).status == 200)
        let proposed = try f.send(
            "POST", "/api/v1/cases/\(f.caseID)/transfers", as: .holderAdmin,
            json: #"{"destination": "271004", "kind": "provision", "reason": "転居のため"}"#)
        #expect(proposed.status == 201)
        let id = try #require(try APIFixture.object(proposed)["id"] as? String)
        let denied = try f.auditCount(action: "denied", actor: .holderAdmin)
        let own = try TransferAPITests.step(f, id, "approve", as: .holderAdmin)
        #expect(own.status == 403 && own.body.contains("someone other than"), "\(own.body)")
        #expect(try f.auditCount(action: "denied", actor: .holderAdmin) == denied + 1)
        try f.store.users.create(
            login: "chiyoda-supervisor", authority: "131016", role: .supervisor, displayName: "千代田区 係長", password: APIFixture.password,
            as: .localAdministrator)
        let token = try f.store.tokens.create(for: "chiyoda-supervisor", label: "test", days: 1, as: .localAdministrator).token
        let other = try f.send("POST", "/api/v1/transfers/\(id)/approve", headers: ["Authorization: Bearer \(token)"], json: "{}")
        #expect(other.status == 200, "\(other.body)")
    }

    @Test("the ministry's CSV export keeps a value that starts with a tab or a carriage return as text, like one starting with = + - @")
    func csvFormulaPrefixes() throws {
        let f = try APIFixture()
        let published = try f.send(
            "POST", "/api/v1/reports", as: .ministry,
            json: #"{"year": 2026, "title": "配置状況", "fields": [{"key": "note", "label": "備考", "type": "text"}]}"#)
        let form = try #require(try APIFixture.object(published)["id"] as? String)
        for (who, value) in [(Who.holder, "\\t=HYPERLINK(1)"), (.partnerCGC, "\\r=cmd"), (.municipalityElsewhere, "@SUM(1)")] {
            #expect(try f.send("PUT", "/api/v1/reports/\(form)/submission", as: who, json: #"{"answers": {"note": "\#(value)"}}"#).status == 204)
        }
        let csv = try f.send("GET", "/api/v1/reports/\(form)/export", as: .ministry).body
        #expect(csv.contains("'\t=HYPERLINK(1)") && csv.contains("'@SUM(1)"), "\(csv)")
        #expect(csv.contains("\"'\r=cmd\""), "a carriage return is quoted and kept as text: \(csv)")
    }

    @Test("a summary-only search hit does not carry the holder's own record number; a full hit does")
    func summaryWithoutRecordNumber() throws {
        let f = try APIFixture()
        let query = "/api/v1/search?q=%E5%B1%B1%E7%94%B0%20%E5%A4%AA%E9%83%8E%202018-04-01"
        for (who, access) in [(Who.holder, "full"), (.municipalityElsewhere, "summary"), (.cgcElsewhere, "summary")] {
            let hits = try #require(try APIFixture.object(try f.send("GET", query, as: who))["hits"] as? [[String: Any]])
            let hit = try #require(hits.first { $0["case_id"] as? String == f.caseID })
            #expect(hit["access"] as? String == access)
            #expect((hit["external_id"] as? String) == (access == "full" ? "C-1" : nil), "\(who): \(hit)")
        }
    }

    @Test(
        "sign-in throttling holds under a burst: of 40 parallel wrong passwords at most 5 are checked, the rest are 429, and the login is then locked"
    )
    func atomicThrottle() throws {
        let f = try APIFixture()
        let outcomes = SecurityTests.Statuses()
        DispatchQueue.concurrentPerform(iterations: 40) { attempt in
            let reply = try? f.send("POST", "/api/v1/session", json: #"{"login": "chiyoda", "password": "wrong password \#(attempt)"}"#)
            outcomes.add(reply?.status ?? 0)
        }
        let checked = try f.store.auditLog.entries(as: .localAdministrator, limit: 10_000)
            .filter { $0.target == "chiyoda" && ($0.action == "login.refused" || $0.action == "login") }.count
        #expect(checked <= Users.maxFailedLogins, "\(checked) guesses were checked")
        #expect(Set(outcomes.all).isSubset(of: [401, 429]), "\(outcomes.all)")
        #expect(outcomes.all.filter { $0 == 429 }.count >= 40 - Users.maxFailedLogins)
        let right = try f.send("POST", "/api/v1/session", json: #"{"login": "chiyoda", "password": "\#(APIFixture.password)"}"#)
        #expect(right.status == 429, "the locked login is refused even with the right password")
    }

    @Test("a wrong password takes about as long for an unknown or disabled login as for a real one (no enumeration by timing)")
    func noLoginEnumerationByTiming() throws {
        let f = try APIFixture()
        try f.store.users.disable("osaka", as: .localAdministrator)
        func median(_ login: (Int) -> String) throws -> Double {
            var times: [Double] = []
            for attempt in 0..<4 {
                let started = DispatchTime.now().uptimeNanoseconds
                let reply = try f.send("POST", "/api/v1/session", json: #"{"login": "\#(login(attempt))", "password": "a wrong password"}"#)
                times.append(Double(DispatchTime.now().uptimeNanoseconds - started) / 1e6)
                #expect(reply.status == 401)
            }
            return times.sorted()[times.count / 2]
        }
        let real = try median { _ in "chiyoda" }
        let unknown = try median { "nobody-\($0)" }
        let disabled = try median { _ in "osaka" }
        // Before the decoy hash an unknown login answered in ~1 ms against ~68 ms for a real one.
        #expect(unknown > real * 0.3 && disabled > real * 0.3, "real \(real) ms, unknown \(unknown) ms, disabled \(disabled) ms")
    }

    @Test(
        "refusals decided before any Store operation are audited too: a missing CSRF token (API and page), another authority's notification, the settings page"
    )
    func everyRefusalAudited() throws {
        let f = try APIFixture()
        let cookie = try PageCheckTests.signIn(f, .holder)
        func denials() throws -> Int { try f.auditCount(action: "denied", actor: .holder) }
        var before = try denials()
        let api = try f.send("POST", "/api/v1/tokens", headers: ["Cookie: \(cookie)"], json: #"{"label": "x"}"#)
        #expect(api.status == 403)
        #expect(try denials() == before + 1, "an API request without its CSRF token")
        before = try denials()
        let page = try WebPageTests.form(f, "/cases/\(f.caseID)/notes", "text=x", headers: ["Cookie: \(cookie)"])
        #expect(page.status == 403)
        #expect(try denials() == before + 1, "a page form without its CSRF token")
        // 東京都児童相談センター's inbox holds a new case's notification; 千代田区 may not open it.
        #expect(try f.send("POST", "/api/v1/cases", as: .holderAdmin, json: RecordFixture.line("N-1")).status == 201)
        let theirs = try #require(try f.store.notifications.inbox(of: "130001-01", as: .localAdministrator).first?.id)
        before = try denials()
        #expect(try f.send("POST", "/api/v1/notifications/\(theirs)/read", as: .holder, json: "{}").status == 404)
        #expect(try denials() == before + 1, "another authority's notification")
        before = try denials()
        #expect(try f.send("GET", "/settings", headers: ["Cookie: \(cookie)"]).status == 403)
        #expect(try denials() == before + 1, "the settings page for a worker")
    }

    @Test(
        "a ministry flag opens nothing by itself: it is a request the holder's supervisor or administrator confirms, and both reach the holder's inbox and the case's views"
    )
    func ministryFlagIsARequest() throws {
        let f = try APIFixture()
        let id = f.caseID
        let asked = try f.send("PUT", "/api/v1/cases/\(id)/flag", as: .ministry, json: #"{"serious": true}"#)
        #expect(asked.status == 202 && asked.body.contains(#""state":"requested""#), "\(asked.body)")
        #expect(try f.send("GET", "/api/v1/cases/\(id)", as: .ministry).status == 403, "a request alone opens nothing")
        #expect(try f.send("GET", "/api/v1/cases/\(id)/attachments", as: .ministry).status != 200)
        let deniedBefore = try f.auditCount(action: "denied", actor: .holder)
        #expect(try f.send("POST", "/api/v1/cases/\(id)/flag/confirm", as: .holder, json: "{}").status == 403, "a worker does not confirm")
        #expect(try f.auditCount(action: "denied", actor: .holder) == deniedBefore + 1)
        #expect(try f.send("POST", "/api/v1/cases/\(id)/flag/confirm", as: .ministry, json: "{}").status == 403, "nor does the ministry")
        #expect(try f.send("POST", "/api/v1/cases/\(id)/flag/confirm", as: .holderAdmin, json: "{}").status == 200)
        #expect(try f.send("GET", "/api/v1/cases/\(id)", as: .ministry).status == 200, "confirmed, the ministry reads")
        #expect(try f.send("POST", "/api/v1/cases/\(id)/flag/confirm", as: .holderAdmin, json: "{}").status == 409, "nothing left to confirm")
        let inbox = try f.send("GET", "/api/v1/notifications", as: .holder).body
        #expect(inbox.contains("flag.requested") && inbox.contains("flag.confirmed"), "\(inbox)")
        #expect(try f.send("GET", "/api/v1/notifications", as: .ministry).body.contains("flag.confirmed"))
        let views = try f.send("GET", "/api/v1/cases/\(id)/views", as: .holder).body
        #expect(views.contains("case.flag.request") && views.contains("case.flag.confirm"), "\(views)")
        // The holder's own flag takes effect at once.
        let holder = Actor.user(login: "chiyoda", authority: "131016", role: .worker)
        let other = try f.store.cases.create(json: Array(RecordFixture.line("FLAG-2").utf8), as: holder).id
        let own = try f.send("PUT", "/api/v1/cases/\(other)/flag", as: .holder, json: #"{"serious": true}"#)
        #expect(own.status == 200 && own.body.contains(#""state":"confirmed""#))
        #expect(try f.send("GET", "/api/v1/cases/\(other)", as: .ministry).status == 200)
    }

    @Test(
        "access does not outlive a case transfer: the former holder's information provisions end, and its open alert follows the case to the new holder"
    )
    func accessFollowsTheCase() throws {
        // Provisions: 大阪市 reads through a grant from 千代田区 until the case moves to 大阪市こども相談センター.
        let f = try APIFixture()
        let provision = try #require(try TransferAPITests.propose(f, kind: "provision")["id"] as? String)
        #expect(try TransferAPITests.step(f, provision, "confirm", as: .municipalityElsewhere).status == 200)
        #expect(try f.send("GET", "/api/v1/cases/\(f.caseID)", as: .municipalityElsewhere).status == 200)
        let transfer = try #require(try TransferAPITests.propose(f, kind: "transfer", to: "271004-01")["id"] as? String)
        #expect(try TransferAPITests.step(f, transfer, "confirm", as: .cgcElsewhere).status == 200)
        #expect(try f.send("GET", "/api/v1/cases/\(f.caseID)", as: .municipalityElsewhere).status == 403, "the grant ended with the move")

        // Alerts: 東京都児童相談センター's open alert moves with its case to 大阪市こども相談センター.
        let cgc = try APIFixture(lines: [RecordFixture.line("A-1", authority: "130001-01")], caseHolder: "130001-01")
        let opened = try cgc.send("POST", "/api/v1/cases/\(cgc.caseID)/alerts", as: .partnerCGC, json: #"{"circumstances": "11月20日朝から所在不明"}"#)
        #expect(opened.status == 201, "\(opened.body)")
        let alert = try #require(try APIFixture.object(opened)["id"] as? String)
        let moved = try cgc.send(
            "POST", "/api/v1/cases/\(cgc.caseID)/transfers", as: .partnerCGC,
            json: #"{"destination": "271004-01", "kind": "transfer", "reason": "転居のため"}"#)
        let id = try #require(try APIFixture.object(moved)["id"] as? String)
        #expect(try TransferAPITests.step(cgc, id, "confirm", as: .cgcElsewhere).status == 200)
        let read = try cgc.send("GET", "/api/v1/alerts/\(alert)", as: .cgcElsewhere)
        #expect(try APIFixture.object(read)["origin"] as? String == "271004-01", "\(read.body)")
        #expect(
            try cgc.send("POST", "/api/v1/alerts/\(alert)/close", as: .partnerCGC, json: "{}").status == 403, "the former holder no longer owns it")
        #expect(try cgc.send("POST", "/api/v1/alerts/\(alert)/close", as: .cgcElsewhere, json: "{}").status == 200)
    }

    @Test(
        "a holder's tightened rules hold for alerts and match alerts too: no profile, photo, answer or inbox item for a narrowed alert relation, and no match alert revealing a case hidden from others"
    )
    func tightenedRulesEverywhere() throws {
        let cgc = try APIFixture(lines: [RecordFixture.line("A-1", authority: "130001-01")], caseHolder: "130001-01")
        try cgc.store.settings.setAccessRule(of: "130001-01", for: .alertRecipient, to: [.seeSummary], as: .localAdministrator)
        let opened = try cgc.send("POST", "/api/v1/cases/\(cgc.caseID)/alerts", as: .partnerCGC, json: #"{"circumstances": "所在不明"}"#)
        let alert = try #require(try APIFixture.object(opened)["id"] as? String)
        #expect(!(try cgc.send("GET", "/api/v1/alerts", as: .cgcElsewhere).body.contains(alert)))
        #expect(try cgc.send("GET", "/api/v1/alerts/\(alert)", as: .cgcElsewhere).status == 403)
        #expect(try cgc.send("GET", "/api/v1/alerts/\(alert)/photo", as: .cgcElsewhere).status == 403)
        #expect(
            try cgc.send("POST", "/api/v1/alerts/\(alert)/responses", as: .cgcElsewhere, json: #"{"kind": "located", "text": "保護"}"#).status == 403)
        #expect(!(try cgc.send("GET", "/api/v1/notifications", as: .cgcElsewhere).body.contains(alert)))

        // 千代田区 hides its cases from other authorities; 大阪市 registers the same child.
        let f = try APIFixture()
        try f.store.settings.setAccessRule(of: "131016", for: .other, to: [], as: .localAdministrator)
        let same = RecordFixture.line("OSAKA-1", authority: "271004", ["address": #"{"prefecture": "大阪府", "municipality": "大阪市"}"#])
        #expect(try f.send("POST", "/api/v1/cases", as: .municipalityElsewhere, json: same).status == 201)
        f.matches.waitUntilIdle()
        let osakaInbox = try f.send("GET", "/api/v1/notifications", as: .municipalityElsewhere).body
        #expect(!osakaInbox.contains(f.caseID), "大阪市 must not learn of 千代田区's hidden case: \(osakaInbox)")
        #expect(try f.send("GET", "/api/v1/notifications", as: .holder).body.contains("match.found"), "千代田区 may still learn of 大阪市's")
    }

    @Test(
        "a note is at most 4,000 characters, and a case shows its 20 most recent notes with the total; the rest are read page by page (API and pages)"
    )
    func notesCappedAndPaged() throws {
        let f = try APIFixture()
        let id = f.caseID
        let tooLong = try f.send("POST", "/api/v1/cases/\(id)/notes", as: .partnerCGC, json: #"{"text": "\#(String(repeating: "あ", count: 4_001))"}"#)
        #expect(tooLong.status == 400 && tooLong.body.contains("4000"), "\(tooLong.body)")
        #expect(
            try f.send("POST", "/api/v1/cases/\(id)/notes", as: .partnerCGC, json: #"{"text": "\#(String(repeating: "あ", count: 4_000))"}"#).status
                == 201)
        for n in 1...60 {
            #expect(try f.send("POST", "/api/v1/cases/\(id)/notes", as: .partnerCGC, json: #"{"text": "note \#(n)"}"#).status == 201)
        }
        let record = try APIFixture.object(try f.send("GET", "/api/v1/cases/\(id)", as: .holder))
        let shown = try #require(record["notes"] as? [[String: Any]])
        #expect(record["notes_total"] as? Int == 61)
        #expect(shown.compactMap { $0["text"] as? String } == (41...60).map { "note \($0)" }, "the 20 most recent, oldest first")

        func page(_ query: String, as who: APIFixture.Who = .holder) throws -> RawHTTPClient.Reply {
            try f.send("GET", "/api/v1/cases/\(id)/notes\(query)", as: who)
        }
        let first = try APIFixture.object(try page("?limit=50"))
        #expect(first["total"] as? Int == 61)
        #expect((first["notes"] as? [[String: Any]])?.first?["text"] as? String == "note 60", "newest first")
        let last = try APIFixture.object(try page("?limit=50&offset=50"))
        #expect((last["notes"] as? [[String: Any]])?.count == 11)
        #expect(try page("?limit=201").status == 400)
        #expect(try page("?offset=1000001").status == 400)
        #expect(try page("", as: .municipalityInJurisdiction).status == 403, "only whoever may read the record reads its notes")
        #expect(try page("", as: .systemOperator).status == 404)

        // The page shows the most recent notes and links to all of them, 50 to a page.
        let cookie = try PageCheckTests.signIn(f, .holder)
        func get(_ path: String) throws -> RawHTTPClient.Reply { try f.send("GET", path, headers: ["Cookie: \(cookie)"]) }
        let casePage = try get("/cases/\(id)")
        #expect(casePage.body.contains("note 60") && !casePage.body.contains("note 40"))
        #expect(casePage.body.contains("href=\"/cases/\(id)/notes\"") && casePage.body.contains("全61件"))
        let notesPage = try get("/cases/\(id)/notes?page=2")
        #expect(
            notesPage.status == 200 && notesPage.body.contains("note 10") && !notesPage.body.contains("note 11<"), "\(notesPage.body.prefix(300))")
        #expect(try get("/cases/\(id)/notes?page=99999999999").status == 400)
    }

    @Test(
        "a route the caller may not use at all, API or page, is refused and audited before its body is read: a malformed body gets the same 403 as a good one"
    )
    func permissionBeforeBody() throws {
        let f = try APIFixture()
        var sessions: [Who: (cookie: String, csrf: String)] = [:]
        for who in Who.allCases {
            let cookie = try PageCheckTests.signIn(f, who)
            let page = try f.send("GET", "/password", headers: ["Cookie: \(cookie)"]).body
            let csrf = try #require(page.components(separatedBy: #"name="csrf_token" value=""#).dropFirst().first?.prefix(64))
            sessions[who] = (cookie, String(csrf))
        }
        let junk = "year=1e300&title=&fields=%00&login=%00&password=x&grant_days=-1&kind=x&text="
        var checked = 0
        for (route, permission) in WebApplication.preconditions {
            let path = route.template.replacingOccurrences(of: "{id}", with: "00000000-0000-0000-0000-000000000000")
            for who in Who.allCases {
                let actor = Actor.user(login: who.rawValue, authority: who.authority, role: who.role)
                guard !f.store.allows(permission(actor), actor) else { continue }
                let deniedBefore = try f.auditCount(action: "denied", actor: who)
                let reply: RawHTTPClient.Reply
                if route.template.hasPrefix("/api/") {
                    reply = try f.send(route.method, path, as: who, body: Array("{\"year\": 1e300, \"answers\": ".utf8))
                } else {
                    let session = try #require(sessions[who])
                    reply = try WebPageTests.form(f, path, "csrf_token=\(session.csrf)&" + junk, headers: ["Cookie: \(session.cookie)"])
                }
                #expect(reply.status == 403, "\(route.method) \(route.template) as \(who): \(reply.status) \(reply.body.prefix(200))")
                #expect(try f.auditCount(action: "denied", actor: who) == deniedBefore + 1, "\(route.method) \(route.template) as \(who)")
                checked += 1
            }
        }
        #expect(checked > 40)
    }

    /// Statuses collected from several threads.
    final class Statuses: @unchecked Sendable {  // every access holds `lock`
        private let lock = NSLock()
        private var statuses: [Int] = []
        func add(_ status: Int) { lock.withLock { statuses.append(status) } }
        var all: [Int] { lock.withLock { statuses } }
    }
}
