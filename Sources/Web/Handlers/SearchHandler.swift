import HTTPServer
import Query

extension WebApplication {
    /// GET /api/v1/search: access-filtered hits (audited with the query).
    func search(_ request: HTTPRequest, _ caller: Caller) -> HTTPResponse {
        respond {
            guard let engine else { throw Refusal(404, "Not found", "this server has no search index") }
            let query = request.query
            let searchRequest = SearchRequest(
                q: query["q"], name: query["name"], kana: query["kana"], birthdate: query["birthdate"],
                birthdateFrom: query["birthdate_from"], birthdateTo: query["birthdate_to"], guardian: query["guardian"],
                sex: query["sex"], prefecture: query["prefecture"],
                limit: try request.integer("limit", in: 1...QueryParser.maxLimit), offset: try request.integer("offset", in: 0...100_000))
            return .json(200, try engine.search(searchRequest, as: caller.actor).json)
        }
    }
}
