package import Foundation
import SQLiteDB

/// Which cases a caseload list shows and in what order.
package struct CaseloadQuery: Sendable, Hashable {
    /// Whose cases: the caller's authority's own, the partner cases it may read (a CGC: cases
    /// its municipalities hold about children living in its jurisdiction; a municipality: the
    /// CGC's cases about children living in it), or both.
    package enum Scope: String, Sendable, Hashable, CaseIterable { case own, partners, all }
    /// `overdue`: the review date has passed; `due`: it falls within `Casework.dueWithinDays` days (or has passed).
    package enum Review: String, Sendable, Hashable, CaseIterable { case due, overdue }
    /// `changed`: the latest change first; `review`: the earliest review date first (none last); `name`: by reading.
    package enum Sort: String, Sendable, Hashable, CaseIterable { case changed, review, name }

    package var scope: Scope
    package var status: CaseStatus?
    package var category: SupportCategory?
    /// Only cases in `category` or in any 要対協 category.
    package var registeredOnly: Bool
    package var assignee: String?
    package var review: Review?
    package var abuseType: AbuseType?
    /// Only cases changed (record, progress or notes) on or after this date or timestamp.
    package var changedSince: String?
    package var sort: Sort
    package var limit: Int
    package var offset: Int

    package init(
        scope: Scope = .all, status: CaseStatus? = nil, category: SupportCategory? = nil, registeredOnly: Bool = false,
        assignee: String? = nil, review: Review? = nil, abuseType: AbuseType? = nil, changedSince: String? = nil,
        sort: Sort = .changed, limit: Int = 50, offset: Int = 0
    ) {
        self.scope = scope
        self.status = status
        self.category = category
        self.registeredOnly = registeredOnly
        self.assignee = assignee
        self.review = review
        self.abuseType = abuseType
        self.changedSince = changedSince
        self.sort = sort
        self.limit = limit
        self.offset = offset
    }
}

/// One case in a caseload list.
package struct CaseloadEntry: Sendable {
    package var found: StoredCase
    /// Held by the caller's own authority (otherwise a partner's case).
    package var own: Bool
    package var progress: CaseProgress?
    /// The latest change to the record, its progress or its notes.
    package var changedAt: String
    /// For a meeting list: support plans set since the previous meeting, newest first.
    package var plansSince: [PlanEntry] = []
    /// For a meeting list: notes added since the previous meeting.
    package var notesSince = 0
    /// For a meeting list: the record itself changed since the previous meeting.
    package var recordChangedSince = false
}

extension Casework {
    /// The page sizes and offsets a caseload list accepts.
    package static let caseloadLimits = 1...200
    package static let caseloadOffsets = 0...100_000
    /// A review date within this many days counts as due.
    package static let dueWithinDays = 14
    /// The most cases a meeting list holds (a meeting reviews tens, not thousands).
    package static let meetingLimit = 500

    /// One page of the caseload of the caller's authority. Reading partner cases is audited
    /// like a read of the records shown (one entry, linked to each partner case on the page).
    package func caseload(_ query: CaseloadQuery, as actor: Actor) throws(StoreError) -> (total: Int, entries: [CaseloadEntry]) {
        guard Self.caseloadLimits.contains(query.limit), Self.caseloadOffsets.contains(query.offset) else {
            throw StoreError(.invalidInput, "limit must lie in \(Self.caseloadLimits) and offset in \(Self.caseloadOffsets)")
        }
        let authority = try caseloadAuthority(of: actor)
        var total = 0
        var merged: [CaseloadEntry] = []
        for (prefecture, scope) in try scopes(query.scope, of: authority, as: actor) {
            let (count, entries) = try page(query, scope, in: prefecture, keeping: query.offset + query.limit, own: authority)
            total += count
            merged += entries
        }
        let ordered = merged.sorted { Self.precedes($0, $1, query.sort) }
        let shown = Array(ordered.dropFirst(query.offset).prefix(query.limit))
        try auditPartnerCases(shown, action: "caseload.read", detail: "scope=\(query.scope.rawValue)", as: actor)
        return (total, shown)
    }

