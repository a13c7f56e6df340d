import Foundation
import MimamoriTesting
import Store
import Testing
import Web

/// Progress management and the shared caseload, through the real server: a municipality and
/// its CGC prepare their 要保護児童対策地域協議会 実務者会議 from each other's cases.
@Suite(.serialized)
struct CaseworkTests {
    typealias Who = APIFixture.Who

    /// 千代田区's case (the fixture's), a CGC case about a child living in 千代田区, a CGC case about
    /// a child in 中央区 (not 千代田区's business), and a closed 千代田区 case.
    static func fixture() throws -> APIFixture {
        try APIFixture(lines: [
            RecordFixture.line("C-1"),
            RecordFixture.line(
                "CGC-1", authority: "130001-01",
                ["child.given_name": RecordFixture.json("次郎"), "child.given_name_kana": RecordFixture.json("ジロウ")]),
            RecordFixture.line(
                "CGC-2", authority: "130001-01",
                [
                    "child.given_name": RecordFixture.json("三郎"), "child.given_name_kana": RecordFixture.json("サブロウ"),
                    "address": #"{"prefecture": "東京都", "municipality": "中央区", "line": "銀座1-1"}"#,
                    "consultations": #"[{"date": "2024-06-01", "source": "police", "abuse_types": ["physical"], "status": "open"}]"#,
                ]),
            RecordFixture.line("C-2", ["status": RecordFixture.json("closed"), "child.given_name": RecordFixture.json("四郎")]),
        ])
    }

    static func caseload(_ f: APIFixture, _ query: String, as who: Who) throws -> (total: Int, cases: [[String: Any]]) {
        let reply = try f.send("GET", "/api/v1/caseload\(query)", as: who)
        try #require(reply.status == 200, "\(query) as \(who): \(reply.status) \(reply.body.prefix(300))")
        let object = try APIFixture.object(reply)
        return (object["total"] as? Int ?? -1, object["cases"] as? [[String: Any]] ?? [])
    }

    static func externalIDs(_ cases: [[String: Any]]) -> Set<String> { Set(cases.compactMap { $0["external_id"] as? String }) }

    static func caseID(_ f: APIFixture, _ externalID: String, holder: String) throws -> String {
        try #require(try f.store.cases.list(heldBy: holder, as: .localAdministrator, limit: 200).first { $0.record.externalID == externalID }?.id)
    }

