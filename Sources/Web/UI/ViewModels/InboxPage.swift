/// The authority's notifications and match alerts (`inbox.mustache`).
struct InboxPage: PageView {
    struct Notification {
        let id: Int
        /// What happened, in Japanese.
        let label: String
        /// The authority it came from (empty when the system sent it).
        let from: String
        let at: String
        let unread: Bool
        /// A possible match with another authority's case (highlighted).
        let match: Bool
    }

    var title = ""
    var user: Navigation?
    let notifications: [Notification]
}
