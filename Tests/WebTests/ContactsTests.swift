import Foundation
import MimamoriTesting
import Store
import Testing
import Web

/// Whom to call: an authority's administrators set its department, daytime and night/holiday
/// telephone, and every other authority's search hit and summary then shows them (an intake
/// worker at 2 a.m. finds the record and the number to ring).
@Suite(.serialized)
struct ContactsTests {
    static let search = "/api/v1/search?q=%E5%B1%B1%E7%94%B0%20%E5%A4%AA%E9%83%8E%202018-04-01"
    static let contacts = #"{"department": "子ども家庭支援センター", "daytime": "03-1111-2222", "night_holiday": "03-3333-4444（当直）"}"#

    /// The holder's contacts on the first hit another authority gets.
    static func hitContacts(_ f: APIFixture, as who: APIFixture.Who) throws -> [String: Any] {
        let reply = try f.send("GET", search, as: who)
        try #require(reply.status == 200, "\(reply.status) \(reply.body.prefix(300))")
        let hits = try #require(try APIFixture.object(reply)["hits"] as? [[String: Any]])
        let hit = try #require(hits.first { $0["case_id"] as? String == f.caseID }, "the case is not among the hits")
        let authority = try #require(hit["authority"] as? [String: Any])
        #expect(authority["code"] as? String == "131016")
        return try #require(authority["contacts"] as? [String: Any], "no contacts on the hit: \(authority)")
    }