    @Test("the holder sets progress; the partner reads it with the plan history; the audit names the fields, never the plan")
    func progressRoundTrip() throws {
        let f = try Self.fixture()
        let path = "/api/v1/cases/\(try Self.caseID(f, "C-1", holder: "131016"))/progress"
        let first = try f.send(
            "PATCH", path, as: .holder, headers: [],
            body: Array(
                #"{"category": "protected", "assignee": "chiyoda", "risk": "high", "next_review": "2026-01-10", "plan": "週1回の家庭訪問"}"#.utf8),
            contentType: "application/merge-patch+json")
        #expect(first.status == 200, "\(first.body.prefix(300))")
        let stored = try APIFixture.object(first)
        #expect(stored["category"] as? String == "protected" && stored["assignee"] as? String == "chiyoda")
        #expect(stored["next_review"] as? String == "2026-01-10" && stored["updated_by"] as? String != nil)
        // A second plan; the risk member absent stays as it was; null clears the review date.
        let second = try f.send("PATCH", path, as: .holder, json: #"{"plan": "学校と連携し見守り", "next_review": null}"#)
        #expect(second.status == 200, "\(second.body.prefix(300))")

        let read = try APIFixture.object(try f.send("GET", path, as: .partnerCGC))
        let progress = try #require(read["progress"] as? [String: Any])
        #expect(progress["risk"] as? String == "high" && progress["plan"] as? String == "学校と連携し見守り")
        #expect(progress["next_review"] == nil)
        let plans = try #require(read["plans"] as? [[String: Any]])
        #expect(plans.map { $0["plan"] as? String } == ["学校と連携し見守り", "週1回の家庭訪問"])
        #expect(plans.first?["authority"] as? String == "131016")

        let trail = try f.store.auditLog.auditTrail(of: "131016", as: .localAdministrator)
        let changes = trail.filter { $0.action == "case.progress" }
        #expect(changes.count == 2)
        #expect(changes.contains { $0.detail?.contains("changed=category,assignee,risk,next_review,plan") == true })
        #expect(!trail.contains { ($0.detail ?? "").contains("家庭訪問") }, "the plan's text reached the audit log")
        // The partner's read is audited as a read of the record.
        #expect(try f.auditCount(action: "case.read", actor: .partnerCGC) >= 1)
    }

    @Test("a wrong progress value is refused by name and nothing is written")
    func progressRefusals() throws {
        let f = try Self.fixture()
        let path = "/api/v1/cases/\(try Self.caseID(f, "C-1", holder: "131016"))/progress"
        let cases: [(String, Int, String)] = [
            (#"{"category": "urgent"}"#, 400, "category must be one of protected, support, expectant"),
            (#"{"risk": 3}"#, 400, "risk must be a string or null"),
            (#"{"assignee": "tokyo-cgc"}"#, 400, "not an active user of 131016"),
            (#"{"assignee": "nobody"}"#, 400, "not an active user of 131016"),
            (#"{"next_review": "2026-02-30"}"#, 400, "not a whole date"),
            (#"{"next_review": "2026-02"}"#, 400, "not a whole date"),
            (#"{"next_review": "9999-01-01"}"#, 400, "not a whole date"),
            (#"{"plan": "\#(String(repeating: "あ", count: 4_001))"}"#, 400, "at most 4000 characters"),
            (#"{"plan": "a\u0007b"}"#, 400, "control character"),
            (#"{"owner": "x"}"#, 400, "unknown member owner"),
            (#"["plan"]"#, 400, "must be a JSON object"),
            (#"{"plan": "#, 400, "not JSON"),
        ]
        for (body, status, reason) in cases {
            let reply = try f.send("PATCH", path, as: .holder, json: body)
            #expect(reply.status == status, "\(body.prefix(60)): \(reply.status)")
            #expect(reply.body.contains(reason), "\(body.prefix(60)): \(reply.body.prefix(300))")
        }
        let read = try APIFixture.object(try f.send("GET", path, as: .holder))
        #expect((read["progress"] as? [String: Any])?.isEmpty == true && (read["plans"] as? [Any])?.isEmpty == true)
        // Another authority cannot change it, whatever it sends (refused before the body is looked at).
        for who in [Who.partnerCGC, .municipalityElsewhere, .ministry] {
            #expect(try f.send("PATCH", path, as: who, json: #"{"owner": "x"}"#).status == 403, "\(who)")
        }
    }

    @Test("a municipality and its CGC each list their own cases and the partner cases about the municipality's children")
    func sharedCaseload() throws {
        let f = try Self.fixture()
        // 千代田区: its two cases, and the CGC's case about a child living in 千代田区 (not the one in 中央区).
        let chiyoda = try Self.caseload(f, "", as: .holder)
        #expect(Self.externalIDs(chiyoda.cases) == ["C-1", "C-2", "CGC-1"], "\(chiyoda.cases)")
        #expect(chiyoda.total == 3)
        #expect(Self.externalIDs(try Self.caseload(f, "?scope=partners", as: .holder).cases) == ["CGC-1"])
        #expect(Self.externalIDs(try Self.caseload(f, "?scope=own&status=open", as: .holder).cases) == ["C-1"])
        // The CGC: its own two cases and 千代田区's cases (the children live in its jurisdiction).
        let cgc = try Self.caseload(f, "", as: .partnerCGC)
        #expect(Self.externalIDs(cgc.cases) == ["C-1", "C-2", "CGC-1", "CGC-2"])
        let partnerRow = try #require(cgc.cases.first { $0["external_id"] as? String == "C-1" })
        #expect(partnerRow["own"] as? Bool == false && (partnerRow["holder"] as? [String: Any])?["code"] as? String == "131016")
        // 中央区 sees the CGC's case about its child, not 千代田区's; elsewhere sees nothing of these.
        #expect(Self.externalIDs(try Self.caseload(f, "", as: .municipalityInJurisdiction).cases) == ["CGC-2"])
        #expect(try Self.caseload(f, "", as: .municipalityElsewhere).total == 0)
        #expect(try Self.caseload(f, "", as: .cgcElsewhere).total == 0)
        // Reading partner cases is audited like reading their records: the holder sees who looked.
        let views = try APIFixture.object(try f.send("GET", "/api/v1/cases/\(try Self.caseID(f, "C-1", holder: "131016"))/views", as: .holder))
        let viewers = (views["views"] as? [[String: Any]] ?? []).compactMap { $0["authority"] as? String }
        #expect(viewers.contains("130001-01"), "\(views)")
        #expect(try f.auditCount(action: "caseload.read", actor: .partnerCGC) == 1)
        // A holder that tightens the partner relation below reading the record drops out of the CGC's list.
        let tightened = try f.send("PUT", "/api/v1/settings", as: .holderAdmin, json: #"{"access_rules": {"partner": ["summary"]}}"#)
        #expect(tightened.status == 200, "\(tightened.body.prefix(300))")
        #expect(Self.externalIDs(try Self.caseload(f, "?scope=partners", as: .partnerCGC).cases).isEmpty)
    }

    @Test("filters: category, assignee=me, review due and overdue, abuse type, changed since; sorted and paged with a true total")
    func filters() throws {
        let f = try Self.fixture()
        let cgcCase = try Self.caseID(f, "CGC-1", holder: "130001-01")
        let chiyodaCase = try Self.caseID(f, "C-1", holder: "131016")
        let today = RecordValidator.todayInJapan()
        let soon = Casework.date(daysAfter: today, 3)
        let past = Casework.date(daysAfter: today, -3)
        let later = Casework.date(daysAfter: today, 60)
        _ = try f.store.users.create(
            login: "cgc-2", authority: "130001-01", role: .worker, displayName: "cgc-2", password: APIFixture.password, as: .localAdministrator)
        func set(_ id: String, _ who: Who, _ json: String) throws {
            let reply = try f.send("PATCH", "/api/v1/cases/\(id)/progress", as: who, json: json)
            try #require(reply.status == 200, "\(reply.body.prefix(300))")
        }
        try set(chiyodaCase, .holder, #"{"category": "protected", "assignee": "chiyoda", "next_review": "\#(past)"}"#)
        try set(cgcCase, .partnerCGC, #"{"category": "support", "assignee": "tokyo-cgc", "next_review": "\#(soon)"}"#)
        let cgcCase2 = try Self.caseID(f, "CGC-2", holder: "130001-01")
        try set(cgcCase2, .partnerCGC, #"{"category": "protected", "assignee": "cgc-2", "next_review": "\#(later)"}"#)

        #expect(Self.externalIDs(try Self.caseload(f, "?category=protected", as: .partnerCGC).cases) == ["C-1", "CGC-2"])
        #expect(Self.externalIDs(try Self.caseload(f, "?assignee=me", as: .partnerCGC).cases) == ["CGC-1"])
        #expect(Self.externalIDs(try Self.caseload(f, "?review=overdue", as: .partnerCGC).cases) == ["C-1"])
        #expect(Self.externalIDs(try Self.caseload(f, "?review=due", as: .partnerCGC).cases) == ["C-1", "CGC-1"])
        #expect(Self.externalIDs(try Self.caseload(f, "?abuse_type=physical", as: .partnerCGC).cases) == ["CGC-2"])
        #expect(Self.externalIDs(try Self.caseload(f, "?abuse_type=neglect&scope=own", as: .partnerCGC).cases) == ["CGC-1"])
        #expect(try Self.caseload(f, "?changed_since=\(Casework.date(daysAfter: today, 2))", as: .partnerCGC).total == 0)
        #expect(try Self.caseload(f, "?changed_since=\(past)", as: .partnerCGC).total == 4)
        // Sorted by review date (none last); a page of 1 keeps the true total.
        let byReview = try Self.caseload(f, "?sort=review", as: .partnerCGC).cases.compactMap { $0["external_id"] as? String }
        #expect(byReview.prefix(3) == ["C-1", "CGC-1", "CGC-2"])
        let page = try Self.caseload(f, "?sort=review&limit=1&offset=1", as: .partnerCGC)
        #expect(page.total == 4 && Self.externalIDs(page.cases) == ["CGC-1"])
        // Every wrong value is a 400 naming it.
        for query in [
            "scope=mine", "status=pending", "category=urgent", "review=soon", "abuse_type=verbal", "sort=age", "limit=0",
            "limit=201", "offset=-1", "offset=1e300", "changed_since=yesterday", "format=xlsx", "assignee=\(String(repeating: "a", count: 65))",
        ] {
            let reply = try f.send("GET", "/api/v1/caseload?\(query)", as: .partnerCGC)
            #expect(reply.status == 400, "\(query): \(reply.status)")
        }
        // The ministry and operators hold no caseload.
        for who in [Who.ministry, .systemOperator] {
            #expect(try f.send("GET", "/api/v1/caseload", as: who).status == 403, "\(who)")
        }
    }

    @Test("the 実務者会議 list: registered open cases of both, with the plans and notes since the previous meeting, also as a sheet")
    func meetingList() throws {
        let f = try Self.fixture()
        let cgcCase = try Self.caseID(f, "CGC-1", holder: "130001-01")
        let chiyodaCase = try Self.caseID(f, "C-1", holder: "131016")
        #expect(
            try f.send("PATCH", "/api/v1/cases/\(chiyodaCase)/progress", as: .holder, json: #"{"category": "protected", "plan": "見守り"}"#).status
                == 200)
        #expect(try f.send("PATCH", "/api/v1/cases/\(cgcCase)/progress", as: .partnerCGC, json: #"{"category": "support"}"#).status == 200)
        #expect(try f.send("POST", "/api/v1/cases/\(chiyodaCase)/notes", as: .partnerCGC, json: #"{"text": "学校から連絡あり"}"#).status == 201)

        let today = RecordValidator.todayInJapan().iso
        for who in [Who.holder, .partnerCGC] {
            let reply = try f.send("GET", "/api/v1/caseload/meeting?since=\(today)", as: who)
            try #require(reply.status == 200, "\(reply.body.prefix(300))")
            let cases = try #require(try APIFixture.object(reply)["cases"] as? [[String: Any]])
            // Unregistered cases (CGC-2, the closed C-2) are not on it; 要保護 comes before 要支援.
            #expect(cases.compactMap { $0["external_id"] as? String } == ["C-1", "CGC-1"], "\(who)")
            let since = try #require(cases.first?["since"] as? [String: Any])
            #expect((since["plans"] as? [[String: Any]])?.first?["plan"] as? String == "見守り")
            #expect(since["notes"] as? Int == 1)
        }
        let tomorrow = Casework.date(daysAfter: RecordValidator.todayInJapan(), 1)
        let quiet = try APIFixture.object(try f.send("GET", "/api/v1/caseload/meeting?since=\(tomorrow)", as: .holder))
        let first = (quiet["cases"] as? [[String: Any]])?.first?["since"] as? [String: Any]
        #expect((first?["plans"] as? [Any])?.isEmpty == true && first?["notes"] as? Int == 0)

        let sheet = try f.send("GET", "/api/v1/caseload/meeting?since=\(today)&format=csv", as: .holder)
        #expect(sheet.status == 200 && APIFixture.header("Content-Type", of: sheet)?.hasPrefix("text/csv") == true)
        let lines = sheet.body.split(whereSeparator: \.isNewline)
        #expect(lines.first?.contains("要対協区分") == true && lines.first?.contains("前回以降の方針変更") == true)
        #expect(lines.count == 3 && lines[1].contains("要保護児童") && lines[2].contains("連携先"), "\(sheet.body.prefix(600))")
        for query in ["", "?since=2026-13-01", "?since=\(String(repeating: "9", count: 500))"] {
            #expect(try f.send("GET", "/api/v1/caseload/meeting\(query)", as: .holder).status == 400, "\(query)")
        }
    }

    @Test("progress moves with a case to another prefecture, without the former holder's person in charge")
    func progressMovesWithTheCase() throws {
        let f = try Self.fixture()
        let path = "/api/v1/cases/\(try Self.caseID(f, "C-1", holder: "131016"))/progress"
        #expect(try f.send("PATCH", path, as: .holder, json: #"{"category": "protected", "assignee": "chiyoda", "plan": "転居前の方針"}"#).status == 200)
        try f.store.cases.move(id: try Self.caseID(f, "C-1", holder: "131016"), to: "271004", as: .localAdministrator)
        let read = try APIFixture.object(try f.send("GET", path, as: .municipalityElsewhere))
        let progress = try #require(read["progress"] as? [String: Any])
        #expect(progress["category"] as? String == "protected" && progress["plan"] as? String == "転居前の方針")
        #expect(progress["assignee"] == nil)
        #expect((read["plans"] as? [[String: Any]])?.count == 1)
        // The new holder assigns one of its own users; the former holder's user is refused.
        #expect(try f.send("PATCH", path, as: .municipalityElsewhere, json: #"{"assignee": "chiyoda"}"#).status == 400)
        #expect(try f.send("PATCH", path, as: .municipalityElsewhere, json: #"{"assignee": "osaka"}"#).status == 200)
    }

    @Test("each relation gets exactly what the rules allow on the casework routes, and every refusal is audited")
    func accessMatrix() throws {
        let f = try Self.fixture()
        let id = try Self.caseID(f, "C-1", holder: "131016")
        let endpoints: [AccessMatrixTests.Endpoint] = [
            .init(
                name: "GET /api/v1/cases/{id}/progress",
                expected: AccessMatrixTests.expect(200, partner: 200, inJurisdiction: 403, elsewhere: 403, ministry: 403, ops: 404)
            ) { try $0.send("GET", "/api/v1/cases/\(id)/progress", as: $1) },
            .init(
                name: "PATCH /api/v1/cases/{id}/progress",
                expected: AccessMatrixTests.expect(200, partner: 403, inJurisdiction: 403, elsewhere: 403, ministry: 403, ops: 404)
            ) { try $0.send("PATCH", "/api/v1/cases/\(id)/progress", as: $1, json: #"{"risk": "medium"}"#) },
            .init(
                name: "GET /api/v1/caseload",
                expected: AccessMatrixTests.expect(200, partner: 200, inJurisdiction: 200, elsewhere: 200, ministry: 403, ops: 403)
            ) { try $0.send("GET", "/api/v1/caseload", as: $1) },
            .init(
                name: "GET /api/v1/caseload/meeting",
                expected: AccessMatrixTests.expect(200, partner: 200, inJurisdiction: 200, elsewhere: 200, ministry: 403, ops: 403)
            ) { try $0.send("GET", "/api/v1/caseload/meeting?since=2026-01-01", as: $1) },
        ]
        try AccessMatrixTests.run(endpoints, on: f, audited: [403])
    }
}

/// The caseload through the pages: the holder keeps progress on the case page, both sides
/// list each other's cases, and the meeting list prints what changed.
@Suite(.serialized)
struct CaseworkPageTests {
    static func post(_ f: APIFixture, _ path: String, cookie: String, _ fields: [(String, String)]) throws -> RawHTTPClient.Reply {
        let body = fields.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&")
        return try f.send("POST", path, headers: ["Cookie: \(cookie)"], body: Array(body.utf8), contentType: "application/x-www-form-urlencoded")
    }

    @Test("the holder sets progress on the case page; the CGC finds the case in its caseload and in the meeting list")
    func pages() throws {
        let f = try CaseworkTests.fixture()
        let id = try CaseworkTests.caseID(f, "C-1", holder: "131016")
        let (cookie, casePage, csrf) = try FormValidationTests.open(f, .holder, "/cases/\(id)")
        #expect(casePage.body.contains("進行管理") && casePage.body.contains("name=\"assignee\""))
        #expect(casePage.body.contains("<option value=\"chiyoda\""), "the holder's users are offered as 担当者")
        let saved = try Self.post(
            f, "/cases/\(id)/progress", cookie: cookie,
            [
                ("csrf_token", csrf), ("category", "protected"), ("assignee", "chiyoda"), ("risk", "high"), ("next_review", "2026-01-10"),
                ("plan", "週1回の家庭訪問"),
            ])
        #expect(saved.status == 303, "\(saved.status) \(saved.body.prefix(300))")
        let shown = try f.send("GET", "/cases/\(id)", headers: ["Cookie: \(cookie)"])
        #expect(shown.body.contains("要保護児童") && shown.body.contains("週1回の家庭訪問") && shown.body.contains("期限超過"))
        // A wrong value is refused with the reason, and nothing changes.
        let refused = try Self.post(f, "/cases/\(id)/progress", cookie: cookie, [("csrf_token", csrf), ("next_review", "2026-02-30")])
        #expect(refused.status == 400 && refused.body.contains("next_review"), "\(refused.status)")

        // The partner CGC: no form on the case page (it may not change the progress), the case in its caseload.
        let (cgcCookie, cgcCase, _) = try FormValidationTests.open(f, .partnerCGC, "/cases/\(id)")
        #expect(cgcCase.body.contains("週1回の家庭訪問") && !cgcCase.body.contains("name=\"assignee\""))
        let list = try f.send("GET", "/caseload?scope=partners&category=protected", headers: ["Cookie: \(cgcCookie)"])
        #expect(list.status == 200 && list.body.contains("C-1") && list.body.contains("連携先") && !list.body.contains("CGC-2"))
        let today = RecordValidator.todayInJapan().iso
        let meeting = try f.send("GET", "/caseload/meeting?since=\(today)", headers: ["Cookie: \(cgcCookie)"])
        #expect(meeting.status == 200 && meeting.body.contains("山田 太郎") && meeting.body.contains("方針変更"), "\(meeting.status)")
        #expect(try f.send("GET", "/caseload/meeting?since=yesterday", headers: ["Cookie: \(cgcCookie)"]).status == 400)
        // The worker's own page: the cases assigned to the signed-in user.
        let mine = try f.send("GET", "/caseload?assignee=me", headers: ["Cookie: \(cookie)"])
        #expect(mine.body.contains("担当ケース") && mine.body.contains("C-1") && !mine.body.contains(">C-2<"))
        // The partner POSTing the holder's form is refused.
        let (_, _, cgcCSRF) = try FormValidationTests.open(f, .partnerCGC, "/caseload")
        #expect(try Self.post(f, "/cases/\(id)/progress", cookie: cgcCookie, [("csrf_token", cgcCSRF), ("risk", "low")]).status == 403)
    }
}

/// Notify on view: the holder marks a case, and every read by another authority lands in its inbox.
@Suite(.serialized)
struct NotifyOnViewTests {
    static func viewNotices(_ f: APIFixture) throws -> [[String: Any]] {
        let inbox = try APIFixture.object(try f.send("GET", "/api/v1/notifications", as: .holder))
        return (inbox["notifications"] as? [[String: Any]] ?? []).filter { ($0["kind"] as? String)?.hasSuffix(".viewed") == true }
    }

    @Test(
        "a watched case opened by the partner CGC puts who, when and what in the holder's inbox; exempted partners and the holder's own staff do not")
    func notices() throws {
        let f = try APIFixture()
        let id = f.caseID
        let uploaded = try f.send(
            "POST", "/api/v1/cases/\(id)/attachments?name=photo.png", as: .holder, body: APIFixture.png, contentType: "image/png")
        let attachment = try #require(try APIFixture.object(uploaded)["id"] as? String)
        #expect(try f.send("GET", "/api/v1/cases/\(id)", as: .partnerCGC).status == 200)
        #expect(try Self.viewNotices(f).isEmpty, "a read before the watch was noticed")

        // Only the holder may set it, refused before the body is read.
        for who in [APIFixture.Who.partnerCGC, .municipalityElsewhere, .ministry] {
            #expect(try f.send("PUT", "/api/v1/cases/\(id)/watch", as: who, json: "not json").status == 403, "\(who)")
        }
        #expect(try f.send("PUT", "/api/v1/cases/\(id)/watch", as: .holder, json: #"{"watch": "yes"}"#).status == 400)
        let set = try f.send("PUT", "/api/v1/cases/\(id)/watch", as: .holder, json: #"{"watch": true}"#)
        let setting = try APIFixture.object(set)
        #expect(set.status == 200 && setting["exempt_partners"] as? Bool == false)

        #expect(try f.send("GET", "/api/v1/cases/\(id)", as: .partnerCGC).status == 200)
        #expect(try f.send("GET", "/api/v1/attachments/\(attachment)", as: .partnerCGC).status == 200)
        #expect(try f.send("GET", "/api/v1/cases/\(id)", as: .holder).status == 200)  // the holder's own: no notice
        let notices = try Self.viewNotices(f)
        #expect(notices.compactMap { $0["kind"] as? String }.sorted() == ["attachment.viewed", "case.viewed"], "\(notices)")
        #expect(notices.allSatisfy { $0["from"] as? String == "130001-01" && $0["ref"] as? String == "tokyo-cgc" && $0["case_id"] as? String == id })

        // The partner's caseload showing the case counts as a read of it.
        #expect(try f.send("GET", "/api/v1/caseload?scope=partners", as: .partnerCGC).body.contains(id))
        #expect(try Self.viewNotices(f).count == 3)
        // Routine partner reads exempted: no more notices from the partner.
        #expect(try f.send("PUT", "/api/v1/cases/\(id)/watch", as: .holder, json: #"{"watch": true, "exempt_partners": true}"#).status == 200)
        #expect(try f.send("GET", "/api/v1/cases/\(id)", as: .partnerCGC).status == 200)
        #expect(try f.send("GET", "/api/v1/caseload?scope=partners", as: .partnerCGC).status == 200)
        #expect(try Self.viewNotices(f).count == 3)
        // Off again.
        #expect(try f.send("PUT", "/api/v1/cases/\(id)/watch", as: .holder, json: #"{"watch": false}"#).status == 200)
        #expect(try f.send("PUT", "/api/v1/cases/\(id)/watch", as: .holder, json: #"{"watch": true}"#).status == 200)
        // The inbox page names the reader.
        let (cookie, _, _) = try FormValidationTests.open(f, .holder, "/inbox")
        let inbox = try f.send("GET", "/inbox", headers: ["Cookie: \(cookie)"])
        #expect(inbox.body.contains("閲覧通知の対象ケースを他機関が閲覧しました") && inbox.body.contains("tokyo-cgc"))
    }
}

/// Transfers as caseworkers need them: the destination reads what it is asked to accept, and
/// the former holder keeps the record as it left.
@Suite(.serialized)
struct TransferReadingTests {
    @Test("the destination reads the record (read-only, audited) while the transfer awaits its confirmation, and not once it is declined")
    func destinationReadsBeforeConfirming() throws {
        let f = try APIFixture()
        let path = "/api/v1/cases/\(f.caseID)"
        #expect(try f.send("GET", path, as: .municipalityElsewhere).status == 403)
        let transfer = try TransferAPITests.propose(f, kind: "transfer")
        let id = try #require(transfer["id"] as? String)
        let read = try f.send("GET", path, as: .municipalityElsewhere)
        #expect(read.status == 200, "\(read.body.prefix(200))")
        let capabilities = try APIFixture.object(read)["capabilities"] as? [String] ?? []
        #expect(Set(capabilities) == ["summary", "record", "attachments"], "\(capabilities)")
        #expect(try f.send("PATCH", path, as: .municipalityElsewhere, headers: ["If-Match: \"1\""], json: #"{"notes": "x"}"#).status == 403)
        #expect(try f.send("POST", "\(path)/notes", as: .municipalityElsewhere, json: #"{"text": "x"}"#).status == 403)
        // Audited as the destination's read, listed for the holder.
        let trail = try f.store.auditLog.auditTrail(of: "271004", as: .localAdministrator)
        #expect(trail.contains { $0.action == "case.read" && ($0.detail ?? "").contains("as=destination,other") })
        // Other authorities gain nothing from someone else's transfer.
        #expect(try f.send("GET", path, as: .cgcElsewhere).status == 403)
        #expect(try TransferAPITests.step(f, id, "decline", as: .municipalityElsewhere, json: #"{"reason": "管轄外"}"#).status == 200)
        #expect(try f.send("GET", path, as: .municipalityElsewhere).status == 403)
    }

    @Test("after a case transfer the former holder reads the record as it left, not the new holder's edits; the new holder sees that read")
    func formerHolderKeepsTheRecordAsItLeft() throws {
        let f = try APIFixture()
        let path = "/api/v1/cases/\(f.caseID)"
        #expect(try f.send("POST", "\(path)/notes", as: .holder, json: #"{"text": "転居前の最後の記録"}"#).status == 201)
        #expect(try f.send("GET", "\(path)/former", as: .holder).status == 404, "no former record while the case is its own")
        let id = try #require(try TransferAPITests.propose(f, kind: "transfer")["id"] as? String)
        #expect(try TransferAPITests.step(f, id, "confirm", as: .municipalityElsewhere).status == 200)
        // The new holder changes the record.
        let version = try f.store.cases.read(id: f.caseID, as: .localAdministrator).version
        #expect(
            try f.send("PATCH", path, as: .municipalityElsewhere, headers: ["If-Match: \"\(version)\""], json: #"{"notes": "大阪市で受理後に更新"}"#)
                .status == 200)
        #expect(try f.send("GET", path, as: .holder).status == 403)

        let former = try f.send("GET", "\(path)/former", as: .holder)
        #expect(former.status == 200, "\(former.body.prefix(300))")
        let object = try APIFixture.object(former)
        #expect((object["holder_then"] as? [String: Any])?["code"] as? String == "131016")
        #expect((object["holder_now"] as? [String: Any])?["code"] as? String == "271004")
        #expect(!former.body.contains("大阪市で受理後に更新") && former.body.contains("転居前の最後の記録"))
        // Nobody else reads it; the new holder sees the former holder's read among the reads of its case.
        for who in [APIFixture.Who.partnerCGC, .cgcElsewhere, .municipalityElsewhere, .systemOperator] {
            #expect(try f.send("GET", "\(path)/former", as: who).status == 404, "\(who)")
        }
        let views = try APIFixture.object(try f.send("GET", "\(path)/views", as: .municipalityElsewhere))
        #expect(
            (views["views"] as? [[String: Any]] ?? []).contains { $0["authority"] as? String == "131016" && $0["action"] as? String == "case.read" })
        // The page: read-only, with no actions.
        let (cookie, _, _) = try FormValidationTests.open(f, .holder, "/transfers")
        let transfers = try f.send("GET", "/transfers", headers: ["Cookie: \(cookie)"])
        #expect(transfers.body.contains("/cases/\(f.caseID)/former"))
        let page = try f.send("GET", "/cases/\(f.caseID)/former", headers: ["Cookie: \(cookie)"])
        #expect(page.status == 200 && page.body.contains("移管した時点") && !page.body.contains("/edit\""), "\(page.status)")
    }
}

/// Corrections without losing history: a wrong photo voided.
@Suite(.serialized)
struct VoidAttachmentTests {
    @Test("a wrong photo voided by the holder is gone for every reader, kept and audited; no one else may void it")
    func voidWrongPhoto() throws {
        let f = try APIFixture()
        let uploaded = try f.send(
            "POST", "/api/v1/cases/\(f.caseID)/attachments?name=wrong.png", as: .holder, body: APIFixture.png, contentType: "image/png")
        let id = try #require(try APIFixture.object(uploaded)["id"] as? String)
        #expect(try f.send("GET", "/api/v1/attachments/\(id)", as: .partnerCGC).status == 200)
        // Only the holder; a reason is required.
        for who in [APIFixture.Who.partnerCGC, .municipalityElsewhere, .ministry] {
            #expect(try f.send("POST", "/api/v1/attachments/\(id)/void", as: who, json: "not json").status == 403, "\(who)")
        }
        #expect(try f.send("POST", "/api/v1/attachments/\(id)/void", as: .holder, json: #"{"reason": "  "}"#).status == 400)
        #expect(try f.send("POST", "/api/v1/attachments/\(id)/void", as: .holder, json: #"{}"#).status == 400)
        #expect(try f.send("POST", "/api/v1/attachments/\(id)/void", as: .holder, json: #"{"reason": "別の児童の写真"}"#).status == 204)
        // Gone for every reader: the file, the case document, the page.
        for who in [APIFixture.Who.holder, .partnerCGC] {
            #expect(try f.send("GET", "/api/v1/attachments/\(id)", as: who).status == 404, "\(who)")
            #expect(!(try f.send("GET", "/api/v1/cases/\(f.caseID)", as: who).body.contains(id)), "\(who)")
        }
        let (cookie, _, _) = try FormValidationTests.open(f, .holder, "/inbox")
        #expect(!(try f.send("GET", "/cases/\(f.caseID)", headers: ["Cookie: \(cookie)"]).body.contains(id)))
        // Kept, and in the audit (the reason stays out of the audit detail).
        let kept = try CommandRun.sqlite(
            f.store.dataDirectory.appendingPathComponent("catalogue.sqlite"), "SELECT reason FROM voided_attachments WHERE attachment_id = '\(id)'")
        #expect(kept.contains("別の児童の写真"))
        let trail = try f.store.auditLog.auditTrail(of: "131016", as: .localAdministrator)
        #expect(trail.contains { $0.action == "attachment.void" && $0.detail == "attachment=\(id)" })
        #expect(try f.send("POST", "/api/v1/attachments/\(id)/void", as: .holder, json: #"{"reason": "again"}"#).status == 404)
    }
}

/// Field visibility per relation: a holder hides family situation and the street address from its partner.
@Suite(.serialized)
struct HiddenFieldTests {
    @Test("fields hidden from the partner are absent from its API answer and pages, still shown to the holder and to other relations")
    func hiddenFromPartner() throws {
        let f = try APIFixture(lines: [
            RecordFixture.line(
                "C-1", ["family_situation": RecordFixture.json("父の失職後に転居を繰り返す"), "notes": RecordFixture.json("備考の記載")])
        ])
        let path = "/api/v1/cases/\(f.caseID)"
        #expect(try f.send("GET", path, as: .partnerCGC).body.contains("父の失職後"))
        // Only administrators; only relations that read the record; only known fields.
        #expect(try f.send("PUT", "/api/v1/settings", as: .holder, json: #"{"hidden_fields": {"partner": ["family_situation"]}}"#).status == 403)
        for body in [
            #"{"hidden_fields": {"other": ["notes"]}}"#, #"{"hidden_fields": {"partner": ["child_name"]}}"#, #"{"hidden_fields": ["notes"]}"#,
        ] {
            #expect(try f.send("PUT", "/api/v1/settings", as: .holderAdmin, json: body).status == 400, "\(body)")
        }
        let set = try f.send(
            "PUT", "/api/v1/settings", as: .holderAdmin, json: #"{"hidden_fields": {"partner": ["family_situation", "address_line"]}}"#)
        #expect(set.status == 200, "\(set.body.prefix(300))")
        #expect(((try APIFixture.object(set)["hidden_fields"] as? [String: Any])?["partner"] as? [String]) == ["address_line", "family_situation"])

        let partner = try f.send("GET", path, as: .partnerCGC)
        #expect(partner.status == 200 && !partner.body.contains("父の失職後") && !partner.body.contains("千代田1-1"))
        #expect(partner.body.contains("備考の記載"), "a field not hidden went missing")
        #expect((try APIFixture.object(partner)["hidden_fields"] as? [String]) == ["family_situation", "address_line"])
        // The holder still sees everything.
        let holder = try f.send("GET", path, as: .holder)
        #expect(holder.body.contains("父の失職後") && holder.body.contains("千代田1-1"))
        // The partner's pages: the case page and the print view leave them out and say so.
        let (cookie, _, _) = try FormValidationTests.open(f, .partnerCGC, "/search")
        for page in ["/cases/\(f.caseID)", "/cases/\(f.caseID)/print"] {
            let body = try f.send("GET", page, headers: ["Cookie: \(cookie)"]).body
            #expect(!body.contains("父の失職後") && !body.contains("千代田1-1") && body.contains("保有機関の設定により表示されない項目"), "\(page)")
        }
        // Shown again.
        #expect(try f.send("PUT", "/api/v1/settings", as: .holderAdmin, json: #"{"hidden_fields": {"partner": []}}"#).status == 200)
        #expect(try f.send("GET", path, as: .partnerCGC).body.contains("父の失職後"))
    }
}

/// An expectant mother's case (特定妊婦): registered before the birth, found by the mother's
/// name, and continued as the child's case once the birth is recorded.
@Suite(.serialized)
struct ExpectantMotherTests {
    static let mother =
        #"[{"relation": "mother", "family_name": "植田", "given_name": "沙希", "family_name_kana": "ウエダ", "given_name_kana": "サキ", "birthdate": "2004-02-11", "sex": "female"}]"#

    static func search(_ f: APIFixture, _ query: String, as who: APIFixture.Who = .partnerCGC) throws -> [[String: Any]] {
        let reply = try f.send("GET", "/api/v1/search?q=" + query.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!, as: who)
        try #require(reply.status == 200, "\(reply.body.prefix(200))")
        return try APIFixture.object(reply)["hits"] as? [[String: Any]] ?? []
    }

    @Test("registered without a child, found by the mother's name, then the birth recorded and the child found")
    func beforeAndAfterBirth() throws {
        let f = try APIFixture()
        let delivery = Casework.date(daysAfter: RecordValidator.todayInJapan(), 90).prefix(7)
        let record = RecordFixture.line(
            "TOKUTEI-1", ["child": "null", "guardians": Self.mother, "expected_delivery": RecordFixture.json(String(delivery))])
        let created = try f.send("POST", "/api/v1/cases", as: .holder, json: record)
        try #require(created.status == 201, "\(created.body.prefix(300))")
        let id = try #require(try APIFixture.object(created)["case_id"] as? String)
        #expect(try f.send("PATCH", "/api/v1/cases/\(id)/progress", as: .holder, json: #"{"category": "expectant"}"#).status == 200)
        let stored = try APIFixture.object(try f.send("GET", "/api/v1/cases/\(id)", as: .holder))
        let child = (stored["record"] as? [String: Any])?["child"] as? [String: Any]
        #expect(child?["family_name"] as? String == "植田" && child?["given_name"] == nil && child?["birthdate"] == nil)

        // The partner CGC finds it by the mother's name and birthdate.
        let byMother = try Self.search(f, "うえだ さき 2004-02-11")
        #expect(byMother.contains { $0["case_id"] as? String == id }, "\(byMother.prefix(3))")
        // It is on the 実務者会議 list as 特定妊婦.
        let meeting = try APIFixture.object(
            try f.send("GET", "/api/v1/caseload/meeting?since=\(RecordValidator.todayInJapan().iso)", as: .partnerCGC))
        #expect((meeting["cases"] as? [[String: Any]] ?? []).contains { $0["case_id"] as? String == id })

        // The birth is recorded on the same case: the child is then found by its own name and birthdate.
        let birthdate = RecordValidator.todayInJapan().iso
        let version = try #require(stored["version"] as? Int)
        let born = try f.send(
            "PATCH", "/api/v1/cases/\(id)", as: .holder, headers: ["If-Match: \"\(version)\""],
            json: #"{"child": {"given_name": "陽葵", "given_name_kana": "ヒマリ", "birthdate": "\#(birthdate)", "sex": "female"}}"#)
        #expect(born.status == 200, "\(born.body.prefix(300))")
        let byChild = try Self.search(f, "うえだ ひまり \(birthdate)")
        #expect(byChild.first { $0["case_id"] as? String == id }?["grade"] as? String == "exact", "\(byChild.prefix(2))")

        // Refusals: no child and no expected delivery; no mother; a delivery years away.
        let refusals: [(String, String)] = [
            (RecordFixture.line("T-2", ["child": "null"]), "child"),
            (
                RecordFixture.line("T-3", ["child": "null", "guardians": "[]", "expected_delivery": RecordFixture.json(String(delivery))]),
                "guardians"
            ),
            (RecordFixture.line("T-4", ["child": "null", "guardians": Self.mother, "expected_delivery": #""2040-01""#]), "expected_delivery"),
        ]
        for (line, field) in refusals {
            let reply = try f.send("POST", "/api/v1/cases", as: .holder, json: line)
            #expect(reply.status == 400 && reply.body.contains(field), "\(field): \(reply.status) \(reply.body.prefix(200))")
        }
    }
}
