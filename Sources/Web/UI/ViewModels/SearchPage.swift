/// The search page (`search.mustache`) and its results alone (`search-results.mustache`, which
/// search as you type swaps in): the box and fields as typed, then the hits.
struct SearchPage: PageView {
    var title = ""
    var user: Navigation?
    // The fields as typed (empty when not).
    var q = ""
    var name = ""
    var kana = ""
    var birthdate = ""
    var guardian = ""
    var sex = ""
    var prefecture = ""
    /// Whether a field of the detailed search was used (its section is shown open).
    var detailed = false
    var sexes: [SelectOption] = []
    var prefectures: [SelectOption] = []
    /// Whether anything was searched for (the results are shown).
    var searched = false
    var total: Int?
    var hits: [SearchHitView] = []
    /// Which hits of how many are shown, when there is more than a page of them.
    var range: String?
    var previous: String?
    var next: String?
    /// Why the search could not be done, in Japanese.
    var error: String?
}
