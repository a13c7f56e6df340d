import Foundation
import HTTPServer
import MimamoriTesting
import Store
import Testing

/// Uploads through the real server (docs/security.md, "Uploads are read in full, not typed by
/// their first bytes"): case attachments and alert photos, by the API and the pages. An image
/// is stored as its pixels encoded anew (decodable, no EXIF); a PDF with active content, an
/// encrypted or a damaged one is refused; a plain PDF is stored as qpdf writes it again.
@Suite(.serialized)
struct UploadTests {
    typealias Who = APIFixture.Who

    static let html = Array("<html><body><script>fetch('/api/v1/cases').then(r=>r.text()).then(alert)</script></body></html>".utf8)

    /// Files that begin as an image does but are not one, with the format the refusal names.
    static let brokenImages: [(label: String, content: [UInt8], format: String)] = {
        let png = TestMedia.png()
        let jpeg = TestMedia.jpeg()
        let webp = TestMedia.webp()
        var corruptPNG = png
        corruptPNG[png.count - 30] ^= 0x55  // inside IDAT: its CRC no longer matches
        var corruptJPEG = jpeg
        for at in stride(from: jpeg.count / 2, to: jpeg.count - 10, by: 7) { corruptJPEG[at] = 0xFF }
        return [
            ("a PNG signature followed by HTML", Array(png.prefix(8)) + html, "PNG"),
            ("a truncated PNG", Array(png.prefix(png.count - 40)), "PNG"),
            ("a PNG whose image data is corrupt", corruptPNG, "PNG"),
            ("a JPEG signature followed by HTML", [0xFF, 0xD8, 0xFF, 0xE0] + html, "JPEG"),
            ("a truncated JPEG", Array(jpeg.prefix(jpeg.count * 2 / 3)), "JPEG"),
            ("a JPEG whose entropy-coded data is corrupt", corruptJPEG, "JPEG"),
            ("a WebP header followed by HTML", Array(webp.prefix(12)) + html, "WebP"),
            ("a truncated WebP", Array(webp.prefix(webp.count * 2 / 3)), "WebP"),
        ]
    }()

    /// PDFs with active content, with the words the API's refusal uses for it.
    static let activePDFs: [(label: String, content: [UInt8], says: String)] = [
        ("/OpenAction running JavaScript", TestPDF.document(catalog: "/OpenAction << /S /JavaScript /JS (app.alert(1)) >>"), "JavaScript"),
        (
            "/OpenAction with an escaped name (/Java#53cript)",
            TestPDF.document(catalog: "/OpenAction << /S /Java#53cript /JS 6 0 R >>", extra: ["(x)"]), "JavaScript"
        ),
        ("/AA on the page", TestPDF.document(page: "/AA << /O << /S /URI /URI (https://example.org/) >> >>"), "an automatic action"),
        (
            "/OpenAction opening a web page", TestPDF.document(catalog: "/OpenAction << /S /URI /URI (https://evil.example/) >>"),
            "an action run on opening"
        ),
        (
            "a /Launch action on a link",
            TestPDF.document(
                page: "/Annots [6 0 R]", extra: ["<< /Type /Annot /Subtype /Link /Rect [0 0 200 50] /A << /S /Launch /F (cmd.exe) >> >>"]),
            "a Launch action"
        ),
        (
            "JavaScript hidden in a compressed object stream",
            TestPDF.withObjectStream(
                catalog: "/Names 6 0 R", hidden: ["<< /JavaScript 7 0 R >>", "<< /Names [(a) 8 0 R] >>", "<< /S /JavaScript /JS (app.alert(1)) >>"]),
            "JavaScript"
        ),
        (
            "an embedded file",
            TestPDF.document(
                catalog: "/Names << /EmbeddedFiles 6 0 R >>",
                extra: [
                    "<< /Names [(invoice.exe) 7 0 R] >>", "<< /Type /Filespec /F (invoice.exe) /EF << /F 8 0 R >> >>",
                    "<< /Type /EmbeddedFile /Length 2 >>\nstream\nMZ\nendstream",
                ]),
            "an embedded file"
        ),
        (
            "a link to a program on the computer",
            TestPDF.document(
                page: "/Annots [6 0 R]",
                extra: ["<< /Type /Annot /Subtype /Link /Rect [0 0 200 50] /A << /S /URI /URI (file:///C:/Windows/System32/cmd.exe) >> >>"]),
            "a link to something other than a web or mail address"
        ),
        (
            "a form that submits itself",
            TestPDF.document(
                page: "/Annots [6 0 R]",
                extra: ["<< /Type /Annot /Subtype /Link /Rect [0 0 200 50] /A << /S /SubmitForm /F (https://evil.example/) >> >>"]),
            "an action that is not allowed"
        ),
    ]

