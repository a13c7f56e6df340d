import Foundation
import MimamoriTesting
import Store
import Testing
import Web

/// Every page each user reaches, by the menu or by any link on a page, and every refusal,
/// is a Japanese page that passes the page check (headers, same origin, labels, keyboard focus).
@Suite(.serialized)
struct PageCheckTests {
    typealias Who = APIFixture.Who

    /// Signs in through the login form and returns the session cookie (`mimamori_session=…`).
    static func signIn(_ f: APIFixture, _ who: Who) throws -> String {
        let code = try f.secondFactorCode(for: who).map { "&second_factor=\($0)" } ?? ""
        let reply = try WebPageTests.form(
            f, "/login", "login=\(who.rawValue)&password=" + APIFixture.password.replacingOccurrences(of: " ", with: "+") + code)
        #expect(reply.status == 303, "\(who) could not sign in: \(reply.status)")
        return try #require(WebPageTests.cookie(of: reply), "\(who) got no session cookie")
    }

    /// The pages each user opens first; the check then follows every link they show.
    static func startPages(_ f: APIFixture) -> [String] {
        let q = "やまだ".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        return [
            "/search", "/search?q=\(q)", "/cases", "/cases/new", "/cases/\(f.caseID)", "/cases/\(f.caseID)/edit", "/cases/\(f.caseID)/request",
            "/inbox", "/transfers", "/requests", "/alerts", "/reports", "/settings", "/users", "/audit", "/serious",
        ]
    }

