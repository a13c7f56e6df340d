import Foundation
import MimamoriTesting
import Store
import Testing
import Web

/// The case form through the real server, submitted as a browser does (multipart/form-data):
/// a bad entry is explained in Japanese next to its field with everything typed kept, and
/// nothing is saved until the whole form is right.
@Suite(.serialized)
struct FormValidationTests {
    typealias Who = APIFixture.Who
    typealias Field = (name: String, value: String)
    typealias Photo = (fileName: String, type: String?, content: [UInt8])

    // MARK: - Refused

    @Test(
        "an impossible birthdate is explained next to its field, with everything typed kept and nothing saved", arguments: ["2018-02-30", "H31.5.1"])
    func impossibleDate(birthdate: String) throws {
        let f = try APIFixture()
        let (cookie, _, csrf) = try Self.open(f, .holder, "/cases/new")
        let before = try Self.saved(f)
        let reply = try Self.submit(f, "/cases/new", cookie: cookie, Self.with(Self.valid(csrf: csrf), "child.birthdate", birthdate))
        #expect(reply.status == 422)
        #expect(reply.body.contains("入力内容に1件の誤りがあります") && reply.body.contains("保存はされていません"))
        let field = try #require(Self.field("child_birthdate", in: reply.body))
        #expect(field.hasPrefix(#"<div class="field invalid">"#))
        // Why the date does not exist, so the worker can correct it without asking anyone.
        let reason = birthdate == "H31.5.1" ? "平成は31年4月30日まで。R1.5.1と入力してください" : "その月は28日までです"
        #expect(field.contains(#"id="child_birthdate-error""#) && field.contains("\(birthdate)は存在しない日付です（\(reason)）"), "\(field)")
        #expect(field.contains(#"value="\#(birthdate)""#) && field.contains(#"aria-invalid="true""#))
        // A screen reader reads the hint and the error with the field.
        #expect(field.contains(#"aria-describedby="child_birthdate-hint child_birthdate-error""#), "\(field)")
        // What was typed elsewhere is still there, and has no error.
        for (id, value) in [("external_id", "CH-2025-0042"), ("child_family_name", "佐藤"), ("child_given_name", "陽菜"), ("address_line", "千代田2-2")] {
            let other = try #require(Self.field(id, in: reply.body))
            #expect(other.contains(#"value="\#(value)""#) && !other.contains("field-error"), "\(id)")
        }
        #expect(reply.body.contains(#"value="neglect" checked"#) && reply.body.contains("学校に来ない日が続く"))
        #expect(try Self.saved(f) == before)
    }

    @Test("a form without the record number or any child name says so next to both fields and saves nothing")
    func missingRequired() throws {
        let f = try APIFixture()
        let (cookie, _, csrf) = try Self.open(f, .holder, "/cases/new")
        let before = try Self.saved(f)
        var fields = Self.with(Self.valid(csrf: csrf), "external_id", "")
        for name in ["child.family_name", "child.given_name", "child.family_name_kana", "child.given_name_kana"] {
            fields = Self.with(fields, name, "")
        }
        let reply = try Self.submit(f, "/cases/new", cookie: cookie, fields)
        #expect(reply.status == 422)
        let number = try #require(Self.field("external_id", in: reply.body))
        #expect(number.contains(#"id="external_id-error""#) && number.contains("記録番号を入力してください"), "\(number)")
        let name = try #require(Self.field("child_family_name", in: reply.body))
        #expect(name.contains(#"id="child_family_name-error""#), "\(name)")
        #expect(name.contains("児童の氏名・ふりがな・ローマ字表記のいずれかを入力してください"), "\(name)")
        #expect(name.components(separatedBy: "ローマ字表記のいずれかを入力してください").count == 2, "said twice: \(name)")
        #expect(try #require(Self.field("child_birthdate", in: reply.body)).contains(#"value="H30.6.15""#))
        #expect(try Self.saved(f) == before)
    }

