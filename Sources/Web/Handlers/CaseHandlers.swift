import Foundation
import HTTPServer
import Store

/// A case as `GET /api/v1/cases/{id}` answers it.
struct CaseDocument: Encodable {
    let caseID: String
    let version: Int
    let holder: AuthorityInfo
    let createdAt: String
    let updatedAt: String
    /// What the caller may do with it (see AccessPolicy.Capabilities.names).
    let capabilities: [String]
    let record: CaseRecord
    /// The most recent notes (at most `Cases.recentNotes`), oldest first; all of them page by
    /// page at `GET /api/v1/cases/{id}/notes`.
    let notes: [CaseNote]
    let notesTotal: Int
    let attachments: [AttachmentInfo]
    /// The fields the holder hides from the caller (left out of `record`).
    let hiddenFields: [HideableField]

    enum CodingKeys: String, CodingKey {
        case caseID = "case_id", version, holder, createdAt = "created_at", updatedAt = "updated_at", capabilities, record, notes
        case notesTotal = "notes_total", attachments, hiddenFields = "hidden_fields"
    }
}

/// One case in the holder's list.
struct CaseListItem: Encodable {
    let caseID: String
    let externalID: String
    let status: String
    let version: Int
    let updatedAt: String
    let child: Child

    struct Child: Encodable {
        let name: String
        let kana: String?
        let birthdate: String?
    }

    enum CodingKeys: String, CodingKey {
        case caseID = "case_id", externalID = "external_id", status, version, updatedAt = "updated_at", child
    }
}

extension WebApplication {
    /// POST /api/v1/cases: a record in the import format; 201 with Location and ETag.
    func createCase(_ request: HTTPRequest, _ caller: Caller) -> HTTPResponse {
        respond {
            let store = try requireStore()
            try request.requireJSON(["application/json"])
            let created = try store.cases.create(json: request.body, as: caller.actor)
            var response = try document(created, caller, store, status: 201)
            response.headers.append(("Location", "/api/v1/cases/\(created.id)"))
            return response
        }
    }

    /// GET /api/v1/cases?holder=me: the caller's authority's cases, newest change first.
    func listCases(_ request: HTTPRequest, _ caller: Caller) -> HTTPResponse {
        respond {
            let store = try requireStore()
            guard request.query["holder"] == "me" else {
                throw Refusal(400, "Invalid parameter", "list your own authority's cases with holder=me; find others' with /api/v1/search")
            }
            guard let authority = caller.actor.authority else { throw Refusal(403, "Forbidden", "no authority") }
            let limit = try request.integer("limit", in: 1...200) ?? 50
            let offset = try request.integer("offset", in: 0...1_000_000) ?? 0
            let page = try store.cases.list(heldBy: authority, as: caller.actor, matching: CaseListQuery(limit: limit, offset: offset))
            struct Page: Encodable {
                let total: Int
                let cases: [CaseListItem]
            }
            let items = page.cases.map { found in
                let child = found.record.child
                return CaseListItem(
                    caseID: found.id, externalID: found.record.externalID, status: found.record.status.rawValue, version: found.version,
                    updatedAt: found.updatedAt,
                    child: .init(
                        name: [child.familyName, child.givenName].compactMap { $0 }.joined(separator: " "),
                        kana: [child.familyNameKana, child.givenNameKana].compactMap { $0 }.joined(separator: " ").nilIfEmpty,
                        birthdate: child.birthdate?.iso))
            }
            return .encoded(200, Page(total: page.total, cases: items))
        }
    }

    /// GET /api/v1/cases/{id}: the full record, if the caller may read it (audited).
    func readCase(_ id: String, _ request: HTTPRequest, _ caller: Caller) -> HTTPResponse {
        respond {
            let store = try requireStore()
            return try document(try store.cases.read(id: id, as: caller.actor), caller, store, status: 200)
        }
    }

    /// PATCH /api/v1/cases/{id}: a JSON Merge Patch, with If-Match naming the version read.
    func updateCase(_ id: String, _ request: HTTPRequest, _ caller: Caller) -> HTTPResponse {
        respond {
            let store = try requireStore()
            try request.requireJSON(["application/merge-patch+json", "application/json"])
            guard let match = request.headers["if-match"] else {
                throw Refusal(428, "Precondition required", "send If-Match with the ETag of the version you read (GET /api/v1/cases/\(id))")
            }
            guard let version = Self.version(fromETag: match) else {
                throw Refusal(412, "Precondition failed", "If-Match must be one ETag as GET answered it, e.g. \"3\"")
            }
            let updated = try store.cases.update(id: id, expectedVersion: version, mergePatch: request.body, as: caller.actor)
            return try document(updated, caller, store, status: 200)
        }
    }

