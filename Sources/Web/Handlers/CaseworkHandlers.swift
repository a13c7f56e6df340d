import Foundation
import HTTPServer
import Spreadsheet
import Store

/// One case of a caseload or meeting list, as the API answers it.
struct CaseloadItem: Encodable {
    struct Holder: Encodable {
        let code: String
        let name: String
    }

    /// What changed since the previous meeting (meeting lists only).
    struct Since: Encodable {
        let plans: [PlanEntry]
        let notes: Int
        let recordChanged: Bool

        enum CodingKeys: String, CodingKey { case plans, notes, recordChanged = "record_changed" }
    }

    let caseID: String
    let holder: Holder
    let own: Bool
    let externalID: String
    let status: String
    let child: CaseListItem.Child
    let addressMunicipality: String?
    let abuseTypes: [String]
    let progress: CaseProgress?
    let changedAt: String
    let since: Since?

    enum CodingKeys: String, CodingKey {
        case caseID = "case_id", holder, own, externalID = "external_id", status, child
        case addressMunicipality = "address_municipality", abuseTypes = "abuse_types", progress, changedAt = "changed_at", since
    }

    init(_ entry: CaseloadEntry, directory: AuthorityDirectory, meeting: Bool) {
        let record = entry.found.record
        caseID = entry.found.id
        holder = Holder(code: entry.found.holder, name: directory[entry.found.holder]?.name ?? entry.found.holder)
        own = entry.own
        externalID = record.externalID
        status = record.status.rawValue
        child = .init(
            name: [record.child.familyName, record.child.givenName].compactMap { $0 }.joined(separator: " "),
            kana: [record.child.familyNameKana, record.child.givenNameKana].compactMap { $0 }.joined(separator: " ").nilIfEmpty,
            birthdate: record.child.birthdate?.iso)
        addressMunicipality = record.address?.municipalityCode
        abuseTypes = AbuseType.allCases.filter { type in record.consultations.contains { $0.abuseTypes.contains(type) } }.map(\.rawValue)
        progress = entry.progress
        changedAt = entry.changedAt
        since = meeting ? Since(plans: entry.plansSince, notes: entry.notesSince, recordChanged: entry.recordChangedSince) : nil
    }
}

extension WebApplication {
    /// GET /api/v1/cases/{id}/progress: the progress and the support plans, newest first (a read of the record).
    func readProgress(_ id: String, _ request: HTTPRequest, _ caller: Caller) -> HTTPResponse {
        respond {
            let store = try requireStore()
            let (progress, plans) = try store.casework.progress(ofCase: id, as: caller.actor)
            struct Answer: Encodable {
                let progress: CaseProgress
                let plans: [PlanEntry]
            }
            return .encoded(200, Answer(progress: progress, plans: plans))
        }
    }

    /// PATCH /api/v1/cases/{id}/progress: a JSON Merge Patch of category, assignee, risk,
    /// next_review and plan (null clears); only the holder. The body is read once the Store
    /// has allowed the change.
    func updateProgress(_ id: String, _ request: HTTPRequest, _ caller: Caller) -> HTTPResponse {
        respond {
            let store = try requireStore()
            try request.requireJSON(["application/merge-patch+json", "application/json"])
            var refusal: Refusal?
            do {
                let updated = try store.casework.updateProgress(ofCase: id, as: caller.actor) { current throws(StoreError) in
                    do throws(Refusal) {
                        return try Self.patched(current, with: request.body)
                    } catch {
                        refusal = error
                        throw StoreError(.invalidInput, "the progress patch is invalid")
                    }
                }
                return .encoded(200, updated)
            } catch {
                throw refusal ?? error
            }
        }
    }

    /// PUT /api/v1/cases/{id}/watch {"watch": true, "exempt_partners": false}: the holder is told
    /// (inbox and webhook) of every read of the case by another authority.
    func setWatch(_ id: String, _ request: HTTPRequest, _ caller: Caller) -> HTTPResponse {
        respond {
            let store = try requireStore()
            try store.casework.requireHolder(ofCase: id, as: caller.actor)  // before the body is read
            let object = try request.jsonObject()
            guard case .bool(let watching)? = object["watch"] else { throw Refusal(400, "Invalid watch", "watch: true or false") }
            var exempt = false
            if let value = object["exempt_partners"] {
                guard case .bool(let flag) = value else { throw Refusal(400, "Invalid watch", "exempt_partners: true or false") }
                exempt = flag
            }
            let watch = try store.casework.setWatch(ofCase: id, watching: watching, exemptPartners: exempt, as: caller.actor)
            struct Answer: Encodable {
                let watch: Bool
                let exemptPartners: Bool
                enum CodingKeys: String, CodingKey { case watch, exemptPartners = "exempt_partners" }
            }
            return .encoded(200, Answer(watch: watch != nil, exemptPartners: watch?.exemptPartners ?? false))
        }
    }