    @Test("a photo over 10MB is refused on the form in Japanese, with what was typed kept and nothing saved")
    func oversizedPhoto() throws {
        let f = try APIFixture()
        let (cookie, _, csrf) = try Self.open(f, .holder, "/cases/new")
        let before = try Self.saved(f)
        let photo = Array(APIFixture.png.prefix(8)) + [UInt8](repeating: 0, count: (50 << 20) - 8)
        let reply = try Self.submit(f, "/cases/new", cookie: cookie, Self.valid(csrf: csrf), photo: ("injury.png", "image/png", photo))
        #expect((400..<500).contains(reply.status))
        #expect(APIFixture.header("Content-Type", of: reply)?.hasPrefix("text/html") == true, "\(reply.status) \(reply.body.prefix(200))")
        let field = try #require(Self.field("photo", in: reply.body))
        #expect(field.contains(#"id="photo-error""#) && field.contains("ファイルが大きすぎます（50MB）") && field.contains("10MBまで"), "\(field)")
        #expect(try #require(Self.field("child_family_name", in: reply.body)).contains(#"value="佐藤""#))
        #expect(try Self.saved(f) == before)
    }

    static let badUploads: [(fileName: String, type: String, content: [UInt8], message: String)] = [
        ("injury.png", "image/png", Array("これは写真ではありません。\n".utf8), "画像（PNG・JPEG・WebP）またはPDFではありません"),
        ("injury.png", "application/pdf", APIFixture.png, "ファイルの種類が内容と一致しません"),
        ("injury.png", "image/png", [], "選択したファイルが空です"),
    ]

