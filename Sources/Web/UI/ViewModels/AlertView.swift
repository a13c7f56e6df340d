/// A missing-child alert: its own page (`alert.mustache`), and a row of the list of alerts
/// (`alerts.mustache`), which shows a few of the same keys.
struct AlertView: PageView {
    struct Response {
        let at: String
        let authority: String
        let actor: String
        /// 所在確認 or 情報提供.
        let kind: String
        let text: String
    }

    /// A child guidance centre that opened the alert, shown to the originator.
    struct Viewer {
        let authority: String
        let at: String
    }

    var title = ""
    var user: Navigation?
    let id: String
    let origin: String
    let name: String
    let kana: String?
    let birthdate: String
    let sex: String
    let circumstances: String
    /// Whether the alert carries a photo.
    let photo: Bool
    let created: String
    let open: Bool
    /// When it was closed; nil while open.
    let closed: String?
    /// Whether this authority opened the alert (and may close it).
    let own: Bool
    let responses: [Response]
    /// Who opened the alert; nil unless the viewer may know.
    let views: [Viewer]?
}
