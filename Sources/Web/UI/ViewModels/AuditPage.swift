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

    /// A case the authority voided as entered by mistake: never the reason, nothing of the record.
    struct Voided {
        let id: String
        let externalID: String
        let at: String
        let by: String
    }

    var title = ""
    var user: Navigation?
    let entries: [Entry]
    /// The next hundred, older; nil at the start of the trail.
    var older: String?
    /// The authority's voided cases (on the first page, for an authority that holds cases).
    var voided: [Voided] = []
    var voidedShown = false
    var voidedEmpty = true
}