    @Test("a file that is not the image it claims to be is refused next to the photo field, and nothing is saved", arguments: badUploads)
    func badUpload(upload: (fileName: String, type: String, content: [UInt8], message: String)) throws {
        let f = try APIFixture()
        let (cookie, _, csrf) = try Self.open(f, .holder, "/cases/new")
        let before = try Self.saved(f)
        let reply = try Self.submit(f, "/cases/new", cookie: cookie, Self.valid(csrf: csrf), photo: (upload.fileName, upload.type, upload.content))
        #expect((400..<500).contains(reply.status), "\(reply.status)")
        let field = try #require(Self.field("photo", in: reply.body))
        #expect(
            field.hasPrefix(#"<div class="field invalid">"#) && field.contains(#"id="photo-error""#) && field.contains(upload.message), "\(field)")
        #expect(try #require(Self.field("external_id", in: reply.body)).contains(#"value="CH-2025-0042""#))
        #expect(try Self.saved(f) == before)
    }

    @Test("a submission without the page's CSRF token, or with another session's, is refused in Japanese and saves nothing")
    func withoutToken() throws {
        let f = try APIFixture()
        let (cookie, _, csrf) = try Self.open(f, .holder, "/cases/new")
        let (_, _, otherToken) = try Self.open(f, .municipalityElsewhere, "/search")
        let before = try Self.saved(f)
        let fields = Self.valid(csrf: csrf)
        for (sent, label) in [
            (fields.filter { $0.name != "csrf_token" }, "no token"), (Self.with(fields, "csrf_token", otherToken), "another session's token"),
        ] {
            let reply = try Self.submit(f, "/cases/new", cookie: cookie, sent, photo: ("injury.png", "image/png", APIFixture.png))
            #expect(reply.status == 403, "\(label)")
            #expect(APIFixture.header("Content-Type", of: reply)?.hasPrefix("text/html") == true && reply.body.contains("画面の有効期限が切れました"), "\(label)")
        }
        #expect(try Self.saved(f) == before)
        // The same form with the token goes through.
        #expect(try Self.submit(f, "/cases/new", cookie: cookie, fields).status == 303)
    }

    @Test("a broken multipart body is refused, not fatal: sign-in and the case form answer it and the server keeps serving")
    func brokenBody() throws {
        let f = try APIFixture()
        let (cookie, _, _) = try Self.open(f, .holder, "/cases/new")
        // The blank line that ends the part's headers is also the line break before the closing boundary.
        let body = Array("--x\r\nContent-Disposition: form-data; name=\"login\"\r\n\r\n--x--\r\n".utf8)
        let login = try f.send("POST", "/login", body: body, contentType: "multipart/form-data; boundary=x")
        #expect(login.status == 400 && login.body.contains("ログインIDとパスワードを入力してください"))
        let form = try f.send("POST", "/cases/new", headers: ["Cookie: \(cookie)"], body: body, contentType: "multipart/form-data; boundary=x")
        #expect(form.status == 400)
        #expect(try f.send("GET", "/login").status == 200)
    }

    // MARK: - Saved

    @Test("a complete form with a photo registers the case: the partner CGC is told and sees the photo, an authority elsewhere cannot fetch it")
    func registersWithPhoto() throws {
        let f = try APIFixture()
        let (cookie, _, csrf) = try Self.open(f, .holder, "/cases/new")
        let before = try Self.saved(f)
        let reply = try Self.submit(f, "/cases/new", cookie: cookie, Self.valid(csrf: csrf), photo: ("injury.png", "image/png", APIFixture.png))
        #expect(reply.status == 303, "\(reply.body.prefix(500))")
        let location = try #require(APIFixture.header("Location", of: reply))
        #expect(location.hasPrefix("/cases/"))
        let id = String(location.dropFirst("/cases/".count).prefix { $0 != "?" && $0 != "#" })
        #expect(try Self.saved(f) == (before.cases + 1, before.attachments + 1))

        let stored = try f.store.cases.read(id: id, as: .localAdministrator)
        #expect(stored.holder == "131016" && stored.record.externalID == "CH-2025-0042")
        #expect(stored.record.child.familyName == "佐藤" && stored.record.child.givenName == "陽菜" && stored.record.child.birthdate?.iso == "2018-06-15")
        #expect(stored.record.guardians.first?.identity.givenName == "美咲" && stored.record.address?.line == "千代田2-2")
        #expect(stored.record.consultations.count == 1 && stored.record.consultations.first?.assessment == "学校に来ない日が続く")
        let attachment = try #require(stored.attachments.first)
        // What is stored is the photo's pixels encoded anew (UploadTests looks at it more closely).
        let content = try f.store.attachments.read(id: attachment.id, as: .localAdministrator).content
        #expect(stored.attachments.count == 1 && attachment.mediaType == "image/png" && attachment.size == content.count)

        // The holder lands on the new record with the notice.
        let landed = try f.send("GET", location, headers: ["Cookie: \(cookie)"])
        #expect(landed.status == 200 && landed.body.contains("ケースを登録しました。") && landed.body.contains("佐藤 陽菜"))

        // The CGC whose jurisdiction covers 千代田区 is told, with a link to the case, and sees the photo.
        let cgc = try PageCheckTests.signIn(f, .partnerCGC)
        let inbox = try f.send("GET", "/inbox", headers: ["Cookie: \(cgc)"])
        #expect(inbox.status == 200)
        let tags = HTMLTag.all(in: inbox.body)
        let button = try #require(
            tags.firstIndex { tag in
                tag.name == "button" && inbox.body.utf8.dropFirst(tag.end).starts(with: "管内で新しいケースが登録されました".utf8)
            },
            "no case.created notification in the inbox")
        let action = try #require(tags[..<button].last { $0.name == "form" }?["action"])
        #expect(action.hasPrefix("/inbox/") && action.hasSuffix("/open"))
        let token = try #require(tags[..<button].last { $0["name"] == "csrf_token" }?["value"])
        let opened = try SettingsPageTests.post(f, action, cookie: cgc, [("csrf_token", token)])
        #expect(opened.status == 303 && APIFixture.header("Location", of: opened) == "/cases/\(id)")
        let seen = try f.send("GET", "/cases/\(id)", headers: ["Cookie: \(cgc)"])
        #expect(seen.status == 200 && seen.body.contains(#"<img src="/attachments/\#(attachment.id)""#))
        let image = try f.send("GET", "/attachments/\(attachment.id)", headers: ["Cookie: \(cgc)"])
        #expect(image.status == 200 && APIFixture.header("Content-Type", of: image) == "image/png")
        #expect(APIFixture.header("Content-Length", of: image) == String(content.count))

        let elsewhere = try PageCheckTests.signIn(f, .municipalityElsewhere)
        // Knowing the URL is not enough, on the UI's route or the API's; the UI answers in Japanese.
        let refused = try f.send("GET", "/attachments/\(attachment.id)", headers: ["Cookie: \(elsewhere)"])
        #expect([403, 404].contains(refused.status) && !refused.body.contains("PNG") && refused.body.contains("権限がありません"))
        let refusedByAPI = try f.send("GET", "/api/v1/attachments/\(attachment.id)", headers: ["Cookie: \(elsewhere)"])
        #expect([403, 404].contains(refusedByAPI.status) && !refusedByAPI.body.contains("PNG"))
        #expect(try f.send("GET", "/cases/\(id)", headers: ["Cookie: \(elsewhere)"]).body.contains("佐藤 陽菜") == false)
    }