    /// How many files the fixture's case carries.
    static func attachmentCount(_ f: APIFixture, _ caseID: String) throws -> Int {
        try f.store.cases.read(id: caseID, as: .localAdministrator).attachments.count
    }

    /// What the Store holds for an attachment, as the API's answer names it.
    static func stored(_ f: APIFixture, _ reply: RawHTTPClient.Reply) throws -> (info: [String: Any], content: [UInt8]) {
        let info = try APIFixture.object(reply)
        let id = try #require(info["id"] as? String)
        return (info, try f.store.attachments.read(id: id, as: .localAdministrator).content)
    }

    /// What is stored is a decodable image of the kind, encoded anew: no EXIF, no text chunk, no position.
    static func expectClean(_ content: [UInt8], kind: AttachmentKind, _ label: String) throws {
        let text = String(decoding: content, as: UTF8.self)
        #expect(!text.contains(TestMedia.gpsMarker) && !text.contains("Exif") && !text.contains("EXIF") && !text.contains("tEXt"), "\(label)")
        #expect(try UploadInspection.inspect(content, declaredType: nil).kind == kind, "\(label)")
    }

    // MARK: - API

    @Test(
        "API: a file that only begins like an image (HTML behind a signature, truncated, corrupt) is refused with 415 and not stored",
        arguments: brokenImages.map(\.label))
    func apiRefusesBrokenImages(label: String) throws {
        let image = try #require(Self.brokenImages.first { $0.label == label })
        let f = try APIFixture()
        let reply = try f.send("POST", "/api/v1/cases/\(f.caseID)/attachments", as: .holder, body: image.content, contentType: nil)
        #expect(reply.status == 415, "\(image.label): \(reply.status) \(reply.body.prefix(300))")
        #expect(reply.body.contains("not a complete, valid \(image.format) image"), "\(image.label): \(reply.body.prefix(300))")
        #expect(try Self.attachmentCount(f, f.caseID) == 0, "\(image.label)")
    }

    @Test(
        "API: real PNG, JPEG and WebP photos are stored as their pixels encoded anew: decodable, without EXIF or the position; a JPEG stands upright")
    func apiStoresImagesAnew() throws {
        let f = try APIFixture()
        for (image, type, kind) in [
            (TestMedia.pngWithMetadata(), "image/png", AttachmentKind.png), (TestMedia.jpegWithEXIF(), "image/jpeg", .jpeg),
            (TestMedia.webpWithEXIF(), "image/webp", .webp),
        ] {
            #expect(String(decoding: image, as: UTF8.self).contains(TestMedia.gpsMarker))
            let reply = try f.send("POST", "/api/v1/cases/\(f.caseID)/attachments?name=photo", as: .holder, body: image, contentType: type)
            #expect(reply.status == 201, "\(type): \(reply.body.prefix(300))")
            let (info, content) = try Self.stored(f, reply)
            #expect(info["media_type"] as? String == type && info["size"] as? Int == content.count)
            try Self.expectClean(content, kind: kind, type)
            let download = try f.send("GET", "/api/v1/attachments/\(try #require(info["id"] as? String))", as: .partnerCGC)
            #expect(download.status == 200 && APIFixture.header("Content-Length", of: download) == String(content.count))
            if kind == .jpeg {
                // EXIF orientation 6: the 48×32 photo was taken with the camera turned; stored upright.
                #expect(TestMedia.dimensions(of: content).map { [$0.width, $0.height] } == [32, 48])
            }
        }
    }

    @Test(
        "API: a PDF with JavaScript, an automatic, open or launch action, an embedded file or a local link is refused with 415",
        arguments: activePDFs.map(\.label))
    func apiRefusesActivePDFs(label: String) throws {
        let pdf = try #require(Self.activePDFs.first { $0.label == label })
        let f = try APIFixture()
        let reply = try f.send("POST", "/api/v1/cases/\(f.caseID)/attachments", as: .holder, body: pdf.content, contentType: "application/pdf")
        #expect(reply.status == 415, "\(pdf.label): \(reply.status) \(reply.body.prefix(300))")
        #expect(reply.body.contains("the PDF contains \(pdf.says)"), "\(pdf.label): \(reply.body.prefix(300))")
        #expect(try Self.attachmentCount(f, f.caseID) == 0, "\(pdf.label)")
    }

    @Test("API: the JavaScript in a compressed object stream is not in the file's bytes; it is found all the same")
    func hiddenJavaScriptIsNotInTheBytes() throws {
        let pdf = try #require(Self.activePDFs.first { $0.label.contains("object stream") })
        #expect(!String(decoding: pdf.content, as: UTF8.self).contains("JavaScript"))
    }