    /// The list for the next 要保護児童対策地域協議会 実務者会議: the open cases, own and partner,
    /// registered under a 要対協 category, each with what changed since the previous meeting
    /// (`since`, a date): plans set, notes added, the record changed. Ordered by category,
    /// then reading; audited like a caseload read.
    package func meetingList(since: String, as actor: Actor) throws(StoreError) -> (total: Int, entries: [CaseloadEntry]) {
        guard let date = try? PartialDate(parsing: since), date.day != nil, Self.reviewYears.contains(date.year) else {
            throw StoreError(.invalidInput, "since: \"\(since.prefix(40))\" is not a whole date (YYYY-MM-DD) of the previous meeting")
        }
        let authority = try caseloadAuthority(of: actor)
        let start = Self.startOfDayInJapan(date)
        let query = CaseloadQuery(status: .open, registeredOnly: true, sort: .name, limit: Self.meetingLimit)
        var total = 0
        var entries: [CaseloadEntry] = []
        for (prefecture, scope) in try scopes(.all, of: authority, as: actor) {
            let (count, page) = try page(query, scope, in: prefecture, keeping: Self.meetingLimit, own: authority)
            total += count
            let changes = try partition(prefecture).read { connection throws(StoreError) in
                try page.map { entry throws(StoreError) in
                    var entry = entry
                    entry.plansSince = try Self.plans(of: entry.found.id, since: start, connection)
                    entry.notesSince =
                        try connection.first("SELECT count(*) FROM notes WHERE case_id = ? AND at >= ?", [entry.found.id, start]) {
                            $0.int(0)
                        } ?? 0
                    entry.recordChangedSince = entry.found.updatedAt >= start
                    return entry
                }
            }
            entries += changes
        }
        let ordered = entries.sorted {
            let left = ($0.progress?.category.map { SupportCategory.allCases.firstIndex(of: $0) ?? 0 } ?? 9, Self.readingKey($0))
            let right = ($1.progress?.category.map { SupportCategory.allCases.firstIndex(of: $0) ?? 0 } ?? 9, Self.readingKey($1))
            return left < right
        }
        let shown = Array(ordered.prefix(Self.meetingLimit))
        try auditPartnerCases(shown, action: "caseload.meeting", detail: "since=\(date.iso)", as: actor)
        return (total, shown)
    }

    /// The authority whose caseload `actor` reads (its own: a CGC or a municipality; never an operator's).
    private func caseloadAuthority(of actor: Actor) throws(StoreError) -> String {
        guard let authority = actor.authority else { throw StoreError(.permissionDenied, "\(actor) acts for no authority") }
        try store.require(
            .listOwn(authority: authority, what: "caseload", refusingOperators: true), as: actor, action: "caseload.read", target: authority)
        guard directory[authority]?.holdsCases == true else {
            try store.refuse(actor, "caseload.read", target: authority, "\(authority) holds no cases: a caseload belongs to a CGC or a municipality")
        }
        return authority
    }

    /// Per partition, the SQL condition that selects the scope's cases (`c` is the cases row).
    private func scopes(_ scope: CaseloadQuery.Scope, of authority: String, as actor: Actor) throws(StoreError)
        -> [(String, (sql: String, values: [any SQLBindable]))]
    {
        var parts: [String: [(sql: String, values: [any SQLBindable])]] = [:]
        if scope != .partners {
            parts[try store.prefectureCode(ofHolder: authority), default: []].append(("c.holder = ?", [authority]))
        }
        if scope != .own {
            for (prefecture, condition) in partnerConditions(of: authority, as: actor) {
                parts[prefecture, default: []].append(condition)
            }
        }
        let existing = Set(store.existingPartitions())
        return parts.filter { existing.contains($0.key) }.sorted { $0.key < $1.key }.map { prefecture, conditions in
            (prefecture, ("(" + conditions.map(\.sql).joined(separator: " OR ") + ")", conditions.flatMap(\.values)))
        }
    }

