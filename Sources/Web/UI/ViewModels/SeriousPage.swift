/// The cases flagged serious (`serious.mustache`), for ministry staff.
struct SeriousPage: PageView {
    struct Case {
        let caseID: String
        /// The child's name, the holder and the status (「保有されていません」 once purged).
        let child: String
        let holder: String
        let status: String
        let flaggedBy: String
        let at: String
    }

    var title = ""
    var user: Navigation?
    let cases: [Case]
}