    /// A fixture whose pages have something on them: a note, a photo, a serious flag, an
    /// information request, an information provision, a missing-child alert with its answer
    /// (on a second case, held by the Tokyo CGC) and a published annual report form.
    static func busyFixture() throws -> APIFixture {
        let f = try APIFixture(lines: [RecordFixture.line("C-1"), RecordFixture.line("CGC-1", authority: "130001-01")])
        let id = f.caseID
        func require(_ reply: RawHTTPClient.Reply, _ step: String) throws {
            try #require((200..<300).contains(reply.status), "\(step): \(reply.status) \(reply.body.prefix(300))")
        }
        try require(try f.send("POST", "/api/v1/cases/\(id)/notes", as: .holder, json: #"{"text": "家庭訪問。本人と面会<b>済み</b>"}"#), "note")
        try require(
            try f.send("POST", "/api/v1/cases/\(id)/attachments?name=injury.png", as: .holder, body: APIFixture.png, contentType: "image/png"),
            "photo")
        try require(try f.send("PUT", "/api/v1/cases/\(id)/flag", as: .holder, json: #"{"serious": true}"#), "flag")
        try require(
            try f.send("POST", "/api/v1/cases/\(id)/requests", as: .municipalityElsewhere, json: #"{"reason": "転入届なしで転入、学校から通告"}"#),
            "request")
        try require(
            try f.send(
                "POST", "/api/v1/cases/\(id)/transfers", as: .holder,
                json: #"{"destination": "131024", "kind": "provision", "reason": "きょうだいが中央区に在住"}"#),
            "provision")
        let cgcCase = try #require(try f.store.cases.list(heldBy: "130001-01", as: .localAdministrator).first?.id)
        let photo = try f.send("POST", "/api/v1/cases/\(cgcCase)/attachments", as: .partnerCGC, body: APIFixture.png, contentType: "image/png")
        try require(photo, "alert photo")
        let photoID = try #require(try APIFixture.object(photo)["id"] as? String)
        let alert = try f.send(
            "POST", "/api/v1/cases/\(cgcCase)/alerts", as: .partnerCGC,
            json: #"{"circumstances": "11月24日夕方、下校後に帰宅せず", "photo_attachment_id": "\#(photoID)"}"#)
        try require(alert, "alert")
        let alertID = try #require(try APIFixture.object(alert)["id"] as? String)
        try require(
            try f.send("POST", "/api/v1/alerts/\(alertID)/responses", as: .cgcElsewhere, json: #"{"kind": "information", "text": "大阪駅付近で似た児童"}"#),
            "answer")
        let report = """
            {"year": 2026, "title": "児童相談所職員配置状況調査", "fields": [{"key": "child_welfare_officers", "label": "児童福祉司数", "type": "integer"}, \
            {"key": "remarks", "label": "備考", "type": "text"}]}
            """
        try require(try f.send("POST", "/api/v1/reports", as: .ministry, json: report), "report form")
        return f
    }

    @Test("every page each user reaches from the menu or a link, and every refusal, is a sound Japanese page")
    func everyPagePasses() throws {
        let f = try Self.busyFixture()
        let css = try f.send("GET", "/static/app.css")
        #expect(css.status == 200)
        Self.expectFocusVisible(css.body)
        let login = try f.send("GET", "/login")
        #expect(login.status == 200)
        Self.expectStrict(login, "/login (signed out)")

        for who in Who.allCases {
            let cookie = try Self.signIn(f, who)
            var queue = Self.startPages(f).map { (path: $0, linked: false) }
            var seen = Set(queue.map(\.path))
            var checked = 0
            var reachedByLink = 0
            while !queue.isEmpty, checked < 200 {
                let (path, linked) = queue.removeFirst()
                checked += 1
                let reply = try f.send("GET", path, headers: ["Cookie: \(cookie)"])
                let page = "\(who.rawValue) GET \(path)"
                #expect(reply.status < 500, "\(page): \(reply.status)")
                if reply.status == 303 {
                    let location = APIFixture.header("Location", of: reply) ?? ""
                    #expect(Self.isSameOrigin(location) && location != "/login", "\(page) → \(location)")
                    if let next = Self.crawlable(location), seen.insert(next).inserted { queue.append((next, linked)) }
                    continue
                }
                let type = APIFixture.header("Content-Type", of: reply) ?? ""
                // A photo or document is a download that the browser may not run or sniff.
                if reply.status == 200, APIFixture.header("Content-Disposition", of: reply)?.hasPrefix("attachment;") == true {
                    #expect(
                        ["image/png", "image/jpeg", "image/webp", "application/pdf"].contains(type) || type.hasPrefix("text/csv"), "\(page): \(type)")
                    #expect(APIFixture.header("Content-Security-Policy", of: reply)?.hasPrefix("sandbox") == true, "\(page)")
                    continue
                }
                // Refusals too are pages: Japanese HTML with the message, never a JSON problem.
                #expect(type.hasPrefix("text/html"), "\(page): \(reply.status) \(type) \(reply.body.prefix(200))")
                guard type.hasPrefix("text/html") else { continue }
                Self.expectStrict(reply, page)
                if reply.status >= 400 {
                    #expect(reply.body.contains(#"role="alert""#) && Self.hasJapanese(Self.alertText(reply.body)), "\(page): no Japanese message")
                }
                // A link the page shows must lead somewhere the user may go.
                if linked {
                    #expect(reply.status == 200, "\(page) is linked from a page but answers \(reply.status)")
                    reachedByLink += 1
                }
                for tag in HTMLTag.all(in: reply.body) where tag.name == "a" {
                    if let next = tag["href"].flatMap(Self.crawlable), seen.insert(next).inserted { queue.append((next, true)) }
                }
            }
            // Every user has at least the annual report form to follow a link to.
            #expect(reachedByLink > 0, "\(who.rawValue): no page was reached by a link")
        }
    }

    /// Expected statuses by page and user (a set when either refusal is right).
    static let access: [(path: String, expected: [Who: Set<Int>], otherwise: Set<Int>?)] = [
        ("/settings", [.holderAdmin: [200]], [403]),
        ("/users", [.holderAdmin: [200]], [403]),
        ("/audit", [.holderAdmin: [200], .holder: [403], .partnerCGC: [403], .ministry: [403], .systemOperator: [403]], nil),
        ("/serious", [.ministry: [200]], [403]),
        (
            "/cases/{id}",
            [
                .holder: [200], .holderAdmin: [200], .partnerCGC: [200], .municipalityElsewhere: [403, 404], .cgcElsewhere: [403, 404],
                .systemOperator: [403, 404],
            ], nil
        ),
        ("/cases/{id}/edit", [.holder: [200], .municipalityElsewhere: [403, 404], .systemOperator: [403, 404]], nil),
        (
            "/cases/{id}/print",
            [
                .holder: [200], .holderAdmin: [200], .partnerCGC: [200], .municipalityElsewhere: [403, 404], .cgcElsewhere: [403, 404],
                .ministry: [403, 404], .systemOperator: [403, 404],
            ], nil
        ),
        ("/cases/{id}/request", [.municipalityElsewhere: [200]], nil),
    ]

    @Test("each user is let in, or refused with a Japanese page, as the access rules say")
    func whoMayOpenWhat() throws {
        let f = try APIFixture()
        for who in Who.allCases {
            let cookie = try Self.signIn(f, who)
            for (template, expected, otherwise) in Self.access {
                guard let statuses = expected[who] ?? otherwise else { continue }
                let path = template.replacingOccurrences(of: "{id}", with: f.caseID)
                let reply = try f.send("GET", path, headers: ["Cookie: \(cookie)"])
                #expect(statuses.contains(reply.status), "\(who.rawValue) GET \(path): \(reply.status), expected \(statuses.sorted())")
                #expect(APIFixture.header("Content-Type", of: reply)?.hasPrefix("text/html") == true, "\(who.rawValue) GET \(path)")
                if reply.status == 403 || reply.status == 404 {
                    #expect(reply.body.contains("<html lang=\"ja\">") && Self.hasJapanese(Self.alertText(reply.body)), "\(who.rawValue) GET \(path)")
                    // A refusal never shows the record it refuses.
                    #expect(!reply.body.contains("千代田1-1") && !reply.body.contains("山田 花子"), "\(who.rawValue) GET \(path)")
                }
            }
        }
        // Signed out, a page leads to the login page (never a JSON 401).
        let signedOut = try f.send("GET", "/cases/\(f.caseID)")
        #expect(signedOut.status == 303 && APIFixture.header("Location", of: signedOut) == "/login")
    }

    // MARK: - The page check

    /// `expectSound`, and stricter: framing denied, every control labelled, no positive
    /// tabindex, ids unique and references resolved, scripts and stylesheet from the same origin only.
    static func expectStrict(_ reply: RawHTTPClient.Reply, _ page: String) {
        WebPageTests.expectSound(reply, page)
        #expect(APIFixture.header("X-Frame-Options", of: reply) == "DENY", "\(page)")
        let tags = HTMLTag.all(in: reply.body)
        for tag in tags {
            for attribute in ["src", "href", "action", "formaction"] {
                if let target = tag[attribute] { #expect(isSameOrigin(target), "\(page): <\(tag.name) \(attribute)=\"\(target)\">") }
            }
            if let tabindex = tag["tabindex"] { #expect((Int(tabindex) ?? 0) <= 0, "\(page): <\(tag.name) tabindex=\"\(tabindex)\">") }
        }
        let scripts = tags.filter { $0.name == "script" }
        #expect(scripts.map { $0["src"] } == ["/static/app.js"], "\(page): scripts \(scripts.map { $0["src"] ?? "inline" })")
        #expect(tags.contains { $0.name == "link" && $0["rel"] == "stylesheet" && $0["href"] == "/static/app.css" }, "\(page): no stylesheet")

        // Ids are unique, and what refers to one finds it.
        let ids = tags.compactMap { $0["id"] }
        #expect(Set(ids).count == ids.count, "\(page): duplicate ids \(Dictionary(grouping: ids) { $0 }.filter { $0.value.count > 1 }.keys.sorted())")
        let known = Set(ids)
        var unresolved: [String] = []
        for tag in tags {
            if tag.name == "label", let target = tag["for"], !known.contains(target) { unresolved.append("label for=\(target)") }
            for attribute in ["aria-describedby", "aria-labelledby"] {
                for reference in (tag[attribute] ?? "").split(separator: " ").map(String.init) where !known.contains(reference) {
                    unresolved.append("#\(tag["id"] ?? tag.name) \(attribute)=\(reference)")
                }
            }
        }
        #expect(unresolved.isEmpty, "\(page): references to no element: \(unresolved)")

        // Every control a user fills in has a label: one naming its id, or one around it.
        let labelled = Set(tags.filter { $0.name == "label" }.compactMap { $0["for"] })
        var insideLabel = 0
        var unlabelled: [String] = []
        for tag in tags {
            switch tag.name {
            case "label": insideLabel += 1
            case "/label": insideLabel -= 1
            case "input" where !["hidden", "submit", "button", "reset", "image"].contains(tag["type"]?.lowercased() ?? "text"), "select", "textarea":
                if !(tag["id"].map(labelled.contains) ?? false), insideLabel == 0 { unlabelled.append("<\(tag.name) name=\(tag["name"] ?? "")>") }
            default: break
            }
        }
        #expect(unlabelled.isEmpty, "\(page): controls without a label: \(unlabelled)")
    }

    /// The stylesheet shows where the keyboard focus is, and never hides it.
    static func expectFocusVisible(_ css: String) {
        let rules = css.split(separator: "}").map { $0.split(separator: "{", maxSplits: 1).map(String.init) }.filter { $0.count == 2 }
        #expect(rules.contains { $0[0].contains(":focus-visible") && Self.showsOutline($0[1]) }, "no :focus-visible rule with an outline")
        for rule in rules where rule[0].contains(":focus") {
            #expect(!rule[1].replacingOccurrences(of: " ", with: "").contains("outline:none"), "\(rule[0]) hides the focus")
            #expect(!rule[1].replacingOccurrences(of: " ", with: "").contains("outline:0"), "\(rule[0]) hides the focus")
        }
    }

    private static func showsOutline(_ declarations: String) -> Bool {
        declarations.split(separator: ";").contains { declaration in
            let parts = declaration.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            return parts.count == 2 && parts[0] == "outline" && !["none", "0"].contains(parts[1]) && parts[1].contains("px")
        }
    }

    /// A URL on this server: a path ("/x", not "//host") or a fragment.
    static func isSameOrigin(_ url: String) -> Bool {
        (url.hasPrefix("/") && !url.hasPrefix("//") && !url.hasPrefix("/\\")) || url.hasPrefix("#")
    }

    /// The page a link leads to, if the check should open it: same origin, not the API or a static file, no fragment.
    static func crawlable(_ href: String) -> String? {
        let path = String(href.prefix { $0 != "#" })
        guard isSameOrigin(path), !path.hasPrefix("/api/"), !path.hasPrefix("/static/") else { return nil }
        return path
    }

    /// The text of the page's `role="alert"` element.
    static func alertText(_ html: String) -> String {
        guard let start = html.range(of: #"role="alert""#) else { return "" }
        return String(html[start.upperBound...].prefix { $0 != "<" })
    }

    static func hasJapanese(_ text: String) -> Bool {
        text.unicodeScalars.contains { (0x3040...0x30FF).contains($0.value) || (0x4E00...0x9FFF).contains($0.value) }
    }
}
