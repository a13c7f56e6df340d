/// A search hit as the results (`search-results.mustache`) and the information request form
/// show it.
struct SearchHitView {
    let caseID: String
    /// `exact`, `likely` or `possible`: the CSS class of the grade.
    let grade: String
    let gradeLabel: String
    let name: String
    /// （保護者）or（同居人）when the hit is not the child; empty for the child.
    let roleLabel: String
    let birthdate: String
    let sexLabel: String
    let statusLabel: String
    /// The holder, named with its prefecture.
    let authorityName: String
    /// Why the case matched, in Japanese.
    let why: String
    /// Whether the searcher may open the record (otherwise only the summary, and a request link).
    let full: Bool
    /// Nil rather than empty: Mustache treats an empty string as present.
    let kana: String?
    /// Whom to call at the holder, by day and by night.
    let contacts: ContactsView
    /// Other records of the same child that their holders linked: shown within this hit.
    var linked: [SearchHitView] = []
    var hasLinked = false
}
