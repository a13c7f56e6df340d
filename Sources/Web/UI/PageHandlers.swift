import Foundation
import HTTPServer
import Query
import Store

extension WebApplication {
    typealias PageHandler = @Sendable (PageRequest) throws -> HTTPResponse

    /// The pages a signed-in user reaches. Every POST carries the session's CSRF token as the
    /// form field `csrf_token`; what a user may see and do is decided by the Store, as for the API.
    static let pageTable: [(route: Route, handler: PageHandler)] = [
        (Route("GET", "/search"), { try $0.searchPage() }),
        (Route("GET", "/search/batch"), { try $0.listCheckPage() }),
        (Route("POST", "/search/batch"), { try $0.listCheckUploadPage() }),
        (Route("GET", "/cases"), { try $0.caseListPage() }),
        (Route("GET", "/caseload"), { try $0.caseloadPage() }),
        (Route("GET", "/caseload/meeting"), { try $0.meetingPage() }),
        (Route("GET", "/cases/new"), { try $0.caseFormPage() }),
        (Route("GET", "/cases/export"), { try $0.caseExportPage() }),
        (Route("GET", "/import"), { try $0.importPage() }),
        (Route("POST", "/import"), { try $0.importUploadPage() }),
        (Route("GET", "/import/template.csv"), { try $0.importTemplate() }),
        (Route("POST", "/cases/new"), { try $0.createCasePage() }),
        (Route("GET", "/cases/{id}"), { try $0.casePage() }),
        (Route("GET", "/cases/{id}/edit"), { try $0.editCasePage() }),
        (Route("POST", "/cases/{id}/edit"), { try $0.updateCasePage() }),
        (Route("GET", "/cases/{id}/print"), { try $0.casePrintPage() }),
        (Route("GET", "/cases/{id}/former"), { try $0.formerRecordPage() }),
        (Route("GET", "/cases/{id}/notes"), { try $0.notesPage() }),
        (Route("POST", "/cases/{id}/notes"), { try $0.addNotePage() }),
        (Route("POST", "/cases/{id}/progress"), { try $0.updateProgressPage() }),
        (Route("POST", "/cases/{id}/watch"), { try $0.setWatchPage() }),
        (Route("POST", "/attachments/{id}/void"), { try $0.voidAttachmentPage() }),
        (Route("POST", "/cases/{id}/void"), { try $0.voidCasePage() }),
        (Route("POST", "/cases/{id}/links"), { try $0.proposeLinkPage() }),
        (Route("POST", "/links/{id}/{step}"), { try $0.linkStepPage() }),
        (Route("POST", "/cases/{id}/attachments"), { try $0.addAttachmentPage() }),
        (Route("GET", "/attachments/{id}"), { try WebApplication.download($0.store.attachments.read(id: $0.ids[0], as: $0.actor)) }),
        (Route("GET", "/cases/{id}/request"), { try $0.requestFormPage() }),
        (Route("POST", "/cases/{id}/request"), { try $0.sendRequestPage() }),
        (Route("POST", "/cases/{id}/transfer"), { try $0.proposeTransferPage() }),
        (Route("POST", "/cases/{id}/alert"), { try $0.openAlertPage() }),
        (Route("POST", "/cases/{id}/flag"), { try $0.flagCasePage() }),
        (Route("POST", "/cases/{id}/flag/confirm"), { try $0.confirmFlagPage() }),
        (Route("GET", "/inbox"), { try $0.inboxPage() }),
        (Route("POST", "/inbox/{id}/open"), { try $0.openNotificationPage() }),
        (Route("POST", "/inbox/{id}/read"), { try $0.markReadPage() }),
        (Route("POST", "/inbox/{id}/dismiss"), { try $0.dismissMatchPage() }),
        (Route("GET", "/transfers"), { try $0.transfersPage() }),
        (Route("POST", "/transfers/{id}/{step}"), { try $0.transferStepPage() }),
        (Route("GET", "/requests"), { try $0.requestsPage() }),
        (Route("POST", "/requests/{id}/{step}"), { try $0.answerRequestPage() }),
        (Route("GET", "/alerts"), { try $0.alertsPage() }),
        (Route("GET", "/alerts/{id}"), { try $0.alertPage() }),
        (Route("GET", "/alerts/{id}/photo"), { try WebApplication.download($0.store.alerts.photo($0.ids[0], as: $0.actor)) }),
        (Route("POST", "/alerts/{id}/respond"), { try $0.respondToAlertPage() }),
        (Route("POST", "/alerts/{id}/close"), { try $0.closeAlertPage() }),
        (Route("GET", "/serious"), { try $0.seriousCasesPage() }),
        (Route("GET", "/reports"), { try $0.reportsPage() }),
        (Route("POST", "/reports"), { try $0.publishReportPage() }),
        (Route("GET", "/reports/{id}"), { try $0.reportPage() }),
        (Route("POST", "/reports/{id}"), { try $0.submitReportPage() }),
        (Route("POST", "/reports/{id}/remind"), { try $0.remindReportPage() }),
        (Route("GET", "/settings"), { try $0.settingsPage() }),
        (Route("POST", "/settings"), { try $0.updateSettingsPage() }),
        (Route("GET", "/users"), { try $0.usersPage() }),
        (Route("GET", "/account/second-factor"), { try $0.secondFactorPage() }),
        (Route("POST", "/account/second-factor"), { try $0.beginSecondFactorPage() }),
        (Route("POST", "/account/second-factor/confirm"), { try $0.confirmSecondFactorPage() }),
        (Route("POST", "/users/second-factor/reset"), { try $0.resetSecondFactorPage() }),
        (Route("POST", "/users"), { try $0.createUserPage() }),
        (Route("POST", "/users/disable"), { try $0.disableUserPage() }),
        (Route("POST", "/users/enable"), { try $0.enableUserPage() }),
        (Route("POST", "/users/unlock"), { try $0.unlockUserPage() }),
        (Route("POST", "/users/role"), { try $0.changeRolePage() }),
        (Route("POST", "/sessions/{id}/end"), { try $0.endSessionPage() }),
        (Route("POST", "/users/password"), { try $0.resetPasswordPage() }),
        (Route("GET", "/password"), { try $0.passwordPage() }),
        (Route("POST", "/password"), { try $0.changePasswordPage() }),
        (Route("POST", "/tokens/{id}/revoke"), { try $0.revokeTokenPage() }),
        (Route("GET", "/audit"), { try $0.auditPage() }),
    ]

