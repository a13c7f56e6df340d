import Foundation
import HTTPServer
import Query
import Store

/// Who is signed in, as the session routes answer it.
struct SessionInfo: Encodable {
    let login: String
    let displayName: String
    let authority: AuthorityInfo
    let role: String
    /// Only for browser sessions: the value to send as X-CSRF-Token.
    let csrfToken: String?
    /// Whether the user has a second factor and whether one is required of it.
    let secondFactor: SecondFactors.Status?
    /// A browser session of a user who must enrol a second factor before anything else.
    let enrolmentOnly: Bool

    enum CodingKeys: String, CodingKey {
        case login, displayName = "display_name", authority, role, csrfToken = "csrf_token", secondFactor = "second_factor"
        case enrolmentOnly = "enrolment_only"
    }
}

/// An authority as answers name it.
struct AuthorityInfo: Encodable {
    let code: String
    let name: String
    let contact: String?
    /// Whom to call, by day and by night (every member present, null where unknown).
    let contacts: AuthorityContacts

    init(_ code: String, _ store: Store) {
        let hit = SearchHit.Authority(code, store)
        (self.code, name, contact, contacts) = (hit.code, hit.name, hit.contact, hit.contacts)
    }
}

extension WebApplication {
    /// POST /api/v1/session {"login", "password"}: a browser session in an HttpOnly,
    /// SameSite=Strict cookie, and the CSRF token in the body. A user with a second factor also
    /// sends `second_factor` (the app's six digits or a recovery code); without it the answer is
    /// 401 "Second factor required".
    func signIn(_ request: HTTPRequest, _ store: Store) -> HTTPResponse {
        respond {
            let object = try request.jsonObject()
            guard let login = object["login"]?.stringValue, let password = object["password"]?.stringValue,
                !login.isEmpty, login.utf8.count <= 64, password.utf8.count <= 1024
            else {
                throw Refusal(400, "Invalid sign-in", "send {\"login\": \"…\", \"password\": \"…\"} (strings; login at most 64 bytes)")
            }
            var secondFactor: String?
            if let value = object["second_factor"] {
                guard let code = value.stringValue, code.utf8.count <= 64 else {
                    throw Refusal(400, "Invalid sign-in", "second_factor: the six digits of the app or a recovery code, as a string")
                }
                secondFactor = code
            }
            guard let session = try store.sessions.start(login: login, password: password, secondFactor: secondFactor) else {
                throw Refusal(401, "Sign-in failed", "the login, password or second factor is wrong, or the user is disabled")
            }
            var response = HTTPResponse.encoded(201, try info(session.user, csrf: session.csrfToken, enrolmentOnly: session.enrolmentOnly, store))
            response.headers.append(("Set-Cookie", Caller.cookie(session.id, secure: request.isSecure)))
            return response
        }
    }

    /// GET /api/v1/session: who the caller is (and, for a browser, its CSRF token).
    func currentSession(_ request: HTTPRequest, _ caller: Caller) -> HTTPResponse {
        respond {
            let store = try requireStore()
            guard case .session(let session) = caller.credential else { return .encoded(200, try info(caller.user, csrf: nil, store)) }
            return .encoded(200, try info(caller.user, csrf: session.csrfToken, enrolmentOnly: session.enrolmentOnly, store))
        }
    }

    /// DELETE /api/v1/session: signs the browser out and clears its cookie.
    func signOut(_ request: HTTPRequest, _ caller: Caller) -> HTTPResponse {
        respond {
            let store = try requireStore()
            guard case .session(let session) = caller.credential else {
                throw Refusal(400, "No session", "this request was made with a token; revoke a token with DELETE /api/v1/tokens/{id}")
            }
            try store.sessions.end(session.id)
            return HTTPResponse(status: 204, headers: [("Set-Cookie", Caller.cookie(nil, secure: request.isSecure))])
        }
    }