    /// The partner cases `authority` may read, as SQL conditions per partition: the same rule
    /// as `AccessPolicy.partners`, restricted to holders that have not tightened the partner
    /// relation below reading the record.
    private func partnerConditions(of authority: String, as actor: Actor) -> [(String, (sql: String, values: [any SQLBindable]))] {
        guard let own = directory[authority] else { return [] }
        func readable(_ holder: String) -> Bool {
            store.policy.capabilities(of: actor, on: CaseAccessFacts(holder: holder, partners: [authority]))
                .isSuperset(of: [.seeSummary, .readRecord])
        }
        let address = "c.address_municipality"
        switch own.kind {
        case .childGuidanceCentre:
            let covered = own.jurisdiction.filter { directory.childGuidanceCentre(for: $0)?.code == authority }
            let holders = covered.compactMap { directory[$0] }.filter { readable($0.code) }
            guard !holders.isEmpty else { return [] }
            let coveredList = Self.placeholders(covered.count)
            return Dictionary(grouping: holders, by: \.prefectureCode).map { prefecture, holders in
                let sql = "(c.holder IN \(Self.placeholders(holders.count)) AND coalesce(\(address), c.holder) IN \(coveredList))"
                return (prefecture, (sql, holders.map(\.code) + covered))
            }
        case .municipality:
            guard let centre = directory.childGuidanceCentre(for: authority), readable(centre.code) else { return [] }
            return [(centre.prefectureCode, ("(c.holder = ? AND \(address) = ?)", [centre.code, authority]))]
        case .prefecture, .ministry:
            return []
        }
    }

    /// The first `keeping` cases of one partition that match, in the query's order, and how many match.
    private func page(
        _ query: CaseloadQuery, _ scope: (sql: String, values: [any SQLBindable]), in prefecture: String, keeping: Int, own: String
    ) throws(StoreError) -> (Int, [CaseloadEntry]) {
        var conditions = [scope.sql]
        var values = scope.values
        if let status = query.status {
            conditions.append("c.status = ?")
            values.append(status.rawValue)
        }
        if let category = query.category {
            conditions.append("p.category = ?")
            values.append(category.rawValue)
        } else if query.registeredOnly {
            conditions.append("p.category IS NOT NULL")
        }
        if let assignee = query.assignee {
            conditions.append("p.assignee = ?")
            values.append(assignee)
        }
        if let review = query.review {
            let today = RecordValidator.todayInJapan()
            switch review {
            case .overdue:
                conditions.append("p.next_review < ?")
                values.append(today.iso)
            case .due:
                conditions.append("p.next_review <= ?")
                values.append(Self.date(daysAfter: today, Self.dueWithinDays))
            }
        }
        if let abuseType = query.abuseType {
            conditions.append("instr(',' || coalesce(c.abuse_types, '') || ',', ?) > 0")
            values.append("," + abuseType.rawValue + ",")
        }
        var outer = ""
        if let since = query.changedSince {
            outer = "WHERE changed_at >= ?"
            // A date is a day in Japan; timestamps are stored in UTC.
            values.append((try? PartialDate(parsing: since)).map(Self.startOfDayInJapan) ?? since)
        }
        let order =
            switch query.sort {
            case .changed: "changed_at DESC, id DESC"
            case .review: "next_review IS NULL, next_review, id"
            case .name: "kana, id"
            }
        let inner = """
            SELECT c.id, c.holder, c.version, c.created_at, c.updated_at, c.body, \(Self.progressColumns.split(separator: ",").map { "p." + $0.trimmingCharacters(in: .whitespaces) }.joined(separator: ", ")),
                max(c.updated_at, coalesce(p.updated_at, ''), coalesce((SELECT max(at) FROM notes AS n WHERE n.case_id = c.id), '')) AS changed_at,
                coalesce(c.child_family_kana, '') || coalesce(c.child_given_kana, '') AS kana
            FROM cases AS c LEFT JOIN case_progress AS p ON p.case_id = c.id
            WHERE \(conditions.joined(separator: " AND "))
            """
        return try partition(prefecture).read { connection throws(StoreError) in
            let total = try connection.first("SELECT count(*) FROM (\(inner)) \(outer)", values) { $0.int(0) } ?? 0
            let entries = try connection.query("SELECT * FROM (\(inner)) \(outer) ORDER BY \(order) LIMIT ?", values + [keeping]) {
                row throws(StoreError) in
                let found = try Cases.storedCase(row, prefecture: prefecture)
                return CaseloadEntry(found: found, own: found.holder == own, progress: Self.progress(row, from: 6), changedAt: row.text(13))
            }
            return (total, entries)
        }
    }

