/// The authority's own cases (`cases.mustache`), filtered, sorted and paged.
struct CaseListPage: PageView {
    /// One case of the list.
    struct Row {
        let caseID: String
        let externalID: String
        let name: String
        let birthdate: String
        let status: String
        let updated: String
    }

    var title = ""
    var user: Navigation?
    let q: String
    let total: Int
    let page: Int
    let pages: Int
    let statuses: [SelectOption]
    let sorts: [SelectOption]
    let cases: [Row]
    var previous: String?
    var next: String?
}
