/// The missing-child alerts (`alerts.mustache`): the open ones nationwide, and the authority's
/// own closed ones.
struct AlertsPage: PageView {
    var title = ""
    var user: Navigation?
    let open: [AlertView]
    let closed: [AlertView]
    /// The search of past alerts nationwide: what was asked, and what it found.
    var past = PastSearch()

    struct PastSearch {
        var name = ""
        var kana = ""
        var birthdate = ""
        var from = ""
        var to = ""
        var asked = false
        var results: [Past] = []
    }

    struct Past {
        let origin: String
        let name: String
        let kana: String?
        let birthdate: String
        let created: String
        let closed: String
        /// 「所在確認: 〇〇児童相談所（日時）」, or nil when closed without one.
        let located: String?
    }
}
