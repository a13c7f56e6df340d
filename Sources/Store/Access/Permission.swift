/// A decision of the access policy that is not a capability on one case: who may administer
/// an authority, take a step of a workflow, read the ministry's lists, the metrics or the
/// index's change feed. The policy decides each (`AccessPolicy.decide`); the core audits every
/// refusal (`Store.require`).
package enum Permission: Sendable, Hashable {
    /// List an authority's own cases, transfers, requests or inbox: its own users (and, when
    /// `refusingOperators` is false, also its operators).
    case listOwn(authority: String, what: String, refusingOperators: Bool)
    /// Open (and mark read) a notification of `owner`'s inbox: its users; to others it does not exist.
    case readNotification(owner: String)
    /// Register or import cases held by `holder`: the holder's own staff.
    case registerCases(holder: String)
    /// Read an authority's settings (never the webhook secret): any of its users.
    case readSettings(authority: String)
    /// Change an authority's settings and access rules: its administrators.
    case changeSettings(authority: String)
    /// Read an authority's audit trail: its administrators.
    case readAuditTrail(authority: String)
    /// Read who at other authorities looked at a case `holder` holds: the holder's users.
    case readCaseViews(holder: String)
    /// Create, list, disable users of an authority (nil: of every authority).
    case manageUsers(authority: String?)
    /// Create or revoke the tokens of a user: the user itself or its authority's administrators.
    case manageTokens(login: String, authority: String)
    /// List the API tokens of the user `login` of `authority`, or (with `login` nil) of every
    /// user of `authority` (nil: of every authority): the user its own, its authority's
    /// administrators every one of the authority's. Another user of the same authority is
    /// refused; a user of another authority is told there is no such user.
    case readTokens(login: String?, authority: String?)
    /// Revoke an API token of the user `login` of `authority`: the user itself or its
    /// authority's administrators. Another user of the same authority is refused; a user of
    /// another authority is told there is no such token.
    case revokeToken(login: String, authority: String)
    /// Set the longest lifetime of an API token, for the whole service: the service's operator
    /// at the server's command line (the local administrator), never a signed-in user.
    case setTokenLifetime
    /// See or act on a transfer from `origin` to `destination` as `side` (nil: read it).
    /// `reachedDestination`: it was sent (not only proposed), so the destination may know it.
    case transfer(origin: String, destination: String, reachedDestination: Bool, side: TransferSide?)
    /// Approve a proposed transfer of `origin`: the approvers it named for the kind of transfer
    /// (by default its supervisors and administrators), other than the one who proposed it (four eyes).
    case approveTransfer(origin: String, proposedBy: String, approvers: Audience)
    /// Read an information request: its requester and the holder.
    case readRequest(requester: String, holder: String)
    /// Answer an information request: the approvers the holder named (by default any of its staff).
    case answerRequest(holder: String, approvers: Audience)
    /// Confirm the ministry's request to flag a case `holder` holds as serious: the holder's
    /// supervisors and administrators.
    case confirmSeriousFlag(holder: String)
    /// Void a case `holder` holds as entered by mistake: the holder's supervisors and administrators.
    case voidCase(holder: String)
    /// List the cases `holder` voided (nil: every holder's): the holder's administrators; every
    /// holder's only the local administrator.
    case listVoidedCases(holder: String?)
    /// Ministry staff's own lists and acts: serious cases, report forms, all submissions.
    case ministry
    /// Submit an authority's report: the staff of a municipality or CGC.
    case submitReport
    /// Receive and read missing-child alerts: the staff of a CGC.
    case receiveAlerts
    /// Close an alert opened by `origin`: the originating CGC.
    case closeAlert(origin: String)
    /// The server's metrics: operators and administrators.
    case readMetrics
    /// Replace the authority directory: the local administrator.
    case replaceDirectory
    /// The service's own data: the index's feed of case identities, its identity checks
    /// (match alerts), the webhook secrets its worker signs with. The service itself (the
    /// local administrator), never a signed-in user.
    case serviceData

    package enum TransferSide: Sendable, Hashable { case origin, destination }
}

/// What the policy answers for a `Permission`.
package enum Decision: Sendable, Hashable {
    case allow
    /// Refused: 403, with what was refused in plain words.
    case refuse(String)
    /// Refused as if the thing did not exist (the caller may not know it does): 404.
    case hide
}
