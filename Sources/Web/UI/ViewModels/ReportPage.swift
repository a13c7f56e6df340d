/// One annual report form (`report.mustache`): the ministry sees the submissions; an authority
/// answers it, its earlier submission filled in.
struct ReportPage: PageView {
    struct Field {
        let key: String
        let label: String
        /// Numbers get a numeric keyboard.
        let integer: Bool
        /// The authority's earlier answer (empty when none).
        let value: String
    }

    struct Submission {
        let authority: String
        let by: String
        let at: String
        /// The answers in the order of the fields.
        let answers: [String]
    }

    var title = ""
    var user: Navigation?
    let id: String
    let year: Int
    let reportTitle: String
    let fields: [Field]
    /// Who submitted the authority's answers and when; nil before its first submission.
    var submitted: String?
    var ministry = false
    var submissions: [Submission] = []
    /// 提出期限 and who answers the form, as shown.
    var deadline: String?
    var audience = ""
    /// For the ministry: the summary.
    var summary: Summary?

    struct Summary {
        let expected: Int
        let submitted: Int
        let nonSubmitters: [String]
        let hasNonSubmitters: Bool
        /// One row per numeric field: label, total, mean.
        let figures: [Figure]
    }

    struct Figure {
        let label: String
        let total: String
        let mean: String
    }
}