    /// Pages that upload files take bodies of up to six times an attachment's limit (60 MiB), so
    /// that a too-large file is answered on the form (with what was typed kept) rather than cut off.
    static let pageUploadLimit = Attachments.maxAttachmentBytes * 6

    /// The UI's routes; nil when the path is not a page.
    func handlePage(_ request: HTTPRequest, _ store: Store, _ pages: WebPages) -> HTTPResponse? {
        switch (request.method, request.path) {
        case ("GET", "/"):
            return WebPages.redirect(signedIn(request, store) == nil ? "/login" : "/search").routed("/")
        case ("GET", "/login"):
            var view = LoginPage()
            if request.query["expired"] != nil { view.notice = "一定時間操作がなかったため、ログアウトしました。" }
            return pages.page("login", view).routed("/login")
        case ("POST", "/login"):
            return signInPage(request, store, pages).routed("/login")
        case ("POST", "/logout"):
            return signOutPage(request, store).routed("/logout")
        case ("GET", "/static/app.css"):
            return pages.asset("app.css").routed("/static/app.css")
        case ("GET", "/static/app.js"):
            return pages.asset("app.js").routed("/static/app.js")
        default:
            break
        }
        let segments = request.path.split(separator: "/", omittingEmptySubsequences: false)
        guard
            let (entry, ids) = Self.pageTable.lazy.compactMap({ entry in
                entry.route.method == request.method
                    ? entry.route.match(segments).flatMap { ids in ids.allSatisfy(Route.isID) ? (entry, ids) : nil } : nil
            }).first
        else { return nil }
        let template = entry.route.template
        guard let session = signedIn(request, store) else {
            return WebPages.redirect("/login", cookie: Caller.sessionID(in: request) == nil ? nil : Caller.cookie(nil, secure: request.isSecure))
                .routed(template)
        }
        // A user who must have a second factor and has none yet sets one up before anything else.
        if session.enrolmentOnly, !template.hasPrefix("/account/second-factor") {
            return WebPages.redirect("/account/second-factor").routed(template)
        }
        // A page the user may not use at all is refused (and audited) before its form is read.
        if let permission = Self.preconditions[entry.route]?(session.user.actor) {
            do throws(StoreError) {
                try store.require(permission, as: session.user.actor, action: "\(entry.route.method) \(template)")
            } catch {
                let page = PageRequest(app: self, request: request, ids: ids, session: session, store: store, pages: pages, form: FormData())
                return page.failure(error).routed(template)
            }
        }
        guard let form = try? FormData(body: request.body, contentType: request.headers["content-type"]) else {
            let page = PageRequest(app: self, request: request, ids: ids, session: session, store: store, pages: pages, form: FormData())
            return page.failure(PageRefusal(400, "送信された内容を読み取れませんでした。ページを開き直してからもう一度操作してください。")).routed(template)
        }
        let page = PageRequest(app: self, request: request, ids: ids, session: session, store: store, pages: pages, form: form)
        if request.method == "POST", !Caller.constantTimeEqual(form["csrf_token"], session.csrfToken) {
            do { try store.auditRefusal(of: session.user.actor, "csrf", target: "POST \(template)") } catch { logIfServiceFailure(error) }
            return page.failure(PageRefusal(403, "画面の有効期限が切れました。ページを開き直してからもう一度操作してください。")).routed(template)
        }
        do {
            return try entry.handler(page).routed(template)
        } catch {
            return page.failure(error).routed(template)
        }
    }

