import HTTPServer
import Store

extension WebApplication {
    /// POST /api/v1/cases/{id}/requests {"reason"}: ask the holder of a case found by search for it.
    func requestInformation(_ caseID: String, _ request: HTTPRequest, _ caller: Caller) -> HTTPResponse {
        respond {
            let object = try request.jsonObject()
            let created = try requireStore().requests.create(aboutCase: caseID, reason: object["reason"]?.stringValue ?? "", as: caller.actor)
            return .created(created, at: "/api/v1/requests/\(created.id)")
        }
    }

    /// GET /api/v1/requests: the requests the caller's authority made or received.
    func listRequests(_ request: HTTPRequest, _ caller: Caller) -> HTTPResponse {
        respond {
            guard let authority = caller.actor.authority else { throw Refusal(403, "Forbidden", "no authority") }
            struct List: Encodable { let requests: [InformationRequest] }
            let limit = try request.integer("limit", in: 1...1000) ?? 100
            return .encoded(200, List(requests: try requireStore().requests.list(of: authority, as: caller.actor, limit: limit)))
        }
    }

    /// GET /api/v1/requests/{id}.
    func readRequest(_ id: String, _ request: HTTPRequest, _ caller: Caller) -> HTTPResponse {
        respond { .encoded(200, try requireStore().requests.read(id, as: caller.actor)) }
    }

    /// POST /api/v1/requests/{id}/approve or /decline {"reason"}: the holder answers.
    func answerRequest(_ id: String, approve: Bool, _ request: HTTPRequest, _ caller: Caller) -> HTTPResponse {
        respond {
            let store = try requireStore()
            if approve { return .encoded(200, try store.requests.approve(id, as: caller.actor)) }
            let object = request.body.isEmpty ? [:] : try request.jsonObject()
            return .encoded(200, try store.requests.decline(id, reason: object["reason"]?.stringValue ?? "", as: caller.actor))
        }
    }

    /// PUT /api/v1/cases/{id}/flag {"serious": true|false}: the holder flags (200, confirmed);
    /// ministry staff ask (202, requested, until the holder confirms).
    func flagCase(_ caseID: String, _ request: HTTPRequest, _ caller: Caller) -> HTTPResponse {
        respond {
            guard case .bool(let serious)? = try request.jsonObject()["serious"] else {
                throw Refusal(400, "Invalid flag", "send {\"serious\": true} or {\"serious\": false}")
            }
            let state = try requireStore().seriousCases.flag(caseID, serious, as: caller.actor)
            return .encoded(state == .requested ? 202 : 200, Flag(serious: serious, state: state))
        }
    }

    /// POST /api/v1/cases/{id}/flag/confirm: the holder's supervisor or administrator confirms
    /// the ministry's request.
    func confirmFlag(_ caseID: String, _ request: HTTPRequest, _ caller: Caller) -> HTTPResponse {
        respond {
            try requireStore().seriousCases.confirm(caseID, as: caller.actor)
            return .encoded(200, Flag(serious: true, state: .confirmed))
        }
    }
}

/// A serious-case flag as the API answers it.
private struct Flag: Encodable {
    let serious: Bool
    let state: SeriousCases.FlagState?
}
