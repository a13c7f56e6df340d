import Foundation
import SQLiteDB

/// What the ministry makes of a form's submissions: who has not answered, and the totals and
/// means of its numeric fields, nationwide, by prefecture and by kind of authority.
package struct ReportSummary: Sendable, Encodable {
    package struct Figures: Sendable, Encodable {
        /// Field key → the sum of the answers.
        package var totals: [String: Int] = [:]
        /// Field key → the mean over the authorities that answered (two decimals).
        package var means: [String: Double] = [:]
        package var submitted = 0
    }

    package struct Group: Sendable, Encodable {
        /// A prefecture code (`13`) or an authority kind (`cgc`, `municipality`).
        package let key: String
        package let name: String
        package let expected: Int
        package let figures: Figures
    }

    package let formID: String
    package let deadline: String?
    package let audience: ReportForm.Audience
    /// The authorities the form asks.
    package let expected: Int
    package let all: Figures
    package let byPrefecture: [Group]
    package let byKind: [Group]
    /// The authorities that have not submitted, by code.
    package let nonSubmitters: [String]

    enum CodingKeys: String, CodingKey {
        case formID = "form_id", deadline, audience, expected, all, byPrefecture = "by_prefecture", byKind = "by_kind"
        case nonSubmitters = "non_submitters"
    }
}

extension Reports {
    /// The form's totals and means, nationwide and by prefecture and kind, and its
    /// non-submitters; for the ministry.
    package func summary(_ formID: String, as actor: Actor) throws(StoreError) -> ReportSummary {
        try store.require(.ministry, as: actor, action: "report.summary", target: formID)
        let form = try form(formID)
        let submissions = try submissions(formID, as: actor)
        let expected = directory.authorities.values.filter { form.audience.includes($0.kind) }
        let answered = Set(submissions.map(\.authority))
        let numeric = form.fields.filter { $0.type == .integer }.map(\.key)
        func figures(_ rows: [ReportSubmission]) -> ReportSummary.Figures {
            var figures = ReportSummary.Figures(submitted: rows.count)
            for key in numeric {
                let values = rows.compactMap { $0.answers[key].flatMap(Int.init) }
                // Bounded: at most 10,000,000 per answer and a few thousand authorities.
                let total = values.reduce(0, +)
                figures.totals[key] = total
                if !values.isEmpty { figures.means[key] = (Double(total) / Double(values.count) * 100).rounded() / 100 }
            }
            return figures
        }
        let byPrefecture = Dictionary(grouping: expected, by: \.prefectureCode).keys.sorted().map { code in
            let members = Set(expected.filter { $0.prefectureCode == code }.map(\.code))
            return ReportSummary.Group(
                key: code, name: directory.authorities.values.first { $0.kind == .prefecture && $0.prefectureCode == code }?.name ?? code,
                expected: members.count, figures: figures(submissions.filter { members.contains($0.authority) }))
        }
        let byKind = [Authority.Kind.childGuidanceCentre, .municipality].filter { form.audience.includes($0) }.map { kind in
            let members = Set(expected.filter { $0.kind == kind }.map(\.code))
            return ReportSummary.Group(
                key: kind.rawValue, name: kind == .childGuidanceCentre ? "児童相談所" : "市町村", expected: members.count,
                figures: figures(submissions.filter { members.contains($0.authority) }))
        }
        try store.audit(actor: actor, action: "report.summary", target: formID, detail: "submitted=\(answered.count) expected=\(expected.count)")
        return ReportSummary(
            formID: formID, deadline: form.deadline, audience: form.audience, expected: expected.count, all: figures(submissions),
            byPrefecture: byPrefecture, byKind: byKind, nonSubmitters: expected.map(\.code).filter { !answered.contains($0) }.sorted())
    }

    /// Puts a reminder in the inbox of every authority the form asks that has not submitted;
    /// for the ministry. Audited.
    /// - Returns: how many were reminded.
    @discardableResult
    package func remind(_ formID: String, as actor: Actor) throws(StoreError) -> Int {
        try store.require(.ministry, as: actor, action: "report.remind", target: formID)
        let form = try form(formID)
        let answered = Set(try submissions(formID, as: actor).map(\.authority))
        let missing = directory.authorities.values.filter { form.audience.includes($0.kind) && !answered.contains($0.code) }.map(\.code).sorted()
        try catalogue.write { connection throws(StoreError) in
            try Notifications.deliver(
                missing.map { NotificationDraft(authority: $0, kind: "report.reminder", caseID: nil, ref: formID, from: actor.authority) }, connection
            )
            try store.audit(connection, actor: actor, action: "report.remind", target: formID, detail: "reminded=\(missing.count)")
        }
        return missing.count
    }
}
