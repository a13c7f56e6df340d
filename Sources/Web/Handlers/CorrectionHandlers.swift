import HTTPServer
import Store

/// Corrections without losing history: a case voided as entered by mistake, and records of one
/// child held by two authorities linked (and unlinked) as one person.
extension WebApplication {
    /// POST /api/v1/cases/{id}/void {"reason"}: a supervisor or administrator of the holder voids
    /// a case entered by mistake (kept for the audit, gone for every reader and the search).
    func voidCase(_ id: String, _ request: HTTPRequest, _ caller: Caller) -> HTTPResponse {
        respond {
            let store = try requireStore()
            try store.cases.requireVoidable(id, as: caller.actor)  // before the body is read
            let object = try request.jsonObject()
            guard let reason = object["reason"]?.stringValue else {
                throw Refusal(400, "Invalid void", "send {\"reason\": \"…\"}: why the case is voided (e.g. registered twice)")
            }
            try store.cases.void(id, reason: reason, as: caller.actor)
            return HTTPResponse(status: 204)
        }
    }

    /// GET /api/v1/cases/{id}/links: the links of a case with other holders' records of the child.
    func caseLinks(_ id: String, _ request: HTTPRequest, _ caller: Caller) -> HTTPResponse {
        respond {
            struct Answer: Encodable { let links: [CaseLink] }
            return .encoded(200, Answer(links: try requireStore().links.links(ofCase: id, as: caller.actor)))
        }
    }

    /// POST /api/v1/cases/{id}/links {"case_id"}: the holder proposes that another authority's
    /// record it can see is the same child; that authority confirms or declines.
    func proposeLink(_ id: String, _ request: HTTPRequest, _ caller: Caller) -> HTTPResponse {
        respond {
            let store = try requireStore()
            try store.links.requireHolder(ofCase: id, as: caller.actor)  // before the body is read
            let object = try request.jsonObject()
            guard let other = object["case_id"]?.stringValue, !other.isEmpty else {
                throw Refusal(400, "Invalid link", "send {\"case_id\": \"…\"}: the other authority's record of the same child")
            }
            return .encoded(201, try store.links.propose(id, with: other, as: caller.actor))
        }
    }

    /// POST /api/v1/links/{id}/confirm|decline|end: the other holder answers a proposed link;
    /// the proposer withdraws it, or either holder unlinks linked records.
    func linkStep(_ id: String, _ step: String, _ request: HTTPRequest, _ caller: Caller) -> HTTPResponse {
        respond {
            let links = try requireStore().links
            let link =
                switch step {
                case "confirm": try links.decide(id, agree: true, as: caller.actor)
                case "decline": try links.decide(id, agree: false, as: caller.actor)
                default: try links.end(id, as: caller.actor)
                }
            return .encoded(200, link)
        }
    }
}
