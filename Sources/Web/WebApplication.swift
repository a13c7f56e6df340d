import Foundation
package import HTTPServer
package import Logging
package import Query
import Store

/// Routes requests to handlers. Every route but the health check, the metrics and sign-in
/// needs a signed-in caller; what a caller may see and do is decided in the Store (access
/// policy) and the search layer, never here.
package struct WebApplication: Sendable {
    let engine: SearchEngine?
    /// The metrics registry in Prometheus text format (the server's request metrics and any the
    /// application registers beside them), if served.
    let metrics: (@Sendable () -> String)?
    /// The staff web UI's templates (nil only if the module's resources are missing).
    let pages: WebPages?
    /// Failures of the service at the edge (a 500's diagnostic), never personal data.
    let logger: Logger
    /// The state of continuous replication (Litestream), when the server replicates.
    let replication: (@Sendable () -> ReplicationHealth)?

    var store: Store? { engine?.store }

    /// - Parameters:
    ///   - engine: the search engine over the store; nil serves the health check only.
    ///   - metrics: renders `GET /metrics` (loopback clients and operators only), e.g.
    ///     `{ registry.exposition() }` over the registry the `HTTPServer` records in.
    ///   - logger: where failures at the edge are logged; by default the Store's logger.
    ///   - replication: the state of replication, reported by `GET /healthz` (`"replication":
    ///     "running"` or `"down"`, each file's lag; `"status": "degraded"` while Litestream is
    ///     down or a file lags beyond the limit: still serving, writes not yet replicated).
    package init(
        engine: SearchEngine? = nil, metrics: (@Sendable () -> String)? = nil, logger: Logger? = nil,
        replication: (@Sendable () -> ReplicationHealth)? = nil
    ) {
        self.engine = engine
        self.metrics = metrics
        self.replication = replication
        self.logger = logger ?? engine?.store.logger ?? Logger(label: "mimamori.web", factory: { _ in SwiftLogNoOpLogHandler() })
        do { pages = try WebPages() } catch {
            self.logger.critical("the staff UI's templates cannot be loaded; only the API is served", metadata: ["error": "\(error)"])
            pages = nil
        }
    }

    /// The start of the names of the server's request metrics (`HTTPServer.Configuration.metricsPrefix`):
    /// `mimamori_http_requests_total`, `mimamori_http_request_duration_seconds`, `mimamori_http_requests_in_flight`.
    package static let metricsPrefix = "mimamori_http"

    typealias Handler = @Sendable (WebApplication, HTTPRequest, [String], Caller) -> HTTPResponse

    /// Every route the API answers (docs/openapi.yaml must describe exactly these).
    package static var routes: [Route] {
        table.map(\.route) + [Route("GET", "/healthz"), Route("HEAD", "/healthz"), Route("GET", "/metrics"), Route("POST", "/api/v1/session")]
    }

    /// The routes that need a signed-in caller, with their handlers.
    static let table: [(route: Route, handler: Handler)] = [
        (Route("GET", "/api/v1/session"), { app, request, _, caller in app.currentSession(request, caller) }),
        (Route("DELETE", "/api/v1/session"), { app, request, _, caller in app.signOut(request, caller) }),
        (Route("POST", "/api/v1/session/second-factor"), { app, request, _, caller in app.beginSecondFactor(request, caller) }),
        (Route("POST", "/api/v1/session/second-factor/confirm"), { app, request, _, caller in app.confirmSecondFactor(request, caller) }),
        (Route("POST", "/api/v1/tokens"), { app, request, _, caller in app.createToken(request, caller) }),
        (Route("GET", "/api/v1/tokens"), { app, request, _, caller in app.listTokens(request, caller) }),
        (Route("DELETE", "/api/v1/tokens/{id}"), { app, request, ids, caller in app.revokeToken(ids[0], request, caller) }),
        (Route("GET", "/api/v1/search"), { app, request, _, caller in app.search(request, caller) }),
        (Route("POST", "/api/v1/search/batch"), { app, request, _, caller in app.searchBatch(request, caller) }),
        (Route("POST", "/api/v1/cases"), { app, request, _, caller in app.createCase(request, caller) }),
        (Route("GET", "/api/v1/cases"), { app, request, _, caller in app.listCases(request, caller) }),
        (Route("GET", "/api/v1/cases/{id}"), { app, request, ids, caller in app.readCase(ids[0], request, caller) }),
        (Route("PATCH", "/api/v1/cases/{id}"), { app, request, ids, caller in app.updateCase(ids[0], request, caller) }),
        (Route("GET", "/api/v1/cases/{id}/notes"), { app, request, ids, caller in app.notes(ids[0], request, caller) }),
        (Route("POST", "/api/v1/cases/{id}/notes"), { app, request, ids, caller in app.addNote(ids[0], request, caller) }),
        (Route("POST", "/api/v1/cases/{id}/attachments"), { app, request, ids, caller in app.addAttachment(ids[0], request, caller) }),
        (Route("POST", "/api/v1/attachments/{id}/void"), { app, request, ids, caller in app.voidAttachment(ids[0], request, caller) }),
        (Route("GET", "/api/v1/attachments/{id}"), { app, request, ids, caller in app.readAttachment(ids[0], request, caller) }),
        (Route("GET", "/api/v1/cases/{id}/views"), { app, request, ids, caller in app.caseViews(ids[0], request, caller) }),
        (Route("GET", "/api/v1/cases/{id}/progress"), { app, request, ids, caller in app.readProgress(ids[0], request, caller) }),
        (Route("PATCH", "/api/v1/cases/{id}/progress"), { app, request, ids, caller in app.updateProgress(ids[0], request, caller) }),
        (Route("POST", "/api/v1/cases/{id}/void"), { app, request, ids, caller in app.voidCase(ids[0], request, caller) }),
        (Route("GET", "/api/v1/cases/{id}/links"), { app, request, ids, caller in app.caseLinks(ids[0], request, caller) }),
        (Route("POST", "/api/v1/cases/{id}/links"), { app, request, ids, caller in app.proposeLink(ids[0], request, caller) }),
        (Route("POST", "/api/v1/links/{id}/confirm"), { app, request, ids, caller in app.linkStep(ids[0], "confirm", request, caller) }),
        (Route("POST", "/api/v1/links/{id}/decline"), { app, request, ids, caller in app.linkStep(ids[0], "decline", request, caller) }),
        (Route("POST", "/api/v1/links/{id}/end"), { app, request, ids, caller in app.linkStep(ids[0], "end", request, caller) }),
        (Route("GET", "/api/v1/cases/{id}/former"), { app, request, ids, caller in app.readFormerRecord(ids[0], request, caller) }),
        (Route("PUT", "/api/v1/cases/{id}/watch"), { app, request, ids, caller in app.setWatch(ids[0], request, caller) }),
        (Route("GET", "/api/v1/caseload"), { app, request, _, caller in app.caseload(request, caller) }),
        (Route("GET", "/api/v1/caseload/meeting"), { app, request, _, caller in app.meetingList(request, caller) }),
        (Route("POST", "/api/v1/import"), { app, request, _, caller in app.importRecords(request, caller) }),
        (Route("GET", "/api/v1/audit"), { app, request, _, caller in app.auditTrail(request, caller) }),
        (Route("POST", "/api/v1/cases/{id}/transfers"), { app, request, ids, caller in app.proposeTransfer(ids[0], request, caller) }),
        (Route("GET", "/api/v1/transfers"), { app, request, _, caller in app.listTransfers(request, caller) }),
        (Route("GET", "/api/v1/transfers/{id}"), { app, request, ids, caller in app.readTransfer(ids[0], request, caller) }),
        (Route("POST", "/api/v1/transfers/{id}/approve"), { app, request, ids, caller in app.transferStep(ids[0], "approve", request, caller) }),
        (Route("POST", "/api/v1/transfers/{id}/withdraw"), { app, request, ids, caller in app.transferStep(ids[0], "withdraw", request, caller) }),
        (Route("POST", "/api/v1/transfers/{id}/decline"), { app, request, ids, caller in app.transferStep(ids[0], "decline", request, caller) }),
        (Route("POST", "/api/v1/transfers/{id}/confirm"), { app, request, ids, caller in app.transferStep(ids[0], "confirm", request, caller) }),
        (Route("POST", "/api/v1/cases/{id}/requests"), { app, request, ids, caller in app.requestInformation(ids[0], request, caller) }),
        (Route("GET", "/api/v1/requests"), { app, request, _, caller in app.listRequests(request, caller) }),
        (Route("GET", "/api/v1/requests/{id}"), { app, request, ids, caller in app.readRequest(ids[0], request, caller) }),
        (Route("POST", "/api/v1/requests/{id}/approve"), { app, request, ids, caller in app.answerRequest(ids[0], approve: true, request, caller) }),
        (Route("POST", "/api/v1/requests/{id}/decline"), { app, request, ids, caller in app.answerRequest(ids[0], approve: false, request, caller) }),
        (Route("PUT", "/api/v1/cases/{id}/flag"), { app, request, ids, caller in app.flagCase(ids[0], request, caller) }),
        (Route("POST", "/api/v1/cases/{id}/flag/confirm"), { app, request, ids, caller in app.confirmFlag(ids[0], request, caller) }),
        (Route("POST", "/api/v1/cases/{id}/alerts"), { app, request, ids, caller in app.openAlert(ids[0], request, caller) }),
        (Route("GET", "/api/v1/alerts"), { app, request, _, caller in app.listAlerts(request, caller) }),
        (Route("GET", "/api/v1/alerts/{id}"), { app, request, ids, caller in app.readAlert(ids[0], request, caller) }),
        (Route("GET", "/api/v1/alerts/{id}/photo"), { app, request, ids, caller in app.alertPhoto(ids[0], request, caller) }),
        (Route("POST", "/api/v1/alerts/{id}/responses"), { app, request, ids, caller in app.respondToAlert(ids[0], request, caller) }),
        (Route("POST", "/api/v1/alerts/{id}/close"), { app, request, ids, caller in app.closeAlert(ids[0], request, caller) }),
        (Route("POST", "/api/v1/reports"), { app, request, _, caller in app.publishReport(request, caller) }),
        (Route("GET", "/api/v1/reports"), { app, request, _, caller in app.listReports(request, caller) }),
        (Route("GET", "/api/v1/reports/{id}/submissions"), { app, request, ids, caller in app.listSubmissions(ids[0], request, caller) }),
        (Route("PUT", "/api/v1/reports/{id}/submission"), { app, request, ids, caller in app.submitReport(ids[0], request, caller) }),
        (Route("GET", "/api/v1/reports/{id}/summary"), { app, request, ids, caller in app.reportSummary(ids[0], request, caller) }),
        (Route("POST", "/api/v1/reports/{id}/remind"), { app, request, ids, caller in app.remindReport(ids[0], request, caller) }),
        (Route("GET", "/api/v1/reports/{id}/export"), { app, request, ids, caller in app.exportReport(ids[0], request, caller) }),
        (Route("GET", "/api/v1/notifications"), { app, request, _, caller in app.listNotifications(request, caller) }),
        (Route("POST", "/api/v1/notifications/{id}/dismiss"), { app, request, ids, caller in app.dismissMatch(ids[0], request, caller) }),
        (Route("POST", "/api/v1/notifications/{id}/read"), { app, request, ids, caller in app.markNotificationRead(ids[0], request, caller) }),
        (Route("GET", "/api/v1/export"), { app, request, _, caller in app.exportCases(request, caller) }),
        (Route("GET", "/api/v1/settings"), { app, request, _, caller in app.readSettings(request, caller) }),
        (Route("PUT", "/api/v1/settings"), { app, request, _, caller in app.updateSettings(request, caller) }),
    ]

    /// Bodies each route accepts; the server refuses larger ones with 413 before reading them.
    package static func bodyLimit(method: String, path: String) -> Int {
        switch (method, path) {
        case ("POST", "/api/v1/import"), ("POST", "/import"): 256 << 20
        case ("POST", "/api/v1/search/batch"), ("POST", "/search/batch"): 4 << 20
        case ("POST", _) where path.hasPrefix("/api/") && path.hasSuffix("/attachments"): Attachments.maxAttachmentBytes
        // Upload forms of the UI: a too-large file is answered on the form, not cut off.
        case ("POST", "/cases/new"): pageUploadLimit
        case ("POST", _) where path.hasPrefix("/cases/") && (path.hasSuffix("/attachments") || path.hasSuffix("/alert")): pageUploadLimit
        case ("POST", _), ("PATCH", _), ("PUT", _): 1 << 20
        default: 16 << 10
        }
    }

    package func handle(_ request: HTTPRequest) -> HTTPResponse {
        let segments = request.path.split(separator: "/", omittingEmptySubsequences: false)
        switch (request.method, request.path) {
        case ("GET", "/healthz"), ("HEAD", "/healthz"):
            guard let replication else { return HTTPResponse.json(200, #"{"status":"ok"}"#).routed("/healthz") }
            return HTTPResponse.json(200, replication().json).routed("/healthz")
        case (_, "/healthz"):
            return HTTPResponse.problem(405, title: "Method not allowed", detail: "/healthz answers GET and HEAD").routed("/healthz")
        case ("GET", "/metrics"):
            return servedMetrics(request).routed("/metrics")
        case ("POST", "/api/v1/session"):
            guard let store else { break }
            return signIn(request, store).routed("/api/v1/session")
        default:
            break
        }
        guard let store else { return notFound(request) }
        if let pages, let page = handlePage(request, store, pages) { return page }
        // Ids that cannot exist (`..`, SQL, upper case, 65 characters) never reach a handler.
        let matching = Self.table.compactMap { entry in
            entry.route.match(segments).flatMap { captured in captured.allSatisfy(Route.isID) ? (entry, captured) : nil }
        }
        guard !matching.isEmpty else { return notFound(request) }
        guard let (entry, captured) = matching.first(where: { $0.0.route.method == request.method }) else {
            let allowed = matching.map(\.0.route.method).joined(separator: ", ")
            var response = HTTPResponse.problem(405, title: "Method not allowed", detail: "\(matching[0].0.route.template) answers \(allowed)")
            response.headers.append(("Allow", allowed))
            return response.routed(matching[0].0.route.template)
        }
        let caller: Caller
        do { caller = try Caller.authenticate(request, store: store) } catch { return error.response.routed(entry.route.template) }
        // A session that must first enrol a second factor reaches only the routes that do so.
        if case .session(let session) = caller.credential, session.enrolmentOnly, !Self.enrolmentRoutes.contains(entry.route) {
            return HTTPResponse.problem(
                403, title: "Second factor required",
                detail: "set up a second factor first: POST /api/v1/session/second-factor, then POST /api/v1/session/second-factor/confirm"
            ).routed(entry.route.template)
        }
        // A route the caller may not use at all is refused (and audited) before its body is read.
        if let permission = Self.preconditions[entry.route]?(caller.actor) {
            do throws(StoreError) {
                try store.require(permission, as: caller.actor, action: "\(entry.route.method) \(entry.route.template)")
            } catch {
                return failure(error).routed(entry.route.template)
            }
        }
        return entry.handler(self, request, captured, caller).routed(entry.route.template)
    }

    /// The routes a session that must first enrol a second factor may use.
    static let enrolmentRoutes: Set<Route> = [
        Route("GET", "/api/v1/session"), Route("DELETE", "/api/v1/session"), Route("POST", "/api/v1/session/second-factor"),
        Route("POST", "/api/v1/session/second-factor/confirm"),
    ]

    /// What a caller must be allowed before a route reads its body: the routes, of the API and
    /// of the pages, whose use does not depend on the resource named in the path. (Routes on a
    /// case, transfer or alert are decided by the Store on that resource, which it reads before
    /// the body's content.)
    static let preconditions: [Route: @Sendable (Actor) -> Permission] = [
        Route("POST", "/api/v1/cases"): { .registerCases(holder: $0.authority ?? "") },
        Route("POST", "/api/v1/import"): { .registerCases(holder: $0.authority ?? "") },
        Route("POST", "/api/v1/reports"): { _ in .ministry },
        Route("GET", "/api/v1/reports/{id}/export"): { _ in .ministry },
        Route("GET", "/api/v1/reports/{id}/summary"): { _ in .ministry },
        Route("POST", "/api/v1/reports/{id}/remind"): { _ in .ministry },
        Route("PUT", "/api/v1/reports/{id}/submission"): { _ in .submitReport },
        Route("PUT", "/api/v1/settings"): { .changeSettings(authority: $0.authority ?? "") },
        Route("GET", "/api/v1/alerts"): { _ in .receiveAlerts },
        Route("POST", "/api/v1/alerts/{id}/responses"): { _ in .receiveAlerts },
        Route("POST", "/cases/new"): { .registerCases(holder: $0.authority ?? "") },
        Route("POST", "/import"): { .registerCases(holder: $0.authority ?? "") },
        Route("POST", "/reports"): { _ in .ministry },
        Route("POST", "/reports/{id}"): { _ in .submitReport },
        Route("POST", "/reports/{id}/remind"): { _ in .ministry },
        Route("POST", "/settings"): { .changeSettings(authority: $0.authority ?? "") },
        Route("POST", "/alerts/{id}/respond"): { _ in .receiveAlerts },
        Route("POST", "/users"): { .manageUsers(authority: $0.authority) },
        Route("POST", "/users/disable"): { .manageUsers(authority: $0.authority) },
        Route("POST", "/users/enable"): { .manageUsers(authority: $0.authority) },
        Route("POST", "/users/unlock"): { .manageUsers(authority: $0.authority) },
        Route("POST", "/users/role"): { .manageUsers(authority: $0.authority) },
        Route("POST", "/users/password"): { .manageUsers(authority: $0.authority) },
        Route("POST", "/users/second-factor/reset"): { .manageUsers(authority: $0.authority) },
    ]

    private func notFound(_ request: HTTPRequest) -> HTTPResponse {
        .problem(404, title: "Not found", detail: "no route for \(request.method.prefix(16)) \(request.path.prefix(200))")
    }

    /// Metrics carry no personal data, but they describe the service: loopback clients
    /// (a local Prometheus) and signed-in users the policy allows (operators and
    /// administrators; a refusal is audited by the Store) may read them.
    private func servedMetrics(_ request: HTTPRequest) -> HTTPResponse {
        guard let metrics else { return notFound(request) }
        let loopback = request.remoteAddress == "127.0.0.1" || request.remoteAddress == "::1"
        if !loopback {
            guard let store else { return .problem(403, title: "Forbidden", detail: "metrics are served to loopback clients") }
            do {
                let caller = try Caller.authenticate(request, store: store)
                try store.require(.readMetrics, as: caller.actor, action: "metrics.read")
            } catch let error as StoreError {
                return failure(error)
            } catch {
                return .problem(403, title: "Forbidden", detail: "metrics are served to loopback clients and to operators")
            }
        }
        return HTTPResponse(
            status: 200, headers: [("Content-Type", "text/plain; version=0.0.4; charset=utf-8")], body: Array(metrics().utf8))
    }
}
