import Foundation
import Mustache
import Query
import Store

/// The staff web UI: server-rendered Japanese pages on the same Store, search engine and
/// sessions as the API (the pages add no access path of their own). Plain HTML forms, no
/// inline script, nothing from another origin.
struct WebPages: Sendable {
    let library: MustacheLibrary
    let stylesheet: [UInt8]

    /// Every page answer carries these (the network has no internet; nothing may be framed).
    /// `same-origin` keeps the real Origin on the login form's POST (checked against login CSRF)
    /// while nothing leaves for another origin.
    static let securityHeaders: [(String, String)] = [
        ("Content-Security-Policy",
         "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"),
        ("Referrer-Policy", "same-origin"),
        ("X-Frame-Options", "DENY"),
    ]

    /// Loads the templates and static files shipped with the Web module.
    init() throws {
        guard let templates = Bundle.module.url(forResource: "Templates", withExtension: nil),
            let stylesheet = Bundle.module.url(forResource: "Static/app.css", withExtension: nil)
        else { throw StoreError(.configuration, "the web UI's templates are missing from the Web module's resources") }
        var library = MustacheLibrary()
        for name in ["head", "foot", "login", "search"] {
            let text = try String(contentsOf: templates.appendingPathComponent("\(name).mustache"), encoding: .utf8)
            try library.register(text, named: name)
        }
        self.library = library
        self.stylesheet = Array(try Data(contentsOf: stylesheet))
    }

    /// A rendered page with the security headers.
    func page(_ template: String, _ context: [String: Any], status: Int = 200) -> HTTPResponse {
        let html = library.render(context, withTemplate: template) ?? ""
        return HTTPResponse(
            status: status, headers: [("Content-Type", "text/html; charset=utf-8")] + Self.securityHeaders, body: Array(html.utf8))
    }

    static func redirect(_ location: String, cookie: String? = nil) -> HTTPResponse {
        var headers = [("Location", location)] + securityHeaders
        if let cookie { headers.append(("Set-Cookie", cookie)) }
        return HTTPResponse(status: 303, headers: headers)
    }

    /// The signed-in user's header data.
    static func user(_ session: BrowserSession, _ store: Store) -> [String: Any] {
        ["displayName": session.user.displayName, "authorityName": store.directory[session.user.authority]?.name ?? session.user.authority,
         "csrf": session.csrfToken]
    }
}

/// `application/x-www-form-urlencoded` fields (the first of each name).
func formFields(_ body: [UInt8]) -> [String: String] {
    var fields: [String: String] = [:]
    for pair in String(decoding: body, as: UTF8.self).split(separator: "&") {
        let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        func decode(_ text: Substring) -> String {
            String(text.replacingOccurrences(of: "+", with: " ")).removingPercentEncoding ?? ""
        }
        let name = decode(parts[0])
        if fields[name] == nil { fields[name] = parts.count > 1 ? decode(parts[1]) : "" }
    }
    return fields
}
