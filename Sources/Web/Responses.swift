import Foundation
import HTTPServer
import Logging
import Query
import Store

extension HTTPResponse {
    /// A JSON body encoded from `value` (keys sorted, so answers are stable).
    static func encoded(_ status: Int, _ value: some Encodable) -> HTTPResponse {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else {
            return .problem(500, title: "Internal error", detail: "the answer could not be encoded")
        }
        return json(status, Array(data))
    }

    /// JSON already written (`SearchResult.json`).
    static func json(_ status: Int, _ body: [UInt8]) -> HTTPResponse {
        HTTPResponse(status: status, headers: [("Content-Type", "application/json; charset=utf-8")], body: body)
    }

    /// 201 Created with the new resource's JSON and its Location.
    static func created(_ value: some Encodable, at location: String) -> HTTPResponse {
        var response = encoded(201, value)
        response.headers.append(("Location", location))
        return response
    }

    /// The problem a Store error becomes (`StoreError.http`). Failures of the store itself say
    /// nothing about the data (and are not the caller's fault).
    static func failure(_ error: StoreError) -> HTTPResponse {
        let (status, title, _) = error.http
        var response = HTTPResponse.problem(
            status, title: title, detail: error.isServiceFailure ? "the request could not be completed; try again" : error.description)
        if error.kind == .tooManyAttempts { response.headers.append(("Retry-After", "900")) }
        return response
    }
}

/// An answer other than success, thrown out of a handler (a bad body, a missing header).
struct Refusal: Error {
    let response: HTTPResponse

    init(_ status: Int, _ title: String, _ detail: String) {
        response = .problem(status, title: title, detail: detail)
    }

    init(_ response: HTTPResponse) { self.response = response }
}

extension WebApplication {
    /// Runs a handler body, turning what it throws into the precise problem answer.
    func respond(_ body: () throws -> HTTPResponse) -> HTTPResponse {
        do {
            return try body()
        } catch let refusal as Refusal {
            return refusal.response
        } catch let error as StoreError {
            return failure(error)
        } catch let error as QueryError {
            return .problem(400, title: "Invalid search", detail: error.description)
        } catch {
            logger.error("a request failed unexpectedly", metadata: ["error": "\(type(of: error))"])
            return .problem(500, title: "Internal error", detail: "the request could not be completed; try again")
        }
    }

    /// The answer to a Store error; the service's own failures are logged here, at the edge
    /// (their diagnostic names files and SQL, never the caller's data).
    func failure(_ error: StoreError) -> HTTPResponse {
        logIfServiceFailure(error)
        return .failure(error)
    }

    func logIfServiceFailure(_ error: StoreError) {
        guard error.isServiceFailure else { return }
        logger.error("the store failed during a request", metadata: ["error": "\(error.description)"])
    }

    /// The store, or 404 when the server runs without one (health check only).
    func requireStore() throws(Refusal) -> Store {
        guard let store else { throw Refusal(404, "Not found", "this server has no store") }
        return store
    }
}

extension HTTPRequest {
    /// The body as a JSON object, if the request says it is JSON and it is.
    func jsonObject() throws(Refusal) -> [String: JSONValue] {
        try requireJSON(["application/json"])
        let value: JSONValue
        do { value = try JSONParser.parse(body) } catch {
            throw Refusal(400, "Malformed JSON", "the body is not JSON: \(error)")
        }
        guard case .object(let object) = value else { throw Refusal(400, "Invalid body", "the body must be a JSON object") }
        return object
    }

    /// Refuses (415, 400) unless the body is declared as one of `types` and is valid UTF-8.
    func requireJSON(_ types: [String]) throws(Refusal) {
        try requireType(types)
        guard String(validating: body, as: UTF8.self) != nil else { throw Refusal(400, "Invalid body", "the body is not valid UTF-8") }
    }

    /// Refuses with 415 unless the Content-Type is one of `types` (parameters such as charset ignored).
    /// The Content-Type's media type, lowercased, without parameters.
    var mediaType: String? {
        headers["content-type"]?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased()
    }

    /// A parameter of the Content-Type (`charset`), unquoted.
    func mediaTypeParameter(_ name: String) -> String? {
        guard let parts = headers["content-type"]?.split(separator: ";").dropFirst() else { return nil }
        for part in parts {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if pair.count == 2, pair[0].lowercased() == name { return pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
        }
        return nil
    }

    func requireType(_ types: [String]) throws(Refusal) {
        let declared = mediaType
        guard let declared, types.contains(declared) else {
            throw Refusal(
                415, "Unsupported media type",
                "send Content-Type: \(types.joined(separator: " or ")), not \(declared.map { String($0.prefix(100)) } ?? "none")")
        }
    }

    /// A whole-number query parameter in `range`, or nil when absent.
    func integer(_ name: String, in range: ClosedRange<Int>) throws(Refusal) -> Int? {
        guard let text = query[name] else { return nil }
        guard let number = BoundedInteger.parse(text, in: range) else {
            throw Refusal(400, "Invalid parameter", BoundedInteger.requirement(name, range))
        }
        return number
    }
}

extension JSONValue {
    var stringValue: String? {
        if case .string(let text) = self { text } else { nil }
    }
}