    private func signedIn(_ request: HTTPRequest, _ store: Store) -> BrowserSession? {
        guard let id = Caller.sessionID(in: request) else { return nil }
        do { return try store.sessions.find(id) } catch {
            logIfServiceFailure(error)
            return nil
        }
    }

    /// POST /login (a form): the same sign-in as the API; the user's entry is kept on failure.
    private func signInPage(_ request: HTTPRequest, _ store: Store, _ pages: WebPages) -> HTTPResponse {
        // A login form posted from another site would sign the victim in as someone else.
        if let origin = request.headers["origin"], let host = request.headers["host"], !origin.hasSuffix("//\(host)") {
            return .problem(403, title: "Forbidden", detail: "sign in from Mimamori's own login page")
        }
        let fields = (try? FormData(body: request.body, contentType: request.headers["content-type"])) ?? FormData()
        let login = fields["login"]
        func failed(_ message: String, status: Int) -> HTTPResponse {
            pages.page("login", LoginPage(error: message, login: login), status: status)
        }
        let password = fields.all("password").first ?? ""  // as typed: not trimmed
        let secondFactor = fields["second_factor"]
        guard !login.isEmpty, login.utf8.count <= 64, !password.isEmpty, secondFactor.utf8.count <= 64 else {
            return failed("ログインIDとパスワードを入力してください。", status: 400)
        }
        do {
            guard let session = try store.sessions.start(login: login, password: password, secondFactor: secondFactor) else {
                return failed(secondFactor.isEmpty ? "ログインIDまたはパスワードが正しくありません。" : "ログインID、パスワードまたは確認コードが正しくありません。", status: 401)
            }
            let next = session.enrolmentOnly ? "/account/second-factor" : "/search"
            return WebPages.redirect(next, cookie: Caller.cookie(session.id, secure: request.isSecure))
        } catch  where error.kind == .secondFactorNeeded {
            var page = LoginPage(error: "確認コード（認証アプリに表示される6桁の数字、または回復コード）を入力し、パスワードももう一度入力してください。", login: login)
            page.secondFactorAsked = true
            return pages.page("login", page, status: 401)
        } catch  where error.kind == .tooManyAttempts {
            return failed("ログインの失敗が続いたため、15分間ログインできません。", status: 429)
        } catch {
            logIfServiceFailure(error)
            return failed("ただいまログインできません。しばらくしてからもう一度お試しください。", status: 500)
        }
    }

    /// POST /logout (a form with the CSRF token).
    private func signOutPage(_ request: HTTPRequest, _ store: Store) -> HTTPResponse {
        guard let session = signedIn(request, store) else { return WebPages.redirect("/login", cookie: Caller.cookie(nil, secure: request.isSecure)) }
        guard let fields = try? FormData(body: request.body, contentType: request.headers["content-type"]),
            Caller.constantTimeEqual(fields["csrf_token"], session.csrfToken)
        else {
            return .problem(403, title: "CSRF token missing", detail: "log out with the button on a Mimamori page")
        }
        // The cookie is cleared either way; a session the Store could not end expires by itself.
        do { try store.sessions.end(session.id) } catch { logIfServiceFailure(error) }
        return WebPages.redirect(fields["reason"] == "idle" ? "/login?expired=1" : "/login", cookie: Caller.cookie(nil, secure: request.isSecure))
    }
}