    @Test("a photo of a few megabytes, as a phone takes it, is saved with the new case")
    func phoneSizedPhoto() throws {
        let f = try APIFixture()
        let (cookie, _, csrf) = try Self.open(f, .holder, "/cases/new")
        let before = try Self.saved(f)
        let photo = TestMedia.photo(width: 2400, height: 1800)
        #expect(photo.count > 2 << 20, "\(photo.count) bytes")
        let reply = try Self.submit(f, "/cases/new", cookie: cookie, Self.valid(csrf: csrf), photo: ("IMG_0001.jpg", "image/jpeg", photo))
        #expect(reply.status == 303, "\(reply.status) \(reply.body.prefix(200))")
        #expect(try Self.saved(f) == (before.cases + 1, before.attachments + 1))
    }

    @Test("editing saves the change and keeps the rest; a form filled from an older version is refused with the entry kept")
    func editAndStale() throws {
        let f = try APIFixture()
        let path = "/cases/\(f.caseID)/edit"
        let (cookie, page, _) = try Self.open(f, .holder, path)
        let original = try f.store.cases.read(id: f.caseID, as: .localAdministrator)
        let form = Self.filledIn(page.body, action: path)
        #expect(form.first { $0.name == "version" }?.value == String(original.version))
        #expect(form.first { $0.name == "child.given_name" }?.value == "太郎" && form.first { $0.name == "child.birthdate" }?.value == "2018-04-01")

        let saved = try Self.submit(f, path, cookie: cookie, Self.with(form, "child.given_name", "次郎"), photo: nil)
        #expect(saved.status == 303 && APIFixture.header("Location", of: saved)?.hasPrefix("/cases/\(f.caseID)") == true, "\(saved.body.prefix(500))")
        let edited = try f.store.cases.read(id: f.caseID, as: .localAdministrator)
        #expect(edited.version > original.version && edited.record.child.givenName == "次郎")
        // Only the changed field changed.
        #expect(edited.record.child.familyName == "山田" && edited.record.child.birthdate == original.record.child.birthdate)
        #expect(edited.record.guardians.map(\.identity.givenName) == original.record.guardians.map(\.identity.givenName))
        #expect(edited.record.address?.line == "千代田1-1" && edited.record.consultations.count == original.record.consultations.count)

        // The same form again (filled from the old version): another worker's change is not overwritten.
        let stale = try Self.submit(f, path, cookie: cookie, Self.with(form, "child.given_name", "三郎"), photo: nil)
        #expect(stale.status == 412)
        #expect(stale.body.contains("保存できませんでした。この記録は編集を始めた後に他の職員が更新しています"))
        #expect(try #require(Self.field("child_given_name", in: stale.body)).contains(#"value="三郎""#))
        #expect(try f.store.cases.read(id: f.caseID, as: .localAdministrator).record.child.givenName == "次郎")
    }

