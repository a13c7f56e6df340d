/// Routes requests to handlers. For now it answers the health check only; the JSON API and
/// the web UI arrive with their issues, behind authentication (nothing that reads case data
/// is exposed before the access rules are in place).
package struct WebApplication: Sendable {
    package init() {}

    package func handle(_ request: HTTPRequest) -> HTTPResponse {
        switch (request.method, request.path) {
        case ("GET", "/healthz"), ("HEAD", "/healthz"):
            return .json(200, #"{"status":"ok"}"#)
        case (_, "/healthz"):
            return HTTPResponse.problem(405, title: "Method not allowed", detail: "/healthz answers GET and HEAD")
        default:
            return .problem(404, title: "Not found", detail: "no route for \(request.method) \(request.path.prefix(200))")
        }
    }
}
