import SQLiteDB

extension Store {
    /// The full facts about many cases at once: partners from the directory, one query each
    /// for live grants, serious flags and open alerts.
    func accessFacts(
        of cases: [(caseID: String, holder: String, addressMunicipality: String?)]
    ) throws(StoreError) -> [String: CaseAccessFacts] {
        var facts: [String: CaseAccessFacts] = [:]
        for entry in cases {
            facts[entry.caseID] = CaseAccessFacts(
                holder: entry.holder, partners: policy.partners(holder: entry.holder, addressMunicipality: entry.addressMunicipality))
        }
        guard !facts.isEmpty else { return facts }
        let ids = Array(facts.keys)
        let placeholders = Array(repeating: "?", count: ids.count).joined(separator: ",")
        let (grants, flagged, alerted, incoming) = try catalogue.read { connection throws(StoreError) in
            let grants = try connection.query(
                "SELECT case_id, authority FROM grants WHERE expires_at > ? AND case_id IN (\(placeholders))", [Timestamp.now()] + ids
            ) { ($0.text(0), $0.text(1)) }
            let flagged = try connection.query(
                "SELECT case_id FROM case_flags WHERE serious = 1 AND state = 'confirmed' AND case_id IN (\(placeholders))", ids
            ) {
                $0.text(0)
            }
            let alerted = try connection.query("SELECT case_id FROM alerts WHERE state = 'open' AND case_id IN (\(placeholders))", ids) {
                $0.text(0)
            }
            let incoming = try connection.query(
                "SELECT case_id, destination FROM transfers WHERE kind = 'transfer' AND state = 'sent' AND case_id IN (\(placeholders))", ids
            ) { ($0.text(0), $0.text(1)) }
            return (grants, flagged, alerted, incoming)
        }
        for (caseID, authority) in grants { facts[caseID]?.grantees.insert(authority) }
        for (caseID, authority) in incoming { facts[caseID]?.destinations.insert(authority) }
        for caseID in flagged { facts[caseID]?.flaggedSerious = true }
        for caseID in alerted { facts[caseID]?.alertOpen = true }
        return facts
    }

    func accessFacts(of found: StoredCase) throws(StoreError) -> CaseAccessFacts {
        try accessFacts(of: [(found.id, found.holder, found.record.address?.municipalityCode)])[found.id]!
    }

    /// What `actor` may do with a case (for the API's answer and the UI's buttons).
    package func capabilities(of actor: Actor, on found: StoredCase) throws(StoreError) -> AccessPolicy.Capabilities {
        policy.capabilities(of: actor, on: try accessFacts(of: found))
    }

    /// What the staff of an authority may do with a case, before any of them asks (whom an
    /// alert or a match alert may reach).
    func capabilities(ofAuthority code: String, on facts: CaseAccessFacts) -> AccessPolicy.Capabilities {
        policy.capabilities(of: .user(login: "-", authority: code, role: .worker), on: facts)
    }

    /// Checks `needed` on a case; a refusal is audited (as `denied`, naming what was asked)
    /// before it is thrown, and is `.notFound` when the actor may not know the case exists.
    /// - Returns: the facts it decided on (callers that need them again need not read them twice).
    @discardableResult
    func authorize(_ needed: AccessPolicy.Capabilities, _ action: String, on found: StoredCase, as actor: Actor) throws(StoreError)
        -> CaseAccessFacts
    {
        let facts = try accessFacts(of: found)
        do {
            try policy.check(needed, for: actor, on: facts, caseID: found.id)
            return facts
        } catch {
            try audit(
                actor: actor, action: "denied", target: found.id, detail: "\(action) needs \(needed.names.joined(separator: ","))",
                cases: [(found.id, found.holder)])
            throw error
        }
    }

    /// Takes a policy decision that is not a case capability; a refusal is audited (as
    /// `denied`, naming `action`) and thrown: `.permissionDenied`, or `.notFound` naming
    /// `hidden` when the actor may not know the thing exists.
    /// - Parameters:
    ///   - action: the operation refused, as the audit log names it (`settings.update`).
    ///   - target: what it was about (an authority, a transfer id…).
    ///   - hidden: what a hidden refusal says does not exist (`transfer`).
    package func require(
        _ permission: Permission, as actor: Actor, action: String, target: String? = nil, hidden: String = "such thing"
    ) throws(StoreError) {
        switch policy.decide(permission, for: actor) {
        case .allow:
            return
        case .refuse(let message):
            try refuse(actor, action, target: target, message)
        case .hide:
            try hide(actor, action, target: target ?? "", hidden)
        }
    }