    /// POST /api/v1/cases/{id}/notes {"text"}: by the holder or a partner.
    func addNote(_ id: String, _ request: HTTPRequest, _ caller: Caller) -> HTTPResponse {
        respond {
            let store = try requireStore()
            guard let text = try request.jsonObject()["text"]?.stringValue else {
                throw Refusal(400, "Invalid note", "send {\"text\": \"…\"}")
            }
            return .encoded(201, try store.cases.addNote(toCase: id, text: text, as: caller.actor))
        }
    }

    /// GET /api/v1/cases/{id}/notes?limit=&offset=: the case's notes, newest first.
    func notes(_ id: String, _ request: HTTPRequest, _ caller: Caller) -> HTTPResponse {
        respond {
            struct Page: Encodable {
                let total: Int
                let notes: [CaseNote]
            }
            let limit = try request.integer("limit", in: Cases.noteLimits) ?? 50
            let offset = try request.integer("offset", in: Cases.noteOffsets) ?? 0
            let page = try requireStore().cases.notes(ofCase: id, limit: limit, offset: offset, as: caller.actor)
            return .encoded(200, Page(total: page.total, notes: page.notes))
        }
    }

    /// POST /api/v1/cases/{id}/attachments: the file as the body; its type is found from its
    /// content. `?name=` (or Content-Disposition's filename) names it.
    func addAttachment(_ id: String, _ request: HTTPRequest, _ caller: Caller) -> HTTPResponse {
        respond {
            let store = try requireStore()
            let name = request.query["name"] ?? request.headers["content-disposition"].flatMap(Self.fileName(inDisposition:))
            let info = try store.attachments.add(
                toCase: id, content: request.body, declaredType: request.headers["content-type"], name: name, as: caller.actor)
            return .created(info, at: "/api/v1/attachments/\(info.id)")
        }
    }

    /// GET /api/v1/attachments/{id}: the bytes, as a download that a browser will not render inline.
    func readAttachment(_ id: String, _ request: HTTPRequest, _ caller: Caller) -> HTTPResponse {
        respond { Self.download(try requireStore().attachments.read(id: id, as: caller.actor)) }
    }

    /// A file answered as a download that a browser will not render inline or sniff.
    static func download(_ attachment: Attachment) -> HTTPResponse {
        let encodedName = attachment.info.name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "attachment"
        return HTTPResponse(
            status: 200,
            headers: [
                ("Content-Type", attachment.info.mediaType),
                ("Content-Disposition", "attachment; filename=\"attachment\"; filename*=UTF-8''\(encodedName)"),
                ("Content-Security-Policy", "sandbox; default-src 'none'"),
                // A child's photo must not stay in a shared office computer's cache.
                ("Cache-Control", "private, no-store"),
                ("ETag", "\"\(attachment.info.sha256)\""),
            ],
            body: attachment.content)
    }

    /// GET /api/v1/cases/{id}/views: who at which other authority read or found the case.
    func caseViews(_ id: String, _ request: HTTPRequest, _ caller: Caller) -> HTTPResponse {
        respond {
            struct Views: Encodable { let views: [CaseView] }
            return .encoded(200, Views(views: try requireStore().auditLog.views(ofCase: id, as: caller.actor)))
        }
    }

    private func document(_ found: StoredCase, _ caller: Caller, _ store: Store, status: Int) throws -> HTTPResponse {
        var response = HTTPResponse.encoded(
            status,
            CaseDocument(
                caseID: found.id, version: found.version, holder: AuthorityInfo(found.holder, store),
                createdAt: found.createdAt, updatedAt: found.updatedAt, capabilities: try store.capabilities(of: caller.actor, on: found).names,
                record: found.record, notes: found.notes, notesTotal: found.notesTotal, attachments: found.attachments,
                hiddenFields: found.hiddenFields))
        response.headers.append(("ETag", "\"\(found.version)\""))
        return response
    }

    static func version(fromETag text: String) -> Int? {
        var tag = text.trimmingCharacters(in: .whitespaces)
        if tag.hasPrefix("W/") { tag.removeFirst(2) }
        guard tag.count >= 3, tag.first == "\"", tag.last == "\"" else { return nil }
        return BoundedInteger.parse(String(tag.dropFirst().dropLast()), in: Cases.versions)
    }

    static func fileName(inDisposition header: String) -> String? {
        guard let range = header.range(of: "filename=") else { return nil }
        return String(header[range.upperBound...].split(separator: ";").first ?? "").trimmingCharacters(in: CharacterSet(charactersIn: "\" "))
    }
}
