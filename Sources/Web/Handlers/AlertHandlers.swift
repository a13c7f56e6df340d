import Foundation
import HTTPServer
import Store

extension WebApplication {
    /// POST /api/v1/cases/{id}/alerts {"circumstances", "photo_attachment_id"}: a CGC broadcasts a missing child.
    func openAlert(_ caseID: String, _ request: HTTPRequest, _ caller: Caller) -> HTTPResponse {
        respond {
            let object = try request.jsonObject()
            let alert = try requireStore().alerts.open(
                forCase: caseID, circumstances: object["circumstances"]?.stringValue ?? "",
                photoAttachmentID: object["photo_attachment_id"]?.stringValue, as: caller.actor)
            return .created(alert, at: "/api/v1/alerts/\(alert.id)")
        }
    }

    /// GET /api/v1/alerts: every open alert (and, with include_closed=true, the caller's closed ones).
    func listAlerts(_ request: HTTPRequest, _ caller: Caller) -> HTTPResponse {
        respond {
            if request.query["state"] == "closed" {
                struct Past: Encodable { let alerts: [PastAlert] }
                return .encoded(200, Past(alerts: try requireStore().alerts.searchPast(try Self.pastAlertQuery(request.query), as: caller.actor)))
            }
            struct List: Encodable { let alerts: [MissingChildAlert] }
            let closed = request.query["include_closed"] == "true"
            return .encoded(200, List(alerts: try requireStore().alerts.list(as: caller.actor, includeClosed: closed)))
        }
    }

    /// A search of past alerts from query parameters: name, kana, birthdate (YYYY, YYYY-MM or
    /// YYYY-MM-DD), from and to (dates of opening); each checked, a wrong one a 400 naming it.
    static func pastAlertQuery(_ query: [String: String]) throws(Refusal) -> PastAlertQuery {
        func text(_ name: String) throws(Refusal) -> String? {
            guard let value = query[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
            guard value.count <= 50 else { throw Refusal(400, "Invalid parameter", "\(name) is at most 50 characters") }
            return value
        }
        func date(_ name: String, whole: Bool) throws(Refusal) -> String? {
            guard let value = try text(name) else { return nil }
            guard let parsed = try? PartialDate(parsing: value), !whole || parsed.day != nil else {
                throw Refusal(400, "Invalid parameter", "\(name) must be a date, \(whole ? "YYYY-MM-DD" : "YYYY, YYYY-MM or YYYY-MM-DD")")
            }
            return parsed.iso
        }
        let search = PastAlertQuery(
            name: try text("name"), kana: try text("kana"), birthdate: try date("birthdate", whole: false), from: try date("from", whole: true),
            to: try date("to", whole: true))
        guard [search.name, search.kana, search.birthdate].contains(where: { $0 != nil }) else {
            throw Refusal(400, "Invalid parameter", "state=closed searches past alerts: give name, kana or birthdate")
        }
        return search
    }

    /// GET /api/v1/alerts/{id}: the profile, circumstances and answers (the view is recorded).
    func readAlert(_ id: String, _ request: HTTPRequest, _ caller: Caller) -> HTTPResponse {
        respond { .encoded(200, try requireStore().alerts.read(id, as: caller.actor)) }
    }

    /// GET /api/v1/alerts/{id}/photo.
    func alertPhoto(_ id: String, _ request: HTTPRequest, _ caller: Caller) -> HTTPResponse {
        respond { Self.download(try requireStore().alerts.photo(id, as: caller.actor)) }
    }

    /// POST /api/v1/alerts/{id}/responses {"kind": "located"|"information", "text"}.
    func respondToAlert(_ id: String, _ request: HTTPRequest, _ caller: Caller) -> HTTPResponse {
        respond {
            let object = try request.jsonObject()
            guard let kind = object["kind"]?.stringValue.flatMap(MissingChildAlert.Response.Kind.init(rawValue:)) else {
                throw Refusal(400, "Invalid response", "kind: \"located\" (the child was found) or \"information\"")
            }
            return .encoded(201, try requireStore().alerts.respond(id, kind: kind, text: object["text"]?.stringValue ?? "", as: caller.actor))
        }
    }

    /// POST /api/v1/alerts/{id}/close: the originating CGC closes its alert.
    func closeAlert(_ id: String, _ request: HTTPRequest, _ caller: Caller) -> HTTPResponse {
        respond { .encoded(200, try requireStore().alerts.close(id, as: caller.actor)) }
    }
}
