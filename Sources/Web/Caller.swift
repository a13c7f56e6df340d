import Foundation
import HTTPServer
import Logging
import Store

/// Who sent a request: a user through a bearer token (API clients) or a browser session
/// cookie. Browser requests that change state must carry the session's CSRF token.
struct Caller {
    enum Credential {
        case token
        case session(BrowserSession)
    }

    let user: User
    let credential: Credential

    var actor: Actor { user.actor }

    static let cookieName = "mimamori_session"

    /// The session id from the Cookie header, if any.
    static func sessionID(in request: HTTPRequest) -> String? {
        guard let header = request.headers["cookie"] else { return nil }
        for pair in header.split(separator: ";") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            if parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == cookieName {
                return parts[1].trimmingCharacters(in: .whitespaces)
            }
        }
        return nil
    }

    /// The Set-Cookie value for a session (or, with nil, one that clears it). `Secure` is
    /// added when the request came over TLS.
    static func cookie(_ id: String?, secure: Bool) -> String {
        let value = id ?? ""
        let age = id == nil ? 0 : Int(Sessions.sessionAbsoluteSeconds)
        return "\(cookieName)=\(value); Path=/; HttpOnly; SameSite=Strict; Max-Age=\(age)" + (secure ? "; Secure" : "")
    }

    /// Authenticates a request, or answers why not (401; 403 for a missing CSRF token).
    static func authenticate(_ request: HTTPRequest, store: Store) throws(Refusal) -> Caller {
        if let header = request.headers["authorization"] {
            let token = String(header.dropFirst(7))
            guard header.hasPrefix("Bearer "), let user = try lookUp(store, { () throws(StoreError) in try store.tokens.user(forToken: token) })
            else {
                throw unauthorized("the token is unknown, expired or revoked, or its user is disabled")
            }
            return Caller(user: user, credential: .token)
        }
        guard let id = sessionID(in: request) else {
            throw unauthorized("sign in (POST /api/v1/session) or send Authorization: Bearer <token>")
        }
        guard let session = try lookUp(store, { () throws(StoreError) in try store.sessions.find(id) }) else {
            var refusal = unauthorized("the session has ended or expired; sign in again").response
            refusal.headers.append(("Set-Cookie", cookie(nil, secure: request.isSecure)))
            throw Refusal(refusal)
        }
        if !["GET", "HEAD"].contains(request.method) {
            guard let sent = request.headers["x-csrf-token"], constantTimeEqual(sent, session.csrfToken) else {
                do { try store.auditRefusal(of: session.user.actor, "csrf", target: "\(request.method) \(request.path)") } catch {
                    store.logger.error("a refusal could not be audited", metadata: ["error": "\(error.description)"])
                }
                throw Refusal(
                    403, "CSRF token missing",
                    "a browser request that changes data must send the X-CSRF-Token header given at sign-in (GET /api/v1/session)")
            }
        }
        return Caller(user: session.user, credential: .session(session))
    }

    /// A credential looked up in the Store; a failure of the Store itself is logged and
    /// answered 500 (not 401: the credential may be good).
    private static func lookUp<T>(_ store: Store, _ body: () throws(StoreError) -> T?) throws(Refusal) -> T? {
        do { return try body() } catch {
            if error.kind == .secondFactorNeeded { throw unauthorized(error.description) }
            if error.isServiceFailure {
                store.logger.error("a credential could not be checked", metadata: ["error": "\(error.description)"])
                throw Refusal(.failure(error))
            }
            return nil
        }
    }

    static func unauthorized(_ detail: String) -> Refusal {
        var response = HTTPResponse.problem(401, title: "Unauthorized", detail: detail)
        response.headers.append(("WWW-Authenticate", "Bearer"))
        return Refusal(response)
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