extension PageRequest {
    /// GET /search: the box, the optional fields, and the graded, access-filtered hits.
    /// `?partial=1` answers the results alone (search as you type swaps them in).
    func searchPage() throws -> HTTPResponse {
        let fields = ["q", "name", "kana", "birthdate", "guardian", "sex", "prefecture"]
        var view = SearchPage(
            q: query["q"] ?? "", name: query["name"] ?? "", kana: query["kana"] ?? "", birthdate: query["birthdate"] ?? "",
            guardian: query["guardian"] ?? "", sex: query["sex"] ?? "", prefecture: query["prefecture"] ?? "")
        view.detailed = fields.dropFirst().contains { !(query[$0] ?? "").isEmpty }
        // The search narrows by a known sex only (a record's 不明 is no criterion).
        view.sexes = Labels.options(Labels.sexes.filter { $0.0 != "unknown" }, selected: query["sex"])
        let prefectures = store.directory.authorities.values.filter { $0.kind == .prefecture }.sorted { $0.code < $1.code }
        view.prefectures = Labels.options(prefectures.map { ($0.name, $0.name) }, selected: query["prefecture"])
        let pageSize = 50
        let offset = try integer("offset", in: 0...950) ?? 0
        let template = query["partial"] == "1" ? "search-results" : "search"
        let asked = fields.contains { !(query[$0] ?? "").trimmingCharacters(in: .whitespaces).isEmpty }
        guard asked, let engine = app.engine else { return render(template, "検索", view) }
        let searchRequest = SearchRequest(
            q: query["q"], name: query["name"], kana: query["kana"], birthdate: query["birthdate"], guardian: query["guardian"],
            sex: (query["sex"] ?? "").isEmpty ? nil : query["sex"], prefecture: (query["prefecture"] ?? "").isEmpty ? nil : query["prefecture"],
            limit: pageSize, offset: offset)
        do {
            let result = try engine.search(searchRequest, as: actor)
            view.searched = true
            view.total = result.total
            view.hits = result.hits.map(hitView)
            if result.total > pageSize {
                view.range = "\(offset + 1)〜\(offset + result.hits.count)件目を表示"
                func link(_ start: Int) -> String {
                    var components = URLComponents()
                    components.queryItems =
                        fields.compactMap { field in query[field].map { URLQueryItem(name: field, value: $0) } }
                        + [URLQueryItem(name: "offset", value: String(start))]
                    return "/search" + (components.string ?? "")
                }
                if offset > 0 { view.previous = link(max(0, offset - pageSize)) }
                if offset + pageSize < result.total { view.next = link(offset + pageSize) }
            }
        } catch let error as QueryError {
            view.error = "検索条件を確認してください（\(error.description)）"
            return render(template, "検索", view, status: 400)
        }
        return render(template, "検索", view)
    }
}

extension PageRequest {
    /// A search hit as the results show it; the holder is named with its prefecture, since a
    /// hit in another prefecture is what the worker is looking for.
    func hitView(_ hit: SearchHit) -> SearchHitView {
        let grade: String =
            switch hit.grade {
            case .exact: "一致"
            case .likely: "有力"
            case .possible: "候補"
            }
        let role =
            switch hit.person.role {
            case "guardian": "（保護者）"
            case "household": "（同居人）"
            default: ""
            }
        let prefecture = store.directory[hit.authority.code].flatMap { store.directory.prefecture(named: $0.prefectureCode)?.name }
        // Mustache treats an empty string as present: absent values are nil.
        return SearchHitView(
            caseID: hit.caseID, grade: hit.grade.rawValue, gradeLabel: grade, name: hit.person.name, roleLabel: role,
            birthdate: Display.date(hit.person.birthdate), sexLabel: Display.sex(hit.person.sex), statusLabel: Display.status(hit.status),
            authorityName: hit.authority.name + (prefecture.map { "（\($0)）" } ?? ""),
            why: hit.why.map(Reasons.japanese).joined(separator: "、"), full: hit.access == .full,
            kana: hit.person.kana.flatMap { $0.isEmpty ? nil : $0 }, contacts: ContactsView(hit.authority), linked: hit.linked.map(hitView),
            hasLinked: !hit.linked.isEmpty)
    }
}