    /// Audits a list's partner cases as reads of those records (own cases are the holder's own
    /// business), telling the holder of each it watches unless it exempted its partners.
    private func auditPartnerCases(_ entries: [CaseloadEntry], action: String, detail: String, as actor: Actor) throws(StoreError) {
        let partnerCases = entries.filter { !$0.own }.map { (id: $0.found.id, holder: $0.found.holder) }
        var notices: [NotificationDraft] = []
        for (id, holder) in partnerCases {
            notices += try store.viewNotices(of: id, holder: holder, relations: [.partner], kind: "case.viewed", by: actor)
        }
        try store.audit([
            AuditRecord(
                actor: actor, action: action, target: actor.authority, detail: "\(detail) shown=\(entries.count) partner=\(partnerCases.count)",
                cases: partnerCases, notifications: notices)
        ])
    }

    private static func precedes(_ left: CaseloadEntry, _ right: CaseloadEntry, _ sort: CaseloadQuery.Sort) -> Bool {
        switch sort {
        case .changed:
            return (left.changedAt, left.found.id) > (right.changedAt, right.found.id)
        case .review:
            let l = left.progress?.nextReview ?? "9999"
            let r = right.progress?.nextReview ?? "9999"
            return (l, left.found.id) < (r, right.found.id)
        case .name:
            return (readingKey(left), left.found.id) < (readingKey(right), right.found.id)
        }
    }

    private static func readingKey(_ entry: CaseloadEntry) -> String {
        (entry.found.record.child.familyNameKana ?? "") + (entry.found.record.child.givenNameKana ?? "")
    }

    private static func placeholders(_ count: Int) -> String {
        "(" + Array(repeating: "?", count: count).joined(separator: ", ") + ")"
    }

    /// The stored (UTC) timestamp at which a day in Japan begins: 2026-12-08 → 2026-12-07T15:00:00.000Z.
    static func startOfDayInJapan(_ date: PartialDate) -> String {
        let start = date.earliest
        guard let day = RecordValidator.japan.date(from: DateComponents(year: start.year, month: start.month, day: start.day)) else {
            return date.iso
        }
        return Timestamp.string(day)
    }

    /// The ISO date `days` after `date` in Japan's calendar.
    package static func date(daysAfter date: PartialDate, _ days: Int) -> String {
        let start = date.earliest
        let components = DateComponents(year: start.year, month: start.month, day: start.day)
        guard let day = RecordValidator.japan.date(from: components),
            let later = RecordValidator.japan.date(byAdding: .day, value: days, to: day)
        else { return date.iso }
        let parts = RecordValidator.japan.dateComponents([.year, .month, .day], from: later)
        return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }
}

extension Casework {
    /// For a worker's own page: per case of `entries`, how many notes other authorities added
    /// since the worker last opened the record (its last `case.read` in the audit log; all of
    /// them if it never did). Cases with none are left out.
    package func partnerNotesSinceLastLook(_ entries: [CaseloadEntry], as actor: Actor) throws(StoreError) -> [String: Int] {
        guard case .user(_, let authority, _) = actor else { return [:] }
        var unseen: [String: Int] = [:]
        for entry in entries.prefix(Self.caseloadLimits.upperBound) {
            let lastLook = try catalogue.read { connection throws(StoreError) in
                try connection.first(
                    """
                    SELECT max(at) FROM audit_log WHERE id IN (\(AuditViews.idsByCase)) AND action = 'case.read' AND actor = ?2
                    """, [entry.found.id, actor.description]
                ) { $0.optionalText(0) } ?? nil
            }
            let count = try partition(entry.found.prefectureCode).read { connection throws(StoreError) in
                try connection.first(
                    "SELECT count(*) FROM notes WHERE case_id = ? AND authority != ? AND at > ?", [entry.found.id, authority, lastLook ?? ""]
                ) { $0.int(0) } ?? 0
            }
            if count > 0 { unseen[entry.found.id] = count }
        }
        return unseen
    }
}
