extension AccessPolicy {
    /// Decides a permission that is not a capability on one case. The local administrator (the
    /// server's own command line and its background jobs) may do everything.
    package func decide(_ permission: Permission, for actor: Actor) -> Decision {
        guard case .user(_, let authority, let role) = actor else { return .allow }
        let isAdministrator = role == .administrator
        let isOperator = role == .systemOperator
        let isMinistry = role == .ministry && authority == Authority.ministryCode
        func allow(_ condition: Bool, _ refusal: @autoclosure () -> String) -> Decision {
            condition ? .allow : .refuse(refusal())
        }
        switch permission {
        case .listOwn(let own, let what, let refusingOperators):
            return allow(authority == own && !(refusingOperators && isOperator), "\(actor) may list only its own authority's \(what)")
        case .readNotification(let owner):
            return authority == owner ? .allow : .hide
        case .registerCases(let holder):
            return allow(
                authority == holder && !isOperator && directory[holder]?.holdsCases == true, "\(actor) may not register cases for \(holder)")
        case .readSettings(let owner):
            return allow(authority == owner, "\(actor) may not read the settings of \(owner)")
        case .changeSettings(let owner):
            return allow(isAdministrator && authority == owner, "only \(owner)'s administrators may change its settings")
        case .readAuditTrail(let owner):
            return allow(isAdministrator && authority == owner, "only \(owner)'s administrators may read its audit trail")
        case .readCaseViews(let holder):
            return allow(authority == holder && !isOperator, "only the holder may list who read its cases")
        case .manageUsers(let owner):
            return allow(isAdministrator && owner == authority, "\(actor) may not administer the users of \(owner ?? "every authority")")
        case .manageTokens(let login, let owner):
            guard case .user(let own, _, _) = actor else { return .allow }
            return allow(own == login || (isAdministrator && authority == owner), "\(actor) may not manage the tokens of \(login)")
        case .readTokens(let login, let owner):
            guard case .user(let own, _, _) = actor else { return .allow }
            if let login, login == own { return .allow }
            guard let owner else { return .refuse("\(actor) may not list the tokens of every authority") }
            guard authority == owner else { return .hide }
            return allow(isAdministrator, "\(actor) may not list the tokens of \(login ?? "every user of \(owner)")")
        case .revokeToken(let login, let owner):
            guard case .user(let own, _, _) = actor else { return .allow }
            if login == own { return .allow }
            guard authority == owner else { return .hide }
            return allow(isAdministrator, "\(actor) may not revoke the tokens of \(login)")
        case .setTokenLifetime:
            return .refuse("only the service's operator, at the server's command line, sets the longest token lifetime")
        case .transfer(let origin, let destination, let reachedDestination, let side):
            // The destination knows nothing of a transfer before it is sent (awaiting approval).
            let party = authority == origin || (authority == destination && reachedDestination)
            guard party else { return .hide }
            guard let side else { return .allow }
            let owner = side == .origin ? origin : destination
            return allow(authority == owner && !isOperator, "only \(owner) may take this step of the transfer")
        case .approveTransfer(let origin, let proposedBy, let approvers):
            guard authority == origin && approvers.admits(actor) else {
                return .refuse("only \(origin)'s approvers (\(approvers.description)) may approve this transfer")
            }
            return allow(actor.description != proposedBy, "a transfer is approved by someone other than who proposed it (\(proposedBy))")
        case .readRequest(let requester, let holder):
            return authority == requester || authority == holder ? .allow : .hide
        case .answerRequest(let holder, let approvers):
            guard authority == holder && !isOperator else { return .refuse("only \(holder), which holds the case, may answer the request") }
            return allow(approvers.admits(actor), "only \(holder)'s approvers of information requests (\(approvers.description)) may answer it")
        case .confirmSeriousFlag(let holder):
            return allow(
                authority == holder && (role == .supervisor || isAdministrator),
                "only a supervisor or administrator of \(holder) may open a case to the ministry")
        case .voidCase(let holder):
            return allow(
                authority == holder && (role == .supervisor || isAdministrator), "only a supervisor or administrator of \(holder) may void its case")
        case .listVoidedCases(let holder):
            guard let holder else { return .refuse("only the service's operator, at the server's command line, lists every holder's voided cases") }
            return allow(isAdministrator && authority == holder, "only \(holder)'s administrators may list its voided cases")
        case .ministry:
            return allow(isMinistry, "only ministry staff may do this")
        case .submitReport:
            return allow(!isOperator && directory[authority]?.holdsCases == true, "reports are submitted by the users of a municipality or CGC")
        case .receiveAlerts:
            return allow(
                !isOperator && directory[authority]?.kind == .childGuidanceCentre,
                "only child guidance centres receive missing-child alerts")
        case .closeAlert(let origin):
            return allow(authority == origin, "only \(origin), which opened the alert, may close it")
        case .readMetrics:
            return allow(isOperator || isAdministrator, "metrics are served to operators and administrators")
        case .replaceDirectory:
            return .refuse("only the local administrator may replace the directory")
        case .serviceData:
            return .refuse("this is the service's own data")
        }
    }
}