    /// GET /api/v1/cases/{id}/former: the case as it stood when a transfer took it from the
    /// caller's authority (read-only; audited, and shown to the new holder among the reads).
    func readFormerRecord(_ id: String, _ request: HTTPRequest, _ caller: Caller) -> HTTPResponse {
        respond {
            let store = try requireStore()
            let former = try store.cases.readFormer(id: id, as: caller.actor)
            struct Answer: Encodable {
                let caseID: String
                let transferID: String
                let leftAt: String
                let holderThen: AuthorityInfo
                let holderNow: AuthorityInfo
                let record: CaseRecord
                let notes: [CaseNote]
                enum CodingKeys: String, CodingKey {
                    case caseID = "case_id", transferID = "transfer_id", leftAt = "left_at", holderThen = "holder_then", holderNow = "holder_now"
                    case record, notes
                }
            }
            return .encoded(
                200,
                Answer(
                    caseID: former.found.id, transferID: former.transferID, leftAt: former.leftAt,
                    holderThen: AuthorityInfo(former.found.holder, store), holderNow: AuthorityInfo(former.holderNow, store),
                    record: former.found.record, notes: former.found.notes))
        }
    }

    /// POST /api/v1/attachments/{id}/void {"reason"}: the holder voids a file entered by mistake
    /// (kept for the audit, hidden from every reader).
    func voidAttachment(_ id: String, _ request: HTTPRequest, _ caller: Caller) -> HTTPResponse {
        respond {
            let store = try requireStore()
            try store.attachments.requireVoidable(id, as: caller.actor)  // before the body is read
            let object = try request.jsonObject()
            guard let reason = object["reason"]?.stringValue else {
                throw Refusal(400, "Invalid void", "send {\"reason\": \"…\"}: why the file is voided (e.g. attached to the wrong case)")
            }
            try store.attachments.void(id, reason: reason, as: caller.actor)
            return HTTPResponse(status: 204)
        }
    }

    /// `current` with a merge patch's members applied; unknown members and wrong types are refused by name.
    static func patched(_ current: CaseProgress, with body: [UInt8]) throws(Refusal) -> CaseProgress {
        let value: JSONValue
        do { value = try JSONParser.parse(body) } catch { throw Refusal(400, "Malformed JSON", "the body is not JSON: \(error)") }
        guard case .object(let patch) = value else { throw Refusal(400, "Invalid body", "the body must be a JSON object") }
        let known = ["category", "assignee", "risk", "next_review", "plan"]
        if let unknown = patch.keys.sorted().first(where: { !known.contains($0) }) {
            throw Refusal(400, "Invalid progress", "unknown member \(unknown.prefix(40)); the members are \(known.joined(separator: ", "))")
        }
        func text(_ name: String) throws(Refusal) -> String?? {
            switch patch[name] {
            case nil: return .none
            case .null?: return .some(nil)
            case .string(let text)?: return .some(text)
            case let other?: throw Refusal(400, "Invalid progress", "\(name) must be a string or null, not \(other.typeName)")
            }
        }
        func choice<V: Vocabulary>(_ name: String, _ type: V.Type) throws(Refusal) -> V?? {
            guard let given = try text(name) else { return .none }
            guard let raw = given else { return .some(nil) }
            guard let chosen = V(rawValue: raw) ?? V.aliases[raw.lowercased()] else {
                throw Refusal(
                    400, "Invalid progress", "\(name) must be one of \(V.allCases.map(\.rawValue).joined(separator: ", ")), not \(raw.prefix(40))")
            }
            return .some(chosen)
        }
        var next = current
        if let category = try choice("category", SupportCategory.self) { next.category = category }
        if let risk = try choice("risk", RiskLevel.self) { next.risk = risk }
        if let assignee = try text("assignee") { next.assignee = assignee }
        if let review = try text("next_review") { next.nextReview = review }
        if let plan = try text("plan") { next.plan = plan }
        return next
    }

    /// GET /api/v1/caseload: the caller's authority's own cases and the partner cases it may
    /// read, filtered (scope, status, category, assignee, review, abuse_type, changed_since),
    /// sorted and paged; `format=csv` gives the page as a sheet. Partner cases shown are audited.
    func caseload(_ request: HTTPRequest, _ caller: Caller) -> HTTPResponse {
        respond {
            let store = try requireStore()
            let query = try Self.caseloadQuery(request, caller: caller)
            let (total, entries) = try store.casework.caseload(query, as: caller.actor)
            let items = entries.map { CaseloadItem($0, directory: store.directory, meeting: false) }
            if try Self.wantsSheet(request) {
                return Self.sheet(CaseloadSheet.rows(items, directory: store.directory, meeting: false), name: "caseload.csv")
            }
            struct Page: Encodable {
                let total: Int
                let cases: [CaseloadItem]
            }
            return .encoded(200, Page(total: total, cases: items))
        }
    }

