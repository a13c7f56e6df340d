import Foundation
import Query
import Store

extension WebApplication {
    /// The UI's routes; nil when the path is not a page.
    func handlePage(_ request: HTTPRequest, _ store: Store, _ pages: WebPages) -> HTTPResponse? {
        switch (request.method, request.path) {
        case ("GET", "/"):
            return WebPages.redirect(signedIn(request, store) == nil ? "/login" : "/search").routed("/")
        case ("GET", "/login"):
            return pages.page("login", ["title": "ログイン"]).routed("/login")
        case ("POST", "/login"):
            return signInPage(request, store, pages).routed("/login")
        case ("POST", "/logout"):
            return signOutPage(request, store).routed("/logout")
        case ("GET", "/search"):
            guard let session = signedIn(request, store) else { return WebPages.redirect("/login").routed("/search") }
            return searchPage(request, session, store, pages).routed("/search")
        case ("GET", "/static/app.css"):
            return HTTPResponse(status: 200, headers: [("Content-Type", "text/css; charset=utf-8")], body: pages.stylesheet).routed("/static/app.css")
        default:
            return nil
        }
    }

    private func signedIn(_ request: HTTPRequest, _ store: Store) -> BrowserSession? {
        Caller.sessionID(in: request).flatMap { try? store.session($0) } ?? nil
    }

    /// POST /login (a form): the same sign-in as the API; the user's entry is kept on failure.
    private func signInPage(_ request: HTTPRequest, _ store: Store, _ pages: WebPages) -> HTTPResponse {
        // A login form posted from another site would sign the victim in as someone else.
        if let origin = request.headers["origin"], let host = request.headers["host"], !origin.hasSuffix("//\(host)") {
            return .problem(403, title: "Forbidden", detail: "sign in from Mimamori's own login page")
        }
        let fields = formFields(request.body)
        let login = fields["login"] ?? ""
        func failed(_ message: String, status: Int) -> HTTPResponse {
            pages.page("login", ["title": "ログイン", "error": message, "login": login], status: status)
        }
        guard !login.isEmpty, login.utf8.count <= 64, let password = fields["password"], !password.isEmpty else {
            return failed("ログインIDとパスワードを入力してください。", status: 400)
        }
        do {
            guard let session = try store.startSession(login: login, password: password) else {
                return failed("ログインIDまたはパスワードが正しくありません。", status: 401)
            }
            return WebPages.redirect("/search", cookie: Caller.cookie(session.id, secure: request.isSecure))
        } catch where error.kind == .tooManyAttempts {
            return failed("ログインの失敗が続いたため、15分間ログインできません。", status: 429)
        } catch {
            return failed("ただいまログインできません。しばらくしてからもう一度お試しください。", status: 500)
        }
    }

    /// POST /logout (a form with the CSRF token).
    private func signOutPage(_ request: HTTPRequest, _ store: Store) -> HTTPResponse {
        guard let session = signedIn(request, store) else { return WebPages.redirect("/login", cookie: Caller.cookie(nil, secure: request.isSecure)) }
        guard formFields(request.body)["csrf_token"] == session.csrfToken else {
            return .problem(403, title: "CSRF token missing", detail: "log out with the button on a Mimamori page")
        }
        try? store.endSession(session.id)
        return WebPages.redirect("/login", cookie: Caller.cookie(nil, secure: request.isSecure))
    }

    /// GET /search: the box, the optional fields, and the graded, access-filtered hits.
    private func searchPage(_ request: HTTPRequest, _ session: BrowserSession, _ store: Store, _ pages: WebPages) -> HTTPResponse {
        let query = request.query
        let fields = ["q", "name", "kana", "birthdate", "guardian", "sex", "prefecture"]
        var context: [String: Any] = ["title": "検索", "user": WebPages.user(session, store)]
        for field in fields { context[field] = query[field] ?? "" }
        context["detailed"] = fields.dropFirst().contains { !(query[$0] ?? "").isEmpty }
        context["sexes"] = [("male", "男"), ("female", "女"), ("other", "その他"), ("unknown", "不明")].map {
            ["value": $0.0, "label": $0.1, "selected": query["sex"] == $0.0] as [String: Any]
        }
        let asked = fields.contains { !(query[$0] ?? "").trimmingCharacters(in: .whitespaces).isEmpty }
        guard asked, let engine else { return pages.page("search", context) }
        let searchRequest = SearchRequest(
            q: query["q"], name: query["name"], kana: query["kana"], birthdate: query["birthdate"], guardian: query["guardian"],
            sex: (query["sex"] ?? "").isEmpty ? nil : query["sex"], prefecture: query["prefecture"], limit: 50)
        do {
            let result = try engine.search(searchRequest, as: session.user.actor)
            context["searched"] = true
            context["total"] = result.total
            context["hits"] = result.hits.map(Self.hitContext)
        } catch let error as QueryError {
            context["error"] = "検索条件を確認してください（\(error.description)）"
            return pages.page("search", context, status: 400)
        } catch {
            context["error"] = "ただいま検索できません。しばらくしてからもう一度お試しください。"
            return pages.page("search", context, status: 500)
        }
        return pages.page("search", context)
    }

    static func hitContext(_ hit: SearchHit) -> [String: Any] {
        let grade: String = switch hit.grade {
        case .exact: "一致"
        case .likely: "有力"
        case .possible: "候補"
        }
        let role = switch hit.person.role {
        case "guardian": "（保護者）"
        case "household": "（同居人）"
        default: ""
        }
        let sex = ["male": "男", "female": "女", "other": "その他"][hit.person.sex ?? ""] ?? "不明"
        var context: [String: Any] = [
            "caseID": hit.caseID, "grade": hit.grade.rawValue, "gradeLabel": grade, "name": hit.person.name,
            "roleLabel": role, "birthdate": hit.person.birthdate.map(Self.bothCalendars) ?? "不明", "sexLabel": sex,
            "statusLabel": hit.status == "open" ? "対応中" : "終結", "authorityName": hit.authority.name,
            "why": hit.why.map(Reasons.japanese).joined(separator: "、"), "full": hit.access == .full,
        ]
        // Mustache treats an empty string as present: absent values are left out.
        if let kana = hit.person.kana, !kana.isEmpty { context["kana"] = kana }
        if let contact = hit.authority.contact, !contact.isEmpty { context["contact"] = contact }
        return context
    }

    /// A search reason as the UI shows it (see `Reasons`).
    package static func japaneseReason(_ reason: String) -> String { Reasons.japanese(reason) }

    /// 平成30年4月1日 (2018-04-01).
    static func bothCalendars(_ iso: String) -> String {
        guard let date = try? PartialDate(iso: iso) else { return iso }
        return "\(date.japaneseEraText) (\(iso))"
    }
}
