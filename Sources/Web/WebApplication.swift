import Foundation
package import Query
import Store

/// Routes requests to handlers. Every route but the health check needs a signed-in caller;
/// what a caller may see is decided in the Store (access policy) and the search layer, not here.
package struct WebApplication: Sendable {
    let engine: SearchEngine?

    /// - Parameter engine: the search engine over the store; nil serves the health check only.
    package init(engine: SearchEngine? = nil) {
        self.engine = engine
    }

    package func handle(_ request: HTTPRequest) -> HTTPResponse {
        switch (request.method, request.path) {
        case ("GET", "/healthz"), ("HEAD", "/healthz"):
            return .json(200, #"{"status":"ok"}"#)
        case (_, "/healthz"):
            return .problem(405, title: "Method not allowed", detail: "/healthz answers GET and HEAD")
        case ("GET", "/api/v1/search"):
            guard let engine else { break }
            return authenticated(request, engine) { actor in search(request, as: actor, engine) }
        case (_, "/api/v1/search"):
            return .problem(405, title: "Method not allowed", detail: "/api/v1/search answers GET")
        default:
            break
        }
        return .problem(404, title: "Not found", detail: "no route for \(request.method) \(request.path.prefix(200))")
    }

    /// Runs `body` for the user a bearer token acts for, or answers 401.
    private func authenticated(_ request: HTTPRequest, _ engine: SearchEngine, _ body: (Actor) -> HTTPResponse) -> HTTPResponse {
        let header = request.headers["authorization"] ?? ""
        guard header.hasPrefix("Bearer "), let user = try? engine.store.user(forToken: String(header.dropFirst(7))) else {
            var response = HTTPResponse.problem(
                401, title: "Unauthorized",
                detail: header.isEmpty ? "send Authorization: Bearer <token> (mimamori token create)" : "the token is unknown, expired or revoked, or its user is disabled")
            response.headers.append(("WWW-Authenticate", "Bearer"))
            return response
        }
        return body(user.actor)
    }

    private func search(_ request: HTTPRequest, as actor: Actor, _ engine: SearchEngine) -> HTTPResponse {
        let query = request.query
        var limit: Int?
        var offset: Int?
        for (name, target) in [("limit", 1...QueryParser.maxLimit), ("offset", 0...100_000)] {
            guard let text = query[name] else { continue }
            guard let value = Int(text), target.contains(value) else {
                return .problem(400, title: "Invalid parameter", detail: "\(name) must be a whole number in \(target.lowerBound)–\(target.upperBound)")
            }
            if name == "limit" { limit = value } else { offset = value }
        }
        let searchRequest = SearchRequest(
            q: query["q"], name: query["name"], kana: query["kana"], birthdate: query["birthdate"],
            birthdateFrom: query["birthdate_from"], birthdateTo: query["birthdate_to"], guardian: query["guardian"],
            sex: query["sex"], prefecture: query["prefecture"], limit: limit, offset: offset)
        do {
            let result = try engine.search(searchRequest, as: actor)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            return .json(200, String(decoding: try encoder.encode(result), as: UTF8.self))
        } catch let error as QueryError {
            return .problem(400, title: "Invalid search", detail: error.description)
        } catch {
            // Store failures are not the caller's fault and say nothing about the data.
            return .problem(500, title: "Search failed", detail: "the search could not be run; try again")
        }
    }
}
