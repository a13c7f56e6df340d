/// The information request form (`request-form.mustache`): the summary the search showed, and
/// the reason the holder decides on.
struct RequestFormPage: PageView {
    var title = ""
    var user: Navigation?
    let caseID: String
    let hit: SearchHitView
    /// The reason as typed.
    let reason: String
    var reasonError: String?
}
