/// The published annual report forms (`reports.mustache`), and for the ministry the form that
/// publishes a new one, with what was typed kept when it is refused.
struct ReportsPage: PageView {
    struct Form {
        let id: String
        let year: Int
        let title: String
        /// How many fields the form has.
        let fields: Int
    }

    var title = ""
    var user: Navigation?
    let forms: [Form]
    let canPublish: Bool
    let year: String
    let formTitle: String
    let fieldsText: String
    var error: String?
}