    @Test(
        "API: an encrypted PDF and one that cannot be read without repair are refused; a plain one is stored as qpdf writes it, without what followed its end"
    )
    func apiPDFs() throws {
        let f = try APIFixture()
        let path = "/api/v1/cases/\(f.caseID)/attachments"
        let encrypted = TestPDF.document(
            extra: [
                "<< /Filter /Standard /V 1 /R 2 /Length 40 /P -4 /O <\(String(repeating: "4f", count: 32))> /U <\(String(repeating: "55", count: 32))> >>"
            ],
            trailer: "/Encrypt 6 0 R /ID [<00112233445566778899aabbccddeeff> <00112233445566778899aabbccddeeff>]")
        let refusedEncrypted = try f.send("POST", path, as: .holder, body: encrypted, contentType: "application/pdf")
        #expect(refusedEncrypted.status == 415 && refusedEncrypted.body.contains("encrypted"), "\(refusedEncrypted.body.prefix(300))")
        let broken = Array("%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n".utf8)
        let refusedBroken = try f.send("POST", path, as: .holder, body: broken, contentType: "application/pdf")
        #expect(
            refusedBroken.status == 415 && refusedBroken.body.contains("cannot be read without repairing it"), "\(refusedBroken.body.prefix(300))")
        #expect(try Self.attachmentCount(f, f.caseID) == 0)