    /// POST /api/v1/tokens {"label", "days"}: a bearer token for the caller itself, living at
    /// most the operator's longest lifetime (a longer one is a 400 naming it).
    func createToken(_ request: HTTPRequest, _ caller: Caller) -> HTTPResponse {
        respond {
            let store = try requireStore()
            let object = try request.jsonObject()
            let maximum = try store.tokens.maximumDays()
            var days = min(30, maximum)
            if let value = object["days"] {
                days = try value.integer("days", in: 1...maximum)
            }
            if let label = object["label"], label.stringValue == nil {
                throw Refusal(400, "Invalid token request", "label must be a string")
            }
            let (token, info) = try store.tokens.create(
                for: caller.user.login, label: object["label"]?.stringValue ?? "api", days: days, as: caller.actor)
            struct Created: Encodable {
                let id: Int
                let token: String
                let label: String
                let expiresAt: String
                enum CodingKeys: String, CodingKey { case id, token, label, expiresAt = "expires_at" }
            }
            return .encoded(201, Created(id: info.id, token: token, label: info.label, expiresAt: info.expiresAt))
        }
    }

    /// GET /api/v1/tokens: the caller's own tokens; `?login=L`, the tokens of the user L (the
    /// user itself, or its authority's administrators). Never a token's secret.
    func listTokens(_ request: HTTPRequest, _ caller: Caller) -> HTTPResponse {
        respond {
            let store = try requireStore()
            let login = request.query["login"] ?? caller.user.login
            guard !login.isEmpty, login.utf8.count <= 64 else { throw Refusal(400, "Invalid parameter", "login must be 1–64 characters") }
            struct Listed: Encodable { let tokens: [TokenView] }
            return .encoded(200, Listed(tokens: try store.tokens.list(of: login, as: caller.actor).map(TokenView.init)))
        }
    }

    /// DELETE /api/v1/tokens/{id}: revokes a token at once (its user, or its authority's
    /// administrators; for anyone else's it does not exist).
    func revokeToken(_ id: String, _ request: HTTPRequest, _ caller: Caller) -> HTTPResponse {
        respond {
            let store = try requireStore()
            guard let number = BoundedInteger.parse(id, in: 1...Int.max) else { throw Refusal(404, "Not found", "no token \(id)") }
            try store.tokens.revoke(number, as: caller.actor)
            return HTTPResponse(status: 204)
        }
    }

    private func info(_ user: User, csrf: String?, enrolmentOnly: Bool = false, _ store: Store) throws(StoreError) -> SessionInfo {
        SessionInfo(
            login: user.login, displayName: user.displayName, authority: AuthorityInfo(user.authority, store),
            role: user.role.rawValue, csrfToken: csrf, secondFactor: try store.secondFactors.status(of: user), enrolmentOnly: enrolmentOnly)
    }

    /// POST /api/v1/session/second-factor: starts the caller's own TOTP enrolment (a new secret).
    func beginSecondFactor(_ request: HTTPRequest, _ caller: Caller) -> HTTPResponse {
        respond { .encoded(201, try requireStore().secondFactors.begin(as: caller.actor)) }
    }

    /// POST /api/v1/session/second-factor/confirm {"code"}: confirms it; answers the recovery codes, once.
    func confirmSecondFactor(_ request: HTTPRequest, _ caller: Caller) -> HTTPResponse {
        respond {
            let store = try requireStore()
            guard let code = try request.jsonObject()["code"]?.stringValue, code.utf8.count <= 64 else {
                throw Refusal(400, "Invalid code", "send {\"code\": \"123456\"}: the six digits the app shows now")
            }
            struct Answer: Encodable {
                let recoveryCodes: [String]
                enum CodingKeys: String, CodingKey { case recoveryCodes = "recovery_codes" }
            }
            return .encoded(200, Answer(recoveryCodes: try store.secondFactors.confirm(code: code, as: caller.actor)))
        }
    }
}

/// A token as the API lists it: what it is for and when it lives, never its secret.
struct TokenView: Encodable {
    let id: Int
    let login: String
    let label: String
    let createdAt: String
    let expiresAt: String
    let lastUsedAt: String?
    let revokedAt: String?
    let state: String

    init(_ info: TokenInfo) {
        (id, login, label, createdAt, expiresAt) = (info.id, info.login, info.label, info.createdAt, info.expiresAt)
        (lastUsedAt, revokedAt, state) = (info.lastUsedAt, info.revokedAt, info.state.rawValue)
    }

    enum CodingKeys: String, CodingKey {
        case id, login, label, state
        case createdAt = "created_at", expiresAt = "expires_at", lastUsedAt = "last_used_at", revokedAt = "revoked_at"
    }
}
