import HTTPServer
import Store

extension WebApplication {
    /// POST /api/v1/cases/{id}/transfers {"destination", "kind": "transfer"|"provision", "urgent", "reason"}.
    func proposeTransfer(_ caseID: String, _ request: HTTPRequest, _ caller: Caller) -> HTTPResponse {
        respond {
            let store = try requireStore()
            let object = try request.jsonObject()
            guard let destination = object["destination"]?.stringValue else {
                throw Refusal(400, "Invalid transfer", "destination: the code of the receiving authority, e.g. 271004 or 271004-01")
            }
            guard let kind = object["kind"]?.stringValue.flatMap(Transfer.Kind.init(rawValue:)) else {
                throw Refusal(
                    400, "Invalid transfer",
                    "kind: \"transfer\" (ケース移管: the destination becomes the holder) or \"provision\" (情報提供: it may read the record for a time)")
            }
            var urgent = false
            if let value = object["urgent"] {
                guard case .bool(let flag) = value else { throw Refusal(400, "Invalid transfer", "urgent: true or false") }
                urgent = flag
            }
            let transfer = try store.transfers.propose(
                ofCase: caseID, to: destination, kind: kind, urgent: urgent, reason: object["reason"]?.stringValue ?? "", as: caller.actor)
            return .created(transfer, at: "/api/v1/transfers/\(transfer.id)")
        }
    }

    /// GET /api/v1/transfers: what the caller's authority sent and received.
    func listTransfers(_ request: HTTPRequest, _ caller: Caller) -> HTTPResponse {
        respond {
            guard let authority = caller.actor.authority else { throw Refusal(403, "Forbidden", "no authority") }
            struct List: Encodable { let transfers: [Transfer] }
            let limit = try request.integer("limit", in: 1...1000) ?? 100
            return .encoded(200, List(transfers: try requireStore().transfers.list(of: authority, as: caller.actor, limit: limit)))
        }
    }

    /// GET /api/v1/transfers/{id}: one transfer with every step, for either side.
    func readTransfer(_ id: String, _ request: HTTPRequest, _ caller: Caller) -> HTTPResponse {
        respond { .encoded(200, try requireStore().transfers.read(id, as: caller.actor)) }
    }

    /// POST /api/v1/transfers/{id}/{approve|withdraw|decline|confirm}.
    func transferStep(_ id: String, _ step: String, _ request: HTTPRequest, _ caller: Caller) -> HTTPResponse {
        respond {
            let store = try requireStore()
            let object = request.body.isEmpty ? [:] : try request.jsonObject()
            let transfer: Transfer
            switch step {
            case "approve": transfer = try store.transfers.approve(id, as: caller.actor)
            case "withdraw": transfer = try store.transfers.withdraw(id, as: caller.actor)
            case "decline": transfer = try store.transfers.decline(id, reason: object["reason"]?.stringValue ?? "", as: caller.actor)
            default:
                var handover = false
                if let value = object["handover_confirmed"] {
                    guard case .bool(let flag) = value else { throw Refusal(400, "Invalid confirmation", "handover_confirmed: true or false") }
                    handover = flag
                }
                transfer = try store.transfers.confirm(id, handoverConfirmed: handover, as: caller.actor)
            }
            return .encoded(200, transfer)
        }
    }

}

extension WebApplication {
    /// GET /api/v1/notifications: the caller's authority's inbox, unread first.
    func listNotifications(_ request: HTTPRequest, _ caller: Caller) -> HTTPResponse {
        respond {
            guard let authority = caller.actor.authority else { throw Refusal(403, "Forbidden", "no authority") }
            let unreadOnly: Bool
            switch request.query["unread"] {
            case nil, "false": unreadOnly = false
            case "true": unreadOnly = true
            default: throw Refusal(400, "Invalid parameter", "unread must be true or false")
            }
            let limit = try request.integer("limit", in: 1...1000) ?? 100
            struct Inbox: Encodable { let notifications: [InboxNotification] }
            return .encoded(
                200,
                Inbox(notifications: try requireStore().notifications.inbox(of: authority, as: caller.actor, unreadOnly: unreadOnly, limit: limit)))
        }
    }

    /// POST /api/v1/notifications/{id}/read.
    func markNotificationRead(_ id: String, _ request: HTTPRequest, _ caller: Caller) -> HTTPResponse {
        respond {
            guard let number = Int(id) else { throw Refusal(404, "Not found", "no notification \(id)") }
            try requireStore().notifications.markRead(number, as: caller.actor)
            return HTTPResponse(status: 204)
        }
    }

    /// POST /api/v1/notifications/{id}/dismiss: a match alert is not the same child; the pair is never raised again.
    func dismissMatch(_ id: String, _ request: HTTPRequest, _ caller: Caller) -> HTTPResponse {
        respond {
            guard let number = Int(id) else { throw Refusal(404, "Not found", "no notification \(id)") }
            return .encoded(200, try requireStore().notifications.dismissMatch(number, as: caller.actor))
        }
    }
}