        // A plain PDF with an HTML page appended after %%EOF (a polyglot): stored without it.
        let plain = TestPDF.document(
            page: "/Annots [6 0 R]",
            extra: ["<< /Type /Annot /Subtype /Link /Rect [72 700 300 730] /A << /S /URI /URI (https://www.cfa.go.jp/) >> >>"])
        let stored = try f.send("POST", path + "?name=report.pdf", as: .holder, body: plain + Self.html, contentType: "application/pdf")
        #expect(stored.status == 201, "\(stored.body.prefix(300))")
        let (info, content) = try Self.stored(f, stored)
        #expect(info["media_type"] as? String == "application/pdf" && info["name"] as? String == "report.pdf")
        #expect(content.starts(with: Array("%PDF-1.7".utf8)) && !String(decoding: content, as: UTF8.self).contains("<script>"))
        #expect(try UploadInspection.inspect(content, declaredType: nil).kind == .pdf)
    }

    @Test(
        "mimamori serve: a disguised photo and a PDF built to exhaust memory are refused by their child process; a real photo is stored; the server goes on"
    )
    func throughTheServeBinary() throws {
        let f = try APIFixture()
        f.server.stop()
        let running = try CommandRun.start(["serve", "--data", f.store.dataDirectory.path, "--port", "0", "--no-access-log"])
        defer { running.process.terminate() }
        let banner = try #require(running.waitForOutput(containing: "Serving on"))
        let port = try #require(UInt16(banner.split(separator: ":").last?.split(separator: "/").first ?? ""))
        let client = RawHTTPClient(port: port)
        func upload(_ body: [UInt8], _ type: String) throws -> RawHTTPClient.Reply {
            let head = [
                "POST /api/v1/cases/\(f.caseID)/attachments HTTP/1.1", "Host: 127.0.0.1", "Connection: close",
                "Authorization: Bearer \(f.tokens[.holder]!)",
                "Content-Type: \(type)", "Content-Length: \(body.count)",
            ]
            return try #require(try client.send(Array((head.joined(separator: "\r\n") + "\r\n\r\n").utf8) + body, timeout: 60))
        }
        let disguised = try upload(Array(TestMedia.png().prefix(8)) + Self.html, "image/png")
        #expect(disguised.status == 415 && disguised.body.contains("not a complete, valid PNG image"), "\(disguised.body.prefix(300))")
        let bomb = TestPDF.document(extra: ["[" + String(repeating: "0 ", count: 4_900_000) + "]"])
        let exhausting = try upload(bomb, "application/pdf")
        #expect(exhausting.status == 415 && exhausting.body.contains("took more than 768 MiB"), "\(exhausting.body.prefix(300))")
        let photo = try upload(TestMedia.jpegWithEXIF(), "image/jpeg")
        #expect(photo.status == 201, "\(photo.body.prefix(300))")
        try Self.expectClean(try Self.stored(f, photo).content, kind: .jpeg, "serve")
        #expect(try client.get("/healthz")?.status == 200)
    }

    // MARK: - Pages

    @Test("page: a case attachment is refused in Japanese when it is not the image it seems or a PDF runs a script; a real photo is stored anew")
    func pageAttachment() throws {
        let f = try APIFixture()
        let (cookie, _, csrf) = try FormValidationTests.open(f, .holder, "/cases/\(f.caseID)")
        let path = "/cases/\(f.caseID)/attachments"
        for (content, type, message) in [
            (Array(TestMedia.png().prefix(8)) + Self.html, "image/png", "このPNG画像は壊れているか途中で切れているため、読み取れません"),
            (Self.activePDFs[0].content, "application/pdf", "このPDFにはJavaScript（スクリプト）が含まれているため、安全のため添付できません"),
            (Self.activePDFs[4].content, "application/pdf", "プログラムやファイルを起動する動作"),
        ] {
            let reply = try FormValidationTests.submit(f, path, cookie: cookie, [("csrf_token", csrf)], photo: ("file", type, content))
            #expect(reply.status == 415 && reply.body.contains(message), "\(reply.status) \(reply.body.prefix(600))")
        }
        #expect(try Self.attachmentCount(f, f.caseID) == 0)
        let photo = try FormValidationTests.submit(
            f, path, cookie: cookie, [("csrf_token", csrf)], photo: ("IMG_0001.jpg", "image/jpeg", TestMedia.jpegWithEXIF()))
        #expect(photo.status == 303, "\(photo.status) \(photo.body.prefix(300))")
        let attachment = try #require(try f.store.cases.read(id: f.caseID, as: .localAdministrator).attachments.first)
        try Self.expectClean(try f.store.attachments.read(id: attachment.id, as: .localAdministrator).content, kind: .jpeg, "page")
    }

    @Test("page: the new-case form refuses a PDF that launches a program or a truncated photo next to the photo field, and registers nothing")
    func newCaseForm() throws {
        let f = try APIFixture()
        let (cookie, _, csrf) = try FormValidationTests.open(f, .holder, "/cases/new")
        let before = try FormValidationTests.saved(f)
        let jpeg = TestMedia.jpeg()
        for (content, type, message) in [
            (Self.activePDFs[4].content, "application/pdf", "プログラムやファイルを起動する動作"),
            (Array(jpeg.prefix(jpeg.count / 2)), "image/jpeg", "このJPEG画像は壊れているか途中で切れているため"),
        ] {
            let reply = try FormValidationTests.submit(
                f, "/cases/new", cookie: cookie, FormValidationTests.valid(csrf: csrf), photo: ("scan", type, content))
            #expect(reply.status == 422, "\(reply.status) \(reply.body.prefix(300))")
            let field = try #require(FormValidationTests.field("photo", in: reply.body))
            #expect(field.contains(#"id="photo-error""#) && field.contains(message), "\(field)")
        }
        #expect(try FormValidationTests.saved(f) == before)
    }

    // MARK: - Alert photos

    @Test(
        "alert photo: by the API and the page, a disguised or broken photo is refused and no alert opens; a real one is sent anew, without its EXIF")
    func alertPhotos() throws {
        let f = try AlertAPITests.fixture()
        // The API: the photo is an attachment first, then named by the alert.
        let disguised = try f.send(
            "POST", "/api/v1/cases/\(f.caseID)/attachments", as: .partnerCGC, body: Array(TestMedia.webp().prefix(12)) + Self.html,
            contentType: "image/webp")
        #expect(disguised.status == 415 && disguised.body.contains("not a complete, valid WebP image"), "\(disguised.body.prefix(300))")
        #expect(try Self.attachmentCount(f, f.caseID) == 0)

        // The page: the alert form with its photo.
        let (cookie, _, csrf) = try FormValidationTests.open(f, .partnerCGC, "/cases/\(f.caseID)")
        let fields = [("csrf_token", csrf), ("circumstances", "11月24日夕方、下校後に帰宅せず")]
        let png = TestMedia.png()
        let refused = try FormValidationTests.submit(
            f, "/cases/\(f.caseID)/alert", cookie: cookie, fields, photo: ("child.png", "image/png", Array(png.prefix(png.count - 40))))
        #expect(refused.status == 415 && refused.body.contains("このPNG画像は壊れているか途中で切れているため"), "\(refused.status) \(refused.body.prefix(300))")
        #expect(try f.store.alerts.list(as: .localAdministrator).isEmpty)
        #expect(try Self.attachmentCount(f, f.caseID) == 0)

        let opened = try FormValidationTests.submit(
            f, "/cases/\(f.caseID)/alert", cookie: cookie, fields, photo: ("child.jpg", "image/jpeg", TestMedia.jpegWithEXIF()))
        #expect(opened.status == 303, "\(opened.status) \(opened.body.prefix(300))")
        let alert = try #require(try f.store.alerts.list(as: .localAdministrator).first)
        let photo = try f.store.alerts.photo(alert.id, as: .localAdministrator)
        try Self.expectClean(photo.content, kind: .jpeg, "alert photo")
        let sent = try f.send("GET", "/api/v1/alerts/\(alert.id)/photo", as: .cgcElsewhere)
        #expect(sent.status == 200 && APIFixture.header("Content-Length", of: sent) == String(photo.content.count))
    }
}
