extension Store {
    /// The facts the directory alone gives about a case held by `holder` whose child lives in
    /// `addressMunicipality` (its partners), without grants or flags.
    package func accessFacts(holder: String, addressMunicipality: String?) -> CaseAccessFacts {
        CaseAccessFacts(holder: holder, partners: policy.partners(holder: holder, addressMunicipality: addressMunicipality))
    }

    /// The full facts about many cases at once (one query each for live grants and serious
    /// flags; the search asks this for all its hits).
    package func accessFacts(
        of cases: [(caseID: String, holder: String, addressMunicipality: String?)]
    ) throws(StoreError) -> [String: CaseAccessFacts] {
        var facts: [String: CaseAccessFacts] = [:]
        for entry in cases { facts[entry.caseID] = accessFacts(holder: entry.holder, addressMunicipality: entry.addressMunicipality) }
        guard !facts.isEmpty else { return facts }
        let ids = Array(facts.keys)
        let placeholders = Array(repeating: "?", count: ids.count).joined(separator: ",")
        let (grants, flagged, alerted) = try catalogue.read { connection throws(StoreError) in
            let grants = try connection.query(
                "SELECT case_id, authority FROM grants WHERE expires_at > ? AND case_id IN (\(placeholders))", [Timestamp.now()] + ids
            ) { ($0.text(0), $0.text(1)) }
            let flagged = try connection.query("SELECT case_id FROM case_flags WHERE serious = 1 AND case_id IN (\(placeholders))", ids) {
                $0.text(0)
            }
            let alerted = try connection.query("SELECT case_id FROM alerts WHERE state = 'open' AND case_id IN (\(placeholders))", ids) {
                $0.text(0)
            }
            return (grants, flagged, alerted)
        }
        for (caseID, authority) in grants { facts[caseID]?.grantees.insert(authority) }
        for caseID in flagged { facts[caseID]?.flaggedSerious = true }
        for caseID in alerted { facts[caseID]?.alertOpen = true }
        return facts
    }

    func accessFacts(of found: StoredCase) throws(StoreError) -> CaseAccessFacts {
        try accessFacts(of: [(found.id, found.holder, found.record.address?.municipalityCode)])[found.id]!
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

    /// Refuses an operation: audits the refusal (as `denied`, naming the operation), then throws.
    /// An authority's own lists (cases, transfers, requests, notifications) are for its own
    /// users; the local administrator's command line sees all. A refusal is audited.
    func requireOwn(_ authority: String, _ actor: Actor, _ action: String, _ things: String, refusingOperators: Bool = false) throws(StoreError) {
        guard case .user(_, let own, let role) = actor, own != authority || (refusingOperators && role == .systemOperator) else { return }
        try refuse(actor, action, target: authority, "\(actor) may list only its own authority's \(things)")
    }

    func refuse(_ actor: Actor, _ action: String, target: String?, _ message: String) throws(StoreError) -> Never {
        try audit(actor: actor, action: "denied", target: target, detail: action)
        throw StoreError(.permissionDenied, message)
    }

    /// Refuses as if `what` did not exist (for a caller that may not know it does): audits
    /// the refusal, then throws `.notFound`.
    func refuseUnseen(_ actor: Actor, _ action: String, target: String, _ what: String) throws(StoreError) -> Never {
        try audit(actor: actor, action: "denied", target: String(target.prefix(64)), detail: action)
        throw StoreError(.notFound, "no \(what) \(target.prefix(64))")
    }

    /// Tightens (or, with nil, restores to the default) what a relation may do with the cases
    /// `holder` holds. Only the holder's administrators and the local administrator may.
    package func setAccessRule(
        of holder: String, for relation: CaseRelation, to capabilities: AccessPolicy.Capabilities?, as actor: Actor
    ) throws(StoreError) {
        switch actor {
        case .localAdministrator: break
        case .user(_, let authority, let role) where role == .administrator && authority == holder: break
        default: try refuse(actor, "access.rule", target: holder, "only \(holder)'s administrators may change its access rules")
        }
        guard directory[holder]?.holdsCases == true else { throw StoreError(.invalidInput, directory.unknownCodeMessage(holder)) }
        try policy.checkRule(for: relation, capabilities)
        try catalogue.write { connection throws(StoreError) in
            if let capabilities {
                try connection.run(
                    """
                    INSERT INTO access_rules (authority, relation, capabilities) VALUES (?, ?, ?)
                    ON CONFLICT (authority, relation) DO UPDATE SET capabilities = excluded.capabilities
                    """, [holder, relation.rawValue, capabilities.rawValue])
            } else {
                try connection.run("DELETE FROM access_rules WHERE authority = ? AND relation = ?", [holder, relation.rawValue])
            }
            try audit(
                connection, actor: actor, action: "access.rule", target: holder,
                detail: "\(relation.rawValue)=\(capabilities.map { $0.names.joined(separator: ",") } ?? "default")")
        }
        // In memory only once the rule is on disk.
        try policy.setRule(of: holder, for: relation, to: capabilities)
    }

    static func accessRules(in catalogue: Database) throws(StoreError) -> [String: [CaseRelation: AccessPolicy.Capabilities]] {
        let rows = try catalogue.read { connection throws(StoreError) in
            try connection.query("SELECT authority, relation, capabilities FROM access_rules") { ($0.text(0), $0.text(1), $0.int(2)) }
        }
        var rules: [String: [CaseRelation: AccessPolicy.Capabilities]] = [:]
        for (authority, relation, capabilities) in rows {
            guard let relation = CaseRelation(rawValue: relation) else { continue }
            // Stored rules were checked on the way in; masking again keeps a hand-edited row from widening.
            rules[authority, default: [:]][relation] =
                AccessPolicy.Capabilities(rawValue: capabilities).intersection(AccessPolicy.defaults[relation] ?? [])
        }
        return rules
    }
}
