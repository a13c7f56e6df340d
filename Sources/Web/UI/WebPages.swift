import Foundation
import HTTPServer
import Mustache
import Query
import Store

/// The staff web UI: server-rendered Japanese pages on the same Store, search engine and
/// sessions as the API (the pages add no access path of their own). Plain HTML forms, no
/// inline script, nothing from another origin.
struct WebPages: Sendable {
    let library: MustacheLibrary
    /// The files under `Static/`, by name.
    let assets: [String: [UInt8]]

    /// Every page answer carries these (the network has no internet; nothing may be framed).
    /// `same-origin` keeps the real Origin on the login form's POST (checked against login CSRF)
    /// while nothing leaves for another origin.
    static let securityHeaders: [(String, String)] = [
        (
            "Content-Security-Policy",
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
        ),
        ("Referrer-Policy", "same-origin"),
        ("X-Frame-Options", "DENY"),
        ("Cache-Control", "no-store"),
    ]

    /// Loads the templates and static files shipped with the Web module.
    init() throws {
        guard let templates = Bundle.module.url(forResource: "Templates", withExtension: nil),
            let statics = Bundle.module.url(forResource: "Static", withExtension: nil)
        else { throw StoreError(.configuration, "the web UI's templates are missing from the Web module's resources") }
        var library = MustacheLibrary()
        for file in try FileManager.default.contentsOfDirectory(atPath: templates.path) where file.hasSuffix(".mustache") {
            let text = try String(contentsOf: templates.appendingPathComponent(file), encoding: .utf8)
            try library.register(text, named: String(file.dropLast(".mustache".count)))
        }
        self.library = library
        var assets: [String: [UInt8]] = [:]
        for file in try FileManager.default.contentsOfDirectory(atPath: statics.path) {
            assets[file] = Array(try Data(contentsOf: statics.appendingPathComponent(file)))
        }
        self.assets = assets
    }

    /// A static file (stylesheet, script), cacheable for an hour.
    func asset(_ name: String) -> HTTPResponse {
        guard let body = assets[name] else { return .problem(404, title: "Not found", detail: "no static file \(name)") }
        let type = name.hasSuffix(".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8"
        return HTTPResponse(status: 200, headers: [("Content-Type", type), ("Cache-Control", "private, max-age=3600")], body: body)
    }

    /// A rendered page with the security headers.
    func page(_ template: String, _ view: some PageView, status: Int = 200) -> HTTPResponse {
        let html = library.render(view, withTemplate: template) ?? ""
        return HTTPResponse(
            status: status, headers: [("Content-Type", "text/html; charset=utf-8")] + Self.securityHeaders, body: Array(html.utf8))
    }

    static func redirect(_ location: String, cookie: String? = nil) -> HTTPResponse {
        var headers = [("Location", location)] + securityHeaders
        if let cookie { headers.append(("Set-Cookie", cookie)) }
        return HTTPResponse(status: 303, headers: headers)
    }
}
