package import Foundation
import SQLiteDB

/// What a caseworker does between the moments a case is found, moved or broadcast: the
/// holder's progress management of a case (担当者, 要対協 category, risk, 次回確認日, 支援方針
/// with its history), and the shared caseload a CGC and its municipalities bring to their
/// 要保護児童対策地域協議会 meetings (each one's own cases and the partner cases it may read).
package struct Casework: StoreFeature {
    package let store: Store

    /// The longest support plan, in characters (a longer document is attached to the case).
    package static let maxPlanLength = 4_000
    /// The earliest and latest review date accepted.
    package static let reviewYears = 2000...2200

    // MARK: Progress

    /// A case's progress and its support plans, newest first, for whoever may read the
    /// record; audited as a read.
    package func progress(ofCase id: String, as actor: Actor) throws(StoreError) -> (progress: CaseProgress, plans: [PlanEntry]) {
        let found = try store.cases.authorizedRead(id: id, needing: .readRecord, "case.read", as: actor, detail: " progress")
        return try partition(found.prefectureCode).read { connection throws(StoreError) in
            (try Self.progress(of: found.id, connection) ?? CaseProgress(), try Self.plans(of: found.id, connection))
        }
    }

    /// Sets a case's progress (only its holder may): `change` is given the stored progress
    /// once the actor may change it, and returns the wanted one; a new support plan is kept in
    /// the plan history. Audited with the names of the members that changed (never their values).
    /// - Throws: `.invalidInput` naming the member that is wrong (an assignee who is not one of
    ///   the holder's active users, a review date that is not a whole date, a plan too long).
    @discardableResult
    package func updateProgress(
        ofCase id: String, as actor: Actor, _ change: (CaseProgress) throws(StoreError) -> CaseProgress
    ) throws(StoreError) -> CaseProgress {
        guard let found = try locate(id) else { throw StoreError(.notFound, "no case \(id.prefix(64))") }
        try store.authorize(.edit, "case.progress", on: found, as: actor)
        let current = try partition(found.prefectureCode).read { connection throws(StoreError) in
            try Self.progress(of: found.id, connection) ?? CaseProgress()
        }
        var next = try validated(try change(current), holder: found.holder)
        let changed = next.changedFields(from: current)
        guard !changed.isEmpty else { return current }
        let now = Timestamp.now()
        next.updatedAt = now
        next.updatedBy = actor.description
        let record = AuditRecord(
            actor: actor, action: "case.progress", target: found.id, detail: "changed=\(changed.joined(separator: ","))",
            cases: [(found.id, found.holder)])
        try store.commitCaseWrite(in: found.prefectureCode, record) { connection throws(StoreError) in
            guard try connection.first("SELECT 1 FROM cases WHERE id = ?", [found.id], { _ in true }) != nil else {
                throw StoreError(.notFound, "no case \(found.id)")  // moved away meanwhile
            }
            try connection.run(
                """
                INSERT INTO case_progress (case_id, category, assignee, risk, next_review, plan, updated_at, updated_by)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (case_id) DO UPDATE SET category = excluded.category, assignee = excluded.assignee, risk = excluded.risk,
                    next_review = excluded.next_review, plan = excluded.plan, updated_at = excluded.updated_at,
                    updated_by = excluded.updated_by
                """,
                [
                    found.id, next.category?.rawValue, next.assignee, next.risk?.rawValue, next.nextReview, next.plan, now,
                    actor.description,
                ])
            if let plan = next.plan, plan != current.plan {
                try connection.run(
                    "INSERT INTO plan_history (id, case_id, at, author, authority, plan) VALUES (?, ?, ?, ?, ?, ?)",
                    [UUID().uuidString.lowercased(), found.id, now, actor.description, actor.authority ?? "local", plan])
            }
        }
        return next
    }

    /// `wanted` as it may be stored, or a refusal naming what is wrong.
    private func validated(_ wanted: CaseProgress, holder: String) throws(StoreError) -> CaseProgress {
        var next = wanted
        if let login = wanted.assignee {
            guard let user = try store.users.user(login), user.authority == holder, !user.disabled else {
                throw StoreError(.invalidInput, "assignee: \(login.prefix(64)) is not an active user of \(holder)")
            }
        }
        if let review = wanted.nextReview {
            let date = try? PartialDate(parsing: review)
            guard let date, date.day != nil, Self.reviewYears.contains(date.year) else {
                throw StoreError(
                    .invalidInput,
                    "next_review: \"\(review.prefix(40))\" is not a whole date (YYYY-MM-DD) in \(Self.reviewYears.lowerBound)–\(Self.reviewYears.upperBound)"
                )
            }
            next.nextReview = date.iso
        }
        if let plan = wanted.plan {
            let trimmed = plan.trimmingSpaces()
            if let control = trimmed.unicodeScalars.first(where: { ($0.value < 0x20 && !["\n", "\r", "\t"].contains($0)) || $0.value == 0x7F }) {
                throw StoreError(.invalidInput, "plan: contains the control character U+\(String(format: "%04X", control.value)); remove it")
            }
            guard trimmed.count <= Self.maxPlanLength else {
                throw StoreError(.invalidInput, "plan: a support plan may be at most \(Self.maxPlanLength) characters, not \(trimmed.count)")
            }
            next.plan = trimmed.isEmpty ? nil : trimmed
        }
        return next
    }

    static let progressColumns = "category, assignee, risk, next_review, plan, updated_at, updated_by"

    /// Progress from a row whose columns from `first` on are `progressColumns`; nil where the case has none.
    static func progress(_ row: Statement, from first: Int32) -> CaseProgress? {
        guard let updatedAt = row.optionalText(first + 5) else { return nil }
        return CaseProgress(
            category: row.optionalText(first).flatMap(SupportCategory.init(rawValue:)), assignee: row.optionalText(first + 1),
            risk: row.optionalText(first + 2).flatMap(RiskLevel.init(rawValue:)), nextReview: row.optionalText(first + 3),
            plan: row.optionalText(first + 4), updatedAt: updatedAt, updatedBy: row.optionalText(first + 6))
    }

    static func progress(of caseID: String, _ connection: Connection) throws(StoreError) -> CaseProgress? {
        try connection.first("SELECT \(progressColumns) FROM case_progress WHERE case_id = ?", [caseID]) { progress($0, from: 0) } ?? nil
    }

    static func plans(of caseID: String, since: String? = nil, _ connection: Connection) throws(StoreError) -> [PlanEntry] {
        try connection.query(
            "SELECT at, author, authority, plan FROM plan_history WHERE case_id = ? AND at >= ? ORDER BY at DESC, id DESC",
            [caseID, since ?? ""]
        ) { PlanEntry(at: $0.text(0), author: $0.text(1), authority: $0.text(2), plan: $0.text(3)) }
    }
}
