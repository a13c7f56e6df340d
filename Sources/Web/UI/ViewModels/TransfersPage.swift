/// Transfers and information provisions, incoming and outgoing (`transfers.mustache`, each
/// drawn by `transfer-item.mustache`), with the steps this user may take on each.
struct TransfersPage: PageView {
    struct Transfer {
        let id: String
        let caseID: String
        /// 移管 or 情報提供.
        let kind: String
        let origin: String
        let destination: String
        let state: String
        let reason: String
        let urgent: Bool
        let created: String
        let updated: String
        var canConfirm = false
        var canDecline = false
        var canWithdraw = false
        var canApprove = false
        /// Whether the record can be opened from here (received, or provided to this authority).
        var canOpen = false
        /// A case this authority transferred away: the record as it stood when it left.
        var canOpenFormer = false
    }

    var title = ""
    var user: Navigation?
    let incoming: [Transfer]
    let outgoing: [Transfer]
}
