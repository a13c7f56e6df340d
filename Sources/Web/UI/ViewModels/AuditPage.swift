/// The authority's audit trail (`audit.mustache`), newest first, a hundred at a time.
struct AuditPage: PageView {
    struct Entry {
        let id: Int
        let at: String
        let actor: String
        let authority: String
        let action: String
        let target: String
        let detail: String
    }

    var title = ""
    var user: Navigation?
    let entries: [Entry]
    /// The next hundred, older; nil at the start of the trail.
    var older: String?
}