    /// GET /api/v1/caseload/meeting?since=YYYY-MM-DD: the 実務者会議 list (open cases under a
    /// 要対協 category, own and partner) with what changed since the previous meeting; `format=csv` as a sheet.
    func meetingList(_ request: HTTPRequest, _ caller: Caller) -> HTTPResponse {
        respond {
            let store = try requireStore()
            guard let since = request.query["since"] else {
                throw Refusal(400, "Invalid parameter", "since is required: the date of the previous meeting, YYYY-MM-DD")
            }
            let (total, entries) = try store.casework.meetingList(since: since, as: caller.actor)
            let items = entries.map { CaseloadItem($0, directory: store.directory, meeting: true) }
            if try Self.wantsSheet(request) {
                return Self.sheet(CaseloadSheet.rows(items, directory: store.directory, meeting: true), name: "jitsumusha-kaigi.csv")
            }
            struct Page: Encodable {
                let total: Int
                let since: String
                let cases: [CaseloadItem]
            }
            return .encoded(200, Page(total: total, since: since, cases: items))
        }
    }

    /// The caseload filters of a request's query, each checked (a wrong value is a 400 naming it).
    static func caseloadQuery(_ request: HTTPRequest, caller: Caller) throws(Refusal) -> CaseloadQuery {
        func choice<V: RawRepresentable & CaseIterable>(_ name: String, _ type: V.Type) throws(Refusal) -> V? where V.RawValue == String {
            guard let raw = request.query[name], !raw.isEmpty else { return nil }
            guard let chosen = V(rawValue: raw) else {
                throw Refusal(400, "Invalid parameter", "\(name) must be one of \(V.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return chosen
        }
        var query = CaseloadQuery(
            scope: try choice("scope", CaseloadQuery.Scope.self) ?? .all, status: try choice("status", CaseStatus.self),
            category: try choice("category", SupportCategory.self), review: try choice("review", CaseloadQuery.Review.self),
            abuseType: try choice("abuse_type", AbuseType.self), sort: try choice("sort", CaseloadQuery.Sort.self) ?? .changed,
            limit: try request.integer("limit", in: Casework.caseloadLimits) ?? 50,
            offset: try request.integer("offset", in: Casework.caseloadOffsets) ?? 0)
        if let assignee = request.query["assignee"], !assignee.isEmpty {
            guard assignee.count <= 64 else { throw Refusal(400, "Invalid parameter", "assignee is a login (at most 64 characters) or me") }
            query.assignee = assignee == "me" ? caller.user.login : assignee
        }
        if let since = request.query["changed_since"], !since.isEmpty {
            guard let date = try? PartialDate(parsing: since), date.day != nil else {
                throw Refusal(400, "Invalid parameter", "changed_since must be a whole date, YYYY-MM-DD")
            }
            query.changedSince = date.iso
        }
        return query
    }

    /// Whether `format=csv` asks for a sheet (`json`, the default, or nothing else).
    static func wantsSheet(_ request: HTTPRequest) throws(Refusal) -> Bool {
        switch request.query["format"] {
        case nil, "json": false
        case "csv": true
        default: throw Refusal(400, "Invalid parameter", "format must be json or csv")
        }
    }

    static func sheet(_ rows: [[String]], name: String) -> HTTPResponse {
        HTTPResponse(
            status: 200,
            headers: [("Content-Type", "text/csv; charset=utf-8"), ("Content-Disposition", "attachment; filename=\"\(name)\"")] + privateDownload,
            body: CaseSheetWriter.utf8Sheet(rows))
    }
}

/// A caseload or meeting list as a sheet, headed in Japanese for the 要対協 meeting's papers.
enum CaseloadSheet {
    static func rows(_ items: [CaseloadItem], directory: AuthorityDirectory, meeting: Bool) -> [[String]] {
        var headings = [
            "区分", "保有機関", "ケース番号", "氏名", "ふりがな", "生年月日", "状態", "要対協区分", "担当者", "緊急度", "次回確認日", "支援方針", "虐待種別", "最終更新",
        ]
        if meeting { headings += ["前回以降の方針変更", "前回以降の経過記録", "前回以降の記録更新"] }
        return [headings]
            + items.map { item in
                var row = [
                    item.own ? "自機関" : "連携先", item.holder.name, item.externalID, item.child.name, item.child.kana ?? "",
                    item.child.birthdate ?? "", CaseStatus(rawValue: item.status)?.label ?? item.status, item.progress?.category?.label ?? "",
                    item.progress?.assignee ?? "", item.progress?.risk?.label ?? "", item.progress?.nextReview ?? "", item.progress?.plan ?? "",
                    item.abuseTypes.compactMap { AbuseType(rawValue: $0)?.label }.joined(separator: "・"), item.changedAt,
                ]
                if let since = item.since {
                    row += [String(since.plans.count), String(since.notes), since.recordChanged ? "あり" : "なし"]
                }
                return row
            }
    }
}