    /// Refuses as if `what` did not exist (for a caller that may not know it does): audits
    /// the refusal, then throws `.notFound`.
    func hide(_ actor: Actor, _ action: String, target: String, _ what: String) throws(StoreError) -> Never {
        try auditRefusal(of: actor, action, target: target)
        throw StoreError(.notFound, "no \(what) \(target.prefix(64))")
    }

    /// Whether the policy allows a permission, without refusing (for filters such as "the
    /// ministry sees every submission, an authority its own").
    func allows(_ permission: Permission, _ actor: Actor) -> Bool {
        policy.decide(permission, for: actor) == .allow
    }

    /// Audits a refusal decided at the edge before any operation of the Store could be asked
    /// (a browser request without its session's CSRF token), in the same form as the core's
    /// own: `denied`, naming what was refused.
    package func auditRefusal(of actor: Actor, _ action: String, target: String?) throws(StoreError) {
        try audit(actor: actor, action: "denied", target: target.map { String($0.prefix(64)) }, detail: action)
    }

    /// Refuses an operation that is not a policy decision (a wrong current password): audits
    /// the refusal (as `denied`, naming the operation), then throws.
    func refuse(_ actor: Actor, _ action: String, target: String?, _ message: String) throws(StoreError) -> Never {
        try auditRefusal(of: actor, action, target: target)
        throw StoreError(.permissionDenied, message)
    }

    // MARK: Search

    /// What of each search's candidates the caller may see, with the search audited: the one
    /// path by which search results leave the Store's protection. Each search lists its ranked
    /// candidates; the answer keeps, in order, those whose summary the caller may see, pages
    /// them, and says for each whether the full record may be opened. Every search is audited
    /// (its terms in the entry's designated field, and the cases of its page, so each holder
    /// sees that its case was looked up), all in one group commit.
    ///
    /// `purpose: .serviceCheck` is the service's own identity check (match alerts, measurement
    /// tools): only the local administrator may run it, and it is not audited as a search
    /// (a match it finds is audited as `match.alert`).
    package func disclose(_ searches: [SearchDisclosure.Request], to actor: Actor, purpose: SearchDisclosure.Purpose = .search)
        throws(StoreError) -> [SearchDisclosure]
    {
        if purpose == .serviceCheck {
            try require(.serviceData, as: actor, action: "search.service-check")
        }
        let candidates = searches.flatMap(\.candidates)
        let facts = try accessFacts(of: candidates.map { ($0.caseID, $0.holder, $0.addressMunicipality) })
        var disclosures: [SearchDisclosure] = []
        var records: [AuditRecord] = []
        for search in searches {
            var visible: [SearchDisclosure.Hit] = []
            if search.refused == nil {
                for (index, candidate) in search.candidates.enumerated() {
                    guard let facts = facts[candidate.caseID] else { continue }
                    let capabilities = policy.capabilities(of: actor, on: facts)
                    guard capabilities.contains(.seeSummary) else { continue }
                    visible.append(SearchDisclosure.Hit(candidate: index, full: capabilities.contains(.readRecord)))
                }
            }
            visible = try groupingLinked(visible, of: search.candidates)
            let page = Array(visible.dropFirst(search.offset).prefix(search.limit))
            disclosures.append(SearchDisclosure(total: visible.count, hits: page))
            guard purpose == .search else { continue }
            let cases = page.flatMap { [$0] + $0.linked }.map { (search.candidates[$0.candidate].caseID, search.candidates[$0.candidate].holder) }
            let outcome = search.refused.map { "refused=\($0)" } ?? "hits=\(cases.count)"
            records.append(
                AuditRecord(
                    actor: actor, action: "search", target: cases.isEmpty ? nil : cases.map(\.0).joined(separator: ","),
                    detail: "\(search.description) \(outcome)", cases: cases))
        }
        try audit(records)
        return disclosures
    }

    /// `hits` with the hits of each child's linked records (`CaseLinks`) gathered into the first
    /// of them, in order: one grouped hit per child.
    private func groupingLinked(_ hits: [SearchDisclosure.Hit], of candidates: [SearchDisclosure.Candidate]) throws(StoreError)
        -> [SearchDisclosure.Hit]
    {
        let children = hits.map { candidates[$0.candidate] }.filter(\.isChild).map(\.caseID)
        let groups = try links.groups(of: children)
        guard !groups.isEmpty else { return hits }
        var grouped: [SearchDisclosure.Hit] = []
        var slots: [String: Int] = [:]
        for hit in hits {
            let candidate = candidates[hit.candidate]
            if candidate.isChild, let group = groups[candidate.caseID] {
                if let slot = slots[group] {
                    grouped[slot].linked.append(hit)
                    continue
                }
                slots[group] = grouped.count
            }
            grouped.append(hit)
        }
        return grouped
    }
}
