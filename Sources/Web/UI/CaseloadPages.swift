import Foundation
import HTTPServer
import Store

/// The shared caseload pages: the list a CGC and its municipalities work from, and the
/// printable list for their 実務者会議.
extension PageRequest {
    /// GET /caseload: own and partner cases with their progress; `assignee=me` is the worker's own page.
    func caseloadPage() throws -> HTTPResponse {
        try requireCaseHolder()
        let pageSize = 50
        let page = try integer("page", in: 1...2_000) ?? 1
        func choice<V: RawRepresentable>(_ name: String, _ type: V.Type) -> V? where V.RawValue == String {
            query[name].flatMap(V.init(rawValue:))
        }
        let mine = query["assignee"] == "me"
        var changedSince: String?
        if let since = query["changed_since"], !since.isEmpty {
            guard let date = try? PartialDate(parsing: since), date.day != nil else {
                throw PageRefusal(400, "「更新日」は 2026-04-01 のような年月日で入力してください。")
            }
            changedSince = date.iso
        }
        let filters = CaseloadQuery(
            scope: choice("scope", CaseloadQuery.Scope.self) ?? .all, status: choice("status", CaseStatus.self),
            category: choice("category", SupportCategory.self), assignee: mine ? session.user.login : nil,
            review: choice("review", CaseloadQuery.Review.self), abuseType: choice("abuse_type", AbuseType.self),
            changedSince: changedSince, sort: choice("sort", CaseloadQuery.Sort.self) ?? .changed, limit: pageSize,
            offset: (page - 1) * pageSize)
        let (total, entries) = try store.casework.caseload(filters, as: actor)
        let pages = max(1, (total + pageSize - 1) / pageSize)
        var items = [
            URLQueryItem(name: "scope", value: filters.scope.rawValue), URLQueryItem(name: "sort", value: filters.sort.rawValue),
        ]
        if let status = filters.status { items.append(URLQueryItem(name: "status", value: status.rawValue)) }
        if let category = filters.category { items.append(URLQueryItem(name: "category", value: category.rawValue)) }
        if mine { items.append(URLQueryItem(name: "assignee", value: "me")) }
        if let review = filters.review { items.append(URLQueryItem(name: "review", value: review.rawValue)) }
        if let type = filters.abuseType { items.append(URLQueryItem(name: "abuse_type", value: type.rawValue)) }
        if let changedSince { items.append(URLQueryItem(name: "changed_since", value: changedSince)) }
        func address(_ path: String, _ extra: [URLQueryItem]) -> String {
            var components = URLComponents()
            components.queryItems = items + extra
            return path + (components.string ?? "")
        }
        let today = RecordValidator.todayInJapan().iso
        let users = try store.users.colleagues(as: actor)
        let unseen = mine ? try store.casework.partnerNotesSinceLastLook(entries, as: actor) : [:]
        var view = CaseloadPage(
            total: total, page: page, pages: pages,
            scopes: Labels.options([("all", "自機関と連携先"), ("own", "自機関のみ"), ("partners", "連携先のみ")], selected: filters.scope.rawValue),
            statuses: Labels.options([("", "すべて")] + Labels.statuses, selected: filters.status?.rawValue ?? ""),
            categories: Labels.options(
                [("", "すべて")] + SupportCategory.allCases.map { ($0.rawValue, $0.label) }, selected: filters.category?.rawValue ?? ""),
            reviews: Labels.options(
                [("", "すべて"), ("due", "2週間以内・期限超過"), ("overdue", "期限超過のみ")], selected: filters.review?.rawValue ?? ""),
            abuseTypes: Labels.options(
                [("", "すべて")] + AbuseType.allCases.map { ($0.rawValue, $0.label) }, selected: filters.abuseType?.rawValue ?? ""),
            sorts: Labels.options([("changed", "更新が新しい順"), ("review", "次回確認日が近い順"), ("name", "ふりがな順")], selected: filters.sort.rawValue),
            mine: mine, changedSince: changedSince ?? "",
            cases: entries.map { entry in
                let progress = entry.progress
                return CaseloadPage.Row(
                    caseID: entry.found.id, holder: authorityName(entry.found.holder), own: entry.own,
                    externalID: entry.found.record.externalID, name: Display.name(entry.found.record.child),
                    birthdate: Display.date(entry.found.record.child.birthdate?.iso), status: Display.status(entry.found.record.status.rawValue),
                    category: progress?.category?.label ?? "", assignee: Self.userName(progress?.assignee, users, own: entry.own),
                    risk: progress?.risk?.label ?? "", nextReview: progress?.nextReview.map { Display.date($0) } ?? "",
                    overdue: progress?.nextReview.map { $0 < today } ?? false, changed: Display.time(entry.changedAt))
            },
            csv: address("/api/v1/caseload", [URLQueryItem(name: "format", value: "csv"), URLQueryItem(name: "limit", value: "200")]),
            today: today,
            previous: page > 1 ? address("/caseload", [URLQueryItem(name: "page", value: String(page - 1))]) : nil,
            next: page < pages ? address("/caseload", [URLQueryItem(name: "page", value: String(page + 1))]) : nil)
        for index in view.cases.indices {
            view.cases[index].partnerNotes = unseen[view.cases[index].caseID].map { "他機関のメモ \($0)件（前回閲覧後）" }
        }
        return render("caseload", mine ? "担当ケース" : "ケース一覧（自機関・連携先）", view)
    }

    /// GET /caseload/meeting?since=: the printable 実務者会議 list.
    func meetingPage() throws -> HTTPResponse {
        try requireCaseHolder()
        let since = query["since"] ?? ""
        guard let date = try? PartialDate(parsing: since), date.day != nil else {
            throw PageRefusal(400, "前回の実務者会議の日付を 2026-04-01 のような年月日で指定してください。")
        }
        let (total, entries) = try store.casework.meetingList(since: date.iso, as: actor)
        let users = try store.users.colleagues(as: actor)
        let view = MeetingPage(
            since: date.iso, sinceShown: Display.date(date.iso), total: total, truncated: total > entries.count,
            cases: entries.map { entry in
                let progress = entry.progress
                return MeetingPage.Row(
                    caseID: entry.found.id, holder: authorityName(entry.found.holder), own: entry.own,
                    externalID: entry.found.record.externalID, name: Display.name(entry.found.record.child),
                    birthdate: Display.date(entry.found.record.child.birthdate?.iso), category: progress?.category?.label ?? "",
                    assignee: Self.userName(progress?.assignee, users, own: entry.own), risk: progress?.risk?.label ?? "",
                    nextReview: progress?.nextReview.map { Display.date($0) } ?? "", plan: progress?.plan,
                    newPlans: entry.plansSince.map { CasePage.Plan(at: Display.time($0.at), author: $0.author, plan: $0.plan) },
                    notesSince: entry.notesSince, recordChanged: entry.recordChangedSince)
            },
            csv: "/api/v1/caseload/meeting?since=\(date.iso)&format=csv")
        return render("meeting", "実務者会議資料（\(Display.date(date.iso))以降の変化）", view)
    }

    /// A person in charge as the list shows them: a colleague by name, a partner's by login.
    static func userName(_ login: String?, _ colleagues: [User], own: Bool) -> String {
        guard let login else { return "" }
        guard own, let user = colleagues.first(where: { $0.login == login }) else { return login }
        return user.displayName
    }
}
