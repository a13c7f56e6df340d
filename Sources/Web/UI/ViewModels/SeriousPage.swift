/// The cases flagged serious (`serious.mustache`), for ministry staff.
struct SeriousPage: PageView {
    struct Case {
        let caseID: String
        let flaggedBy: String
        let at: String
    }

    var title = ""
    var user: Navigation?
    let cases: [Case]
}
