/// Every note on a case, newest first, page by page (`notes.mustache`); the case page shows
/// only the most recent ones.
struct NotesPage: PageView {
    var title = ""
    var user: Navigation?
    let caseID: String
    let total: Int
    let page: Int
    let pages: Int
    let notes: [CasePage.Note]
    var previous: String?
    var next: String?
}