    @Test("contacts an administrator sets appear on another authority's search hit, with the night number")
    func nightContactOnHits() throws {
        let f = try APIFixture()
        // Unknown at first: the shape is there, every member null.
        let before = try Self.hitContacts(f, as: .cgcElsewhere)
        #expect(Set(before.keys) == ["department", "daytime", "night_holiday"])
        #expect(before.values.allSatisfy { $0 is NSNull })

        let saved = try f.send("PUT", "/api/v1/settings", as: .holderAdmin, json: #"{"contacts": \#(Self.contacts)}"#)
        #expect(saved.status == 200, "\(saved.body.prefix(300))")
        let answered = try #require(try APIFixture.object(saved)["contacts"] as? [String: Any])
        #expect(answered["night_holiday"] as? String == "03-3333-4444（当直）")

        for who in [APIFixture.Who.cgcElsewhere, .partnerCGC, .municipalityElsewhere] {
            let contacts = try Self.hitContacts(f, as: who)
            #expect(contacts["night_holiday"] as? String == "03-3333-4444（当直）", "\(who)")
            #expect(contacts["daytime"] as? String == "03-1111-2222", "\(who)")
            #expect(contacts["department"] as? String == "子ども家庭支援センター", "\(who)")
        }
        // The free-text `contact` stays for existing clients: the daytime number.
        let hits = try APIFixture.object(try f.send("GET", Self.search, as: .cgcElsewhere))["hits"] as? [[String: Any]]
        #expect((hits?.first?["authority"] as? [String: Any])?["contact"] as? String == "03-1111-2222")
        // The case document names the holder with the same contacts.
        let record = try APIFixture.object(try f.send("GET", "/api/v1/cases/\(f.caseID)", as: .partnerCGC))
        #expect(((record["holder"] as? [String: Any])?["contacts"] as? [String: Any])?["night_holiday"] as? String == "03-3333-4444（当直）")
        // Its own settings answer them; the change is in the audit log.
        let settings = try APIFixture.object(try f.send("GET", "/api/v1/settings", as: .holder))
        #expect((settings["contacts"] as? [String: Any])?["daytime"] as? String == "03-1111-2222")
        let audited = try f.store.auditLog.auditTrail(of: "131016", as: .localAdministrator).contains { $0.action == "settings.contacts" }
        #expect(audited)

        // Clearing a member makes it unknown again; the others are replaced with what is sent.
        #expect(try f.send("PUT", "/api/v1/settings", as: .holderAdmin, json: #"{"contacts": {"daytime": "03-1111-2222"}}"#).status == 200)
        let cleared = try Self.hitContacts(f, as: .cgcElsewhere)
        #expect(cleared["night_holiday"] is NSNull && cleared["department"] is NSNull && cleared["daytime"] as? String == "03-1111-2222")
    }

    @Test("only the authority's administrators set its contacts; a bad value is refused whole with the reason")
    func refusals() throws {
        let f = try APIFixture()
        for who in [APIFixture.Who.holder, .partnerCGC, .ministry, .systemOperator] {
            let reply = try f.send("PUT", "/api/v1/settings", as: who, json: #"{"contacts": \#(Self.contacts)}"#)
            #expect(reply.status == 403, "\(who): \(reply.status)")
        }
        let cases: [(String, String)] = [
            (#"{"night_holiday": "\#(String(repeating: "0", count: 61))"}"#, "60文字以内"),
            (#"{"night_holiday": "03-1111-2222\n偽の連絡先"}"#, "改行や制御文字"),
            (#"{"night_holiday": "03-1111-2222\u202E"}"#, "改行や制御文字"),
            (#"{"daytime": "担当者不在"}"#, "電話番号を入力"),
            (#"{"daytime": 312345678}"#, "contacts.daytime: a string, or null"),
            (#"{"fax": "03-1111-2222"}"#, "fax is not one of"),
            (#""03-1111-2222""#, "contacts: an object"),
        ]
        for (contacts, reason) in cases {
            // grant_days in the same body: nothing of a refused body is written.
            let reply = try f.send("PUT", "/api/v1/settings", as: .holderAdmin, json: #"{"grant_days": 30, "contacts": \#(contacts)}"#)
            #expect(reply.status == 400 && reply.body.contains(reason), "\(contacts): \(reply.status) \(reply.body.prefix(300))")
        }
        #expect(try f.store.settings.read(of: "131016", as: .localAdministrator).settings.grantDays == 90)
        #expect(f.store.contacts(of: "131016").isEmpty)
        // Full-width digits are a telephone number as typed.
        #expect(try f.send("PUT", "/api/v1/settings", as: .holderAdmin, json: #"{"contacts": {"daytime": "０３－１１１１－２２２２"}}"#).status == 200)
    }

    @Test("the settings page edits the contacts; the search results page of another authority shows 夜間・休日連絡先")
    func pages() throws {
        let f = try APIFixture()
        let (cookie, page, _) = try FormValidationTests.open(f, .holderAdmin, "/settings")
        var fields = FormValidationTests.filledIn(page.body, action: "/settings")
        #expect(fields.contains { $0.name == "contacts.night_holiday" })
        fields = FormValidationTests.with(fields, "contacts.department", "子ども家庭支援センター")
        fields = FormValidationTests.with(fields, "contacts.daytime", "03-1111-2222")
        fields = FormValidationTests.with(fields, "contacts.night_holiday", "夜間は当直 03-3333-4444")
        let saved = try SettingsPageTests.post(f, "/settings", cookie: cookie, fields)
        #expect(saved.status == 303, "\(saved.body.prefix(400))")
        #expect(f.store.contacts(of: "131016").nightHoliday == "夜間は当直 03-3333-4444")

        // A bad entry is refused with the reason in Japanese, beside the generic message.
        let refused = try SettingsPageTests.post(f, "/settings", cookie: cookie, FormValidationTests.with(fields, "contacts.daytime", "不在"))
        #expect(refused.status == 400 && refused.body.contains("電話番号を入力してください"), "\(refused.body.prefix(600))")

        let searcher = try PageCheckTests.signIn(f, .cgcElsewhere)
        let q = "山田 太郎 2018-04-01".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        let results = try f.send("GET", "/search?q=\(q)", headers: ["Cookie: \(searcher)"])
        #expect(results.status == 200)
        #expect(results.body.contains("夜間・休日連絡先 <strong>夜間は当直 03-3333-4444</strong>"), "\(results.body)")
        #expect(results.body.contains("（子ども家庭支援センター）") && results.body.contains("平日昼間 03-1111-2222"))
        // The request form (what a summary-only searcher opens next) shows whom to call too.
        let request = try f.send("GET", "/cases/\(f.caseID)/request", headers: ["Cookie: \(searcher)"])
        #expect(request.status == 200 && request.body.contains("夜間は当直 03-3333-4444"))
        WebPageTests.expectSound(results, "/search")
    }

    @Test("a CGC list's contact columns are loaded; an administrator's own entry is never overwritten by a list")
    func listedContacts() throws {
        let f = try APIFixture()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("contacts-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let dictionaries = try DictionaryDirectory.locate()
        let original = try String(contentsOf: dictionaries.appendingPathComponent("child-guidance-centres.csv"), encoding: .utf8)
        var lines = original.split(separator: "\n").map(String.init)
        lines[0] += ",department,daytime,night_holiday"
        for index in lines.indices.dropFirst() {
            let code = lines[index].prefix { $0 != "," }
            let added =
                switch code {
                case "130001-01": ",相談課,03-5555-0001,03-5555-0002"
                case "271004-01": ",,06-5555-0001,06-5555-0009"
                default: ",,,"
                }
            lines[index] += added
        }
        let list = folder.appendingPathComponent("centres.csv")
        try (lines.joined(separator: "\n") + "\n").write(to: list, atomically: true, encoding: .utf8)

        // The Osaka CGC's administrator has already set its own night number.
        try f.store.users.create(
            login: "osaka-admin", authority: "271004-01", role: .administrator, displayName: "osaka-admin", password: APIFixture.password,
            as: .localAdministrator)
        try f.store.settings.update(
            of: "271004-01", nil, contacts: AuthorityContacts(nightHoliday: "06-7777-0000"),
            as: .user(login: "osaka-admin", authority: "271004-01", role: .administrator))
        _ = try f.store.maintenance.loadChildGuidanceCentres(from: list, as: .localAdministrator)

        let reopened = try Store(dataDirectory: f.store.dataDirectory, dictionaries: dictionaries)
        #expect(reopened.contacts(of: "130001-01") == AuthorityContacts(department: "相談課", daytime: "03-5555-0001", nightHoliday: "03-5555-0002"))
        #expect(reopened.contacts(of: "271004-01") == AuthorityContacts(nightHoliday: "06-7777-0000"))
        #expect(reopened.contacts(of: "010006-01").isEmpty)

        // A list whose contact is not a telephone number is refused, naming the line.
        try (lines.joined(separator: "\n").replacingOccurrences(of: "03-5555-0002", with: "不明") + "\n").write(
            to: list, atomically: true, encoding: .utf8)
        #expect {
            try reopened.maintenance.loadChildGuidanceCentres(from: list, as: .localAdministrator)
        } throws: { error in
            "\(error)".contains("centres.csv:") && "\(error)".contains("電話番号")
        }
        // A list that drops a centre with users is refused with the reason; nothing changes.
        try (lines.filter { !$0.hasPrefix("271004-01,") }.joined(separator: "\n") + "\n").write(to: list, atomically: true, encoding: .utf8)
        #expect {
            try reopened.maintenance.loadChildGuidanceCentres(from: list, as: .localAdministrator)
        } throws: { error in
            "\(error)".contains("271004-01") && "\(error)".contains("still has users")
        }
        #expect(try Store(dataDirectory: f.store.dataDirectory, dictionaries: dictionaries).directory["271004-01"] != nil)
    }
}
