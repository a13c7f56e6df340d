import Foundation
import HTTPServer
import Store

/// Who is signed in, as the session routes answer it.
struct SessionInfo: Encodable {
    let login: String
    let displayName: String
    let authority: AuthorityInfo
    let role: String
    /// Only for browser sessions: the value to send as X-CSRF-Token.
    let csrfToken: String?

    enum CodingKeys: String, CodingKey {
        case login, displayName = "display_name", authority, role, csrfToken = "csrf_token"
    }
}

/// An authority as answers name it.
struct AuthorityInfo: Encodable {
    let code: String
    let name: String
    let contact: String?

    init(_ code: String, _ directory: AuthorityDirectory) {
        self.code = code
        name = directory[code]?.name ?? code
        contact = directory[code]?.contact
    }
}

extension WebApplication {
    /// POST /api/v1/session {"login", "password"}: a browser session in an HttpOnly,
    /// SameSite=Strict cookie, and the CSRF token in the body.
    func signIn(_ request: HTTPRequest, _ store: Store) -> HTTPResponse {
        respond {
            let object = try request.jsonObject()
            guard let login = object["login"]?.stringValue, let password = object["password"]?.stringValue,
                !login.isEmpty, login.utf8.count <= 64, password.utf8.count <= 1024
            else {
                throw Refusal(400, "Invalid sign-in", "send {\"login\": \"…\", \"password\": \"…\"} (strings; login at most 64 bytes)")
            }
            guard let session = try store.sessions.start(login: login, password: password) else {
                throw Refusal(401, "Sign-in failed", "the login or password is wrong, or the user is disabled")
            }
            var response = HTTPResponse.encoded(201, info(session.user, csrf: session.csrfToken, store))
            response.headers.append(("Set-Cookie", Caller.cookie(session.id, secure: request.isSecure)))
            return response
        }
    }

    /// GET /api/v1/session: who the caller is (and, for a browser, its CSRF token).
    func currentSession(_ request: HTTPRequest, _ caller: Caller) -> HTTPResponse {
        respond {
            let store = try requireStore()
            guard case .session(let session) = caller.credential else { return .encoded(200, info(caller.user, csrf: nil, store)) }
            return .encoded(200, info(caller.user, csrf: session.csrfToken, store))
        }
    }

    /// DELETE /api/v1/session: signs the browser out and clears its cookie.
    func signOut(_ request: HTTPRequest, _ caller: Caller) -> HTTPResponse {
        respond {
            let store = try requireStore()
            guard case .session(let session) = caller.credential else {
                throw Refusal(400, "No session", "this request was made with a token; revoke tokens with mimamori token revoke")
            }
            try store.sessions.end(session.id)
            return HTTPResponse(status: 204, headers: [("Set-Cookie", Caller.cookie(nil, secure: request.isSecure))])
        }
    }

    /// POST /api/v1/tokens {"label", "days"}: a bearer token for the caller itself.
    func createToken(_ request: HTTPRequest, _ caller: Caller) -> HTTPResponse {
        respond {
            let store = try requireStore()
            let object = try request.jsonObject()
            var days = 30
            if let value = object["days"] {
                days = try value.integer("days", in: 1...366)
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

    private func info(_ user: User, csrf: String?, _ store: Store) -> SessionInfo {
        SessionInfo(
            login: user.login, displayName: user.displayName, authority: AuthorityInfo(user.authority, store.directory),
            role: user.role.rawValue, csrfToken: csrf)
    }
}
