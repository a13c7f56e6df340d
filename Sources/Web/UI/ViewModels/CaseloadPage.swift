/// The shared caseload (`caseload.mustache`): the authority's own cases and the partner cases
/// it may read, with their progress, filtered and paged.
struct CaseloadPage: PageView {
    /// One case of the list.
    struct Row {
        let caseID: String
        let holder: String
        let own: Bool
        let externalID: String
        let name: String
        let birthdate: String
        let status: String
        let category: String
        let assignee: String
        let risk: String
        let nextReview: String
        let overdue: Bool
        let changed: String
        /// On the worker's own page: 「他機関のメモ 2件（前回閲覧後）」.
        var partnerNotes: String?
    }

    var title = ""
    var user: Navigation?
    let total: Int
    let page: Int
    let pages: Int
    let scopes: [SelectOption]
    let statuses: [SelectOption]
    let categories: [SelectOption]
    let reviews: [SelectOption]
    let abuseTypes: [SelectOption]
    let sorts: [SelectOption]
    let mine: Bool
    let changedSince: String
    var cases: [Row]
    /// The same list as a sheet.
    let csv: String
    let today: String
    var previous: String?
    var next: String?
}

/// The 要保護児童対策地域協議会 実務者会議 list (`meeting.mustache`), printable: per case its
/// progress and what changed since the previous meeting.
struct MeetingPage: PageView {
    struct Row {
        let caseID: String
        let holder: String
        let own: Bool
        let externalID: String
        let name: String
        let birthdate: String
        let category: String
        let assignee: String
        let risk: String
        let nextReview: String
        let plan: String?
        /// Plans set since the previous meeting, newest first.
        let newPlans: [CasePage.Plan]
        let notesSince: Int
        let recordChanged: Bool
    }

    var title = ""
    var user: Navigation?
    let since: String
    let sinceShown: String
    let total: Int
    let truncated: Bool
    let cases: [Row]
    let csv: String
}
