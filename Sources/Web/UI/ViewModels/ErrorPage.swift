/// A refused or failed operation (`error.mustache`), in Japanese.
struct ErrorPage: PageView {
    var title = ""
    var user: Navigation?
    let message: String
    /// The Store's diagnostic, for the user whose entry caused it.
    var detail: String?
    /// Where a worker who may see only a case's summary asks its holder for the record.
    var requestLink: String?
}