    @Test(
        "both parents, a sibling and the school are entered on the form; editing the second parent keeps the rest, and an emptied slot removes its person"
    )
    func twoGuardians() throws {
        let f = try APIFixture()
        let (cookie, _, csrf) = try Self.open(f, .holder, "/cases/new")
        var fields = Self.valid(csrf: csrf)
        fields += [
            ("guardians[1].relation", "father"), ("guardians[1].family_name", "佐藤"), ("guardians[1].given_name", "健"),
            ("guardians[1].family_name_kana", ""), ("guardians[1].given_name_kana", ""), ("guardians[1].birthdate", "S63.2.30"),
            ("household[0].relation", "sibling"), ("household[0].family_name", "佐藤"), ("household[0].given_name", "蓮"),
            ("household[0].given_name_kana", "れん"), ("household[0].birthdate", "2016-05-05"),
            ("institutions[0].kind", "elementary_school"), ("institutions[0].name", "千代田区立番町小学校"),
            ("institutions[0].schooling", "not_attending"),
        ]
        // 昭和63年2月30日 does not exist: refused next to the second guardian's birthdate.
        let refused = try Self.submit(f, "/cases/new", cookie: cookie, fields)
        #expect(refused.status == 422 && (Self.field("guardians1_birthdate", in: refused.body)?.contains("存在しない日付") ?? false))
        let created = try Self.submit(f, "/cases/new", cookie: cookie, Self.with(fields, "guardians[1].birthdate", "S63.2.3"))
        let id = try #require(APIFixture.header("Location", of: created)?.split(separator: "/").last?.split(separator: "?").first.map(String.init))
        let stored = try f.store.cases.read(id: id, as: .localAdministrator)
        #expect(stored.record.guardians.map(\.relation) == [.mother, .father] && stored.record.guardians[1].identity.birthdate?.iso == "1988-02-03")
        #expect(stored.record.household.map(\.relation) == [.sibling] && stored.record.household.first?.identity.givenName == "蓮")
        #expect(stored.record.institutions == [Institution(kind: .elementarySchool, name: "千代田区立番町小学校", schooling: .notAttending)])

        let path = "/cases/\(id)/edit"
        let form = Self.filledIn(try f.send("GET", path, headers: ["Cookie: \(cookie)"]).body, action: path)
        #expect(form.first { $0.name == "guardians[1].given_name" }?.value == "健")
        #expect(try Self.submit(f, path, cookie: cookie, Self.with(form, "guardians[1].given_name", "健一"), photo: nil).status == 303)
        let edited = try f.store.cases.read(id: id, as: .localAdministrator).record.guardians
        #expect(edited.map(\.identity.givenName) == ["美咲", "健一"])
        // Emptying the first slot removes the mother; the father stays.
        let again = Self.filledIn(try f.send("GET", path, headers: ["Cookie: \(cookie)"]).body, action: path)
        let emptied = again.map { $0.name.hasPrefix("guardians[0].") && $0.name != "guardians[0].relation" ? (name: $0.name, value: "") : $0 }
        #expect(try Self.submit(f, path, cookie: cookie, emptied, photo: nil).status == 303)
        let after = try f.store.cases.read(id: id, as: .localAdministrator).record
        #expect(after.guardians.map(\.identity.givenName) == ["健一"] && after.household.map(\.identity.givenName) == ["蓮"])
        #expect(after.institutions.map(\.name) == ["千代田区立番町小学校"])
    }

    // MARK: - Helpers

    /// A complete, valid new-case form as a worker fills it in.
    static func valid(csrf: String) -> [Field] {
        [
            ("csrf_token", csrf), ("external_id", "CH-2025-0042"), ("status", "open"), ("child.family_name", "佐藤"), ("child.given_name", "陽菜"),
            ("child.family_name_kana", "サトウ"), ("child.given_name_kana", "ヒナ"), ("child.romaji", ""), ("child.birthdate", "H30.6.15"),
            ("child.sex", "female"), ("guardians[0].relation", "mother"), ("guardians[0].family_name", "佐藤"), ("guardians[0].given_name", "美咲"),
            ("guardians[0].family_name_kana", ""), ("guardians[0].given_name_kana", ""), ("guardians[0].birthdate", "1992-03-03"),
            ("address.prefecture", "東京都"), ("address.municipality", "千代田区"), ("address.line", "千代田2-2"), ("family_situation", "母と二人暮らし"),
            ("consultation.date", "R7.1.10"), ("consultation.source", "school"), ("consultation.assessment", "学校に来ない日が続く"),
            ("consultation.response", "家庭訪問を予定"), ("consultation.abuse_types", "neglect"),
        ]
    }

