/// Information requests received (to answer) and sent (`requests.mustache`).
struct RequestsPage: PageView {
    struct Request {
        let id: String
        let caseID: String
        let requester: String
        let holder: String
        let reason: String
        let state: String
        let created: String
        let createdBy: String
        let answer: String?
        /// Whether this authority holds the case and the request awaits its answer.
        let canAnswer: Bool
        /// The provision an approved request became, for the requester to receive.
        let transferID: String?
    }

    var title = ""
    var user: Navigation?
    let received: [Request]
    let sent: [Request]
}