    /// `fields` with `name` set to `value`.
    static func with(_ fields: [Field], _ name: String, _ value: String) -> [Field] {
        fields.map { $0.name == name ? (name: name, value: value) : $0 }
    }

    /// Signs in as `who` through the login form and opens `path`: the cookie, the page and its CSRF token.
    static func open(_ f: APIFixture, _ who: Who, _ path: String) throws -> (cookie: String, page: RawHTTPClient.Reply, csrf: String) {
        let cookie = try PageCheckTests.signIn(f, who)
        let page = try f.send("GET", path, headers: ["Cookie: \(cookie)"])
        try #require(page.status == 200, "\(who) GET \(path): \(page.status)")
        let csrf = try #require(HTMLTag.all(in: page.body).first { $0["name"] == "csrf_token" }?["value"], "no CSRF token on \(path)")
        return (cookie, page, csrf)
    }

    /// Posts the form as multipart/form-data, with the file input (empty unless a photo is given).
    static func submit(
        _ f: APIFixture, _ path: String, cookie: String, _ fields: [Field],
        photo: Photo? = (fileName: "", type: "application/octet-stream", content: [])
    ) throws
        -> RawHTTPClient.Reply
    {
        var body = MultipartBody(boundary: "----MimamoriFormBoundaryK7Fz3qWx9")
        body.fields = fields
        if let photo { body.files = [("photo", photo.fileName, photo.type, photo.content)] }
        return try f.send("POST", path, headers: ["Cookie: \(cookie)"], body: body.bytes, contentType: body.contentType)
    }

    /// How many cases 千代田区 holds, and how many files they carry.
    static func saved(_ f: APIFixture) throws -> (cases: Int, attachments: Int) {
        let cases = try f.store.cases.list(heldBy: "131016", as: .localAdministrator)
        var attachments = 0
        for found in cases { attachments += try f.store.cases.read(id: found.id, as: .localAdministrator).attachments.count }
        return (cases.count, attachments)
    }

    /// The `<div class="field…">` around the control with this id: its label, the control, its hint and its error.
    static func field(_ id: String, in html: String) -> Substring? {
        guard let control = html.range(of: #"id="\#(id)""#),
            let start = html[..<control.lowerBound].range(of: #"<div class="field"#, options: .backwards),
            let end = html[control.upperBound...].range(of: "</div>")
        else { return nil }
        return html[start.lowerBound..<end.upperBound]
    }

    /// What a browser sends for the form with this action, as the page filled it in
    /// (text, hidden fields, checked boxes, the selected option, text areas; no file).
    static func filledIn(_ html: String, action: String) -> [Field] {
        let bytes = Array(html.utf8)
        let tags = HTMLTag.all(in: html)
        guard let start = tags.firstIndex(where: { $0.name == "form" && $0["action"] == action }) else { return [] }
        var fields: [Field] = []
        var select: (name: String, first: String?, chosen: String?)?
        for (index, tag) in tags.enumerated().dropFirst(start + 1) {
            if tag.name == "/form" { break }
            switch tag.name {
            case "input":
                guard let name = tag["name"] else { continue }
                switch tag["type"] ?? "text" {
                case "checkbox", "radio": if tag["checked"] != nil { fields.append((name, tag["value"] ?? "on")) }
                case "file", "submit", "button", "reset", "image": break
                default: fields.append((name, tag["value"] ?? ""))
                }
            case "textarea":
                guard let name = tag["name"], let close = tags[index...].first(where: { $0.name == "/textarea" }) else { continue }
                fields.append((name, HTMLTag.unescape(String(decoding: bytes[tag.end..<close.start], as: UTF8.self))))
            case "select":
                select = tag["name"].map { ($0, nil, nil) }
            case "option":
                guard var current = select else { continue }
                current.first = current.first ?? tag["value"] ?? ""
                if tag["selected"] != nil { current.chosen = tag["value"] ?? "" }
                select = current
            case "/select":
                if let chosen = select { fields.append((chosen.name, chosen.chosen ?? chosen.first ?? "")) }
                select = nil
            default: break
            }
        }
        return fields
    }
}
