import Synchronization

/// How a reader's authority stands to a case (REQUIREMENTS.md, "Access rules").
package enum CaseRelation: String, Sendable, Hashable, CaseIterable, Codable {
    /// Registered the case, or received it by a case transfer.
    case holder
    /// CGC ↔ municipality of the child's address in the CGC's jurisdiction.
    case partner
    /// Received an information provision that has not expired.
    case granted
    /// The destination of a case transfer sent to it and awaiting its confirmation: it reads
    /// what it is asked to accept.
    case destination
    /// A CGC, while a missing-child alert on the child is open.
    case alertRecipient = "alert"
    /// Ministry staff, for a case flagged serious.
    case ministry
    /// Any other authority.
    case other
    /// A system operator: runs the service, sees no case data.
    case systemOperator = "operator"
}

/// What the policy needs to know about one case. The Store builds it from the case row,
/// the directory and (with the workflows issue) grants, alerts and serious-case flags.
package struct CaseAccessFacts: Sendable, Hashable {
    package var holder: String
    /// The authorities in the partner relation (see `AccessPolicy.partners`).
    package var partners: Set<String>
    /// Authorities holding a live information-provision grant.
    package var grantees: Set<String>
    /// Authorities a case transfer has been sent to and awaits their confirmation.
    package var destinations: Set<String> = []
    package var alertOpen: Bool
    package var flaggedSerious: Bool

    package init(
        holder: String, partners: Set<String> = [], grantees: Set<String> = [], alertOpen: Bool = false,
        flaggedSerious: Bool = false
    ) {
        self.holder = holder
        self.partners = partners
        self.grantees = grantees
        self.alertOpen = alertOpen
        self.flaggedSerious = flaggedSerious
    }
}

/// What an actor may do with a case: the table of REQUIREMENTS.md as data, which each
/// holding authority may tighten (never widen) for its own cases. The Store asks it before
/// every read and write of case data; the search layer asks it for every hit.
package final class AccessPolicy: Sendable {
    package struct Capabilities: OptionSet, Sendable, Hashable {
        package let rawValue: Int
        package init(rawValue: Int) { self.rawValue = rawValue }

        /// The identity summary in search results: name, reading, birthdate, sex, holder, open/closed.
        package static let seeSummary = Capabilities(rawValue: 1 << 0)
        package static let readRecord = Capabilities(rawValue: 1 << 1)
        package static let readAttachments = Capabilities(rawValue: 1 << 2)
        package static let edit = Capabilities(rawValue: 1 << 3)
        package static let addNote = Capabilities(rawValue: 1 << 4)
        package static let transfer = Capabilities(rawValue: 1 << 5)
        /// The missing-child alert's profile and photo (not the record).
        package static let readAlertProfile = Capabilities(rawValue: 1 << 6)
        package static let respondToAlert = Capabilities(rawValue: 1 << 7)

        package static let all: Capabilities = [
            .seeSummary, .readRecord, .readAttachments, .edit, .addNote, .transfer, .readAlertProfile, .respondToAlert,
        ]

        /// The names used in settings, the CLI and the API.
        package static let names: [(String, Capabilities)] = [
            ("summary", .seeSummary), ("record", .readRecord), ("attachments", .readAttachments), ("edit", .edit),
            ("note", .addNote), ("transfer", .transfer), ("alert-profile", .readAlertProfile), ("alert-respond", .respondToAlert),
        ]

        package var names: [String] { Self.names.filter { contains($0.1) }.map(\.0) }
    }

    /// The default table (REQUIREMENTS.md).
    package static let defaults: [CaseRelation: Capabilities] = [
        .holder: .all,
        .partner: [.seeSummary, .readRecord, .readAttachments, .addNote],
        .granted: [.seeSummary, .readRecord, .readAttachments],
        .destination: [.seeSummary, .readRecord, .readAttachments],
        .alertRecipient: [.seeSummary, .readAlertProfile, .respondToAlert],
        .ministry: [.seeSummary, .readRecord, .readAttachments],
        .other: [.seeSummary],
        .systemOperator: [],
    ]

    let directory: AuthorityDirectory
    /// Per holding authority, the tightened capabilities of a relation (a subset of the default).
    private let tightened: Mutex<[String: [CaseRelation: Capabilities]]>

    package init(directory: AuthorityDirectory, tightened: [String: [CaseRelation: Capabilities]] = [:]) {
        self.directory = directory
        self.tightened = Mutex(tightened)
    }

    /// The partner authorities of a case: for a case held by a CGC, the municipality of the
    /// child's address if it lies in that CGC's jurisdiction; for a case held by a
    /// municipality, the CGC whose jurisdiction covers the child's address (or, with no
    /// address, the municipality itself).
    package func partners(holder: String, addressMunicipality: String?) -> Set<String> {
        guard let authority = directory[holder] else { return [] }
        switch authority.kind {
        case .childGuidanceCentre:
            guard let municipality = addressMunicipality,
                directory.childGuidanceCentre(for: municipality)?.code == holder
            else { return [] }
            return [municipality]
        case .municipality:
            return directory.childGuidanceCentre(for: addressMunicipality ?? holder).map { [$0.code] } ?? []
        case .prefecture, .ministry:
            return []
        }
    }

    /// Every relation `actor` has to the case (an authority may be partner and grantee at once).
    package func relations(of actor: Actor, to facts: CaseAccessFacts) -> Set<CaseRelation> {
        guard case .user(_, let authority, let role) = actor else { return [.holder] }
        if role == .systemOperator { return [.systemOperator] }
        if authority == facts.holder { return [.holder] }
        var relations: Set<CaseRelation> = [.other]
        if facts.partners.contains(authority) { relations.insert(.partner) }
        if facts.grantees.contains(authority) { relations.insert(.granted) }
        if facts.destinations.contains(authority) { relations.insert(.destination) }
        if facts.alertOpen, directory[authority]?.kind == .childGuidanceCentre { relations.insert(.alertRecipient) }
        if facts.flaggedSerious, role == .ministry, authority == Authority.ministryCode { relations.insert(.ministry) }
        return relations
    }

    /// The capabilities of `actor` on the case: the union over its relations, each as the
    /// holder has tightened it. The local administrator (the server's own command line) may do everything.
    package func capabilities(of actor: Actor, on facts: CaseAccessFacts) -> Capabilities {
        if case .localAdministrator = actor { return .all }
        let rules = tightened.withLock { $0[facts.holder] } ?? [:]
        return relations(of: actor, to: facts).reduce(into: Capabilities()) { result, relation in
            result.formUnion(rules[relation] ?? Self.defaults[relation] ?? [])
        }
    }

    /// Throws `StoreError.permissionDenied` unless `actor` has `needed` on the case, or
    /// `.notFound` if it may not even know the case exists (so that a denial does not
    /// confirm the id).
    package func check(_ needed: Capabilities, for actor: Actor, on facts: CaseAccessFacts, caseID: String) throws(StoreError) {
        let granted = capabilities(of: actor, on: facts)
        guard granted.isSuperset(of: needed) else {
            guard granted.contains(.seeSummary) else { throw StoreError(.notFound, "no case \(caseID)") }
            let verbs: [String: String] = [
                "summary": "see the summary of", "record": "read", "attachments": "read the attachments of", "edit": "change",
                "note": "add notes to", "transfer": "transfer", "alert-profile": "read the alert profile of", "alert-respond": "answer alerts on",
            ]
            let missing = needed.subtracting(granted).names.map { verbs[$0] ?? $0 }.joined(separator: " or ")
            throw StoreError(.permissionDenied, "\(actor) may not \(missing) case \(caseID) (held by \(facts.holder))")
        }
    }

    /// The rules a holding authority has tightened (relation → capabilities).
    package func tightenedRules(of holder: String) -> [CaseRelation: Capabilities] {
        tightened.withLock { $0[holder] } ?? [:]
    }

    /// Sets (or, with nil, clears) a holder's rule for a relation; refuses to widen the default
    /// or to tighten the holder's own rights.
    func setRule(of holder: String, for relation: CaseRelation, to capabilities: Capabilities?) throws(StoreError) {
        try checkRule(for: relation, capabilities)
        tightened.withLock { $0[holder, default: [:]][relation] = capabilities }
    }

    /// Refuses a rule that would widen the default or tighten the holder's own rights.
    package func checkRule(for relation: CaseRelation, _ capabilities: Capabilities?) throws(StoreError) {
        guard relation != .holder else { throw StoreError(.invalidInput, "the holder's own rights cannot be tightened") }
        let allowed = Self.defaults[relation] ?? []
        if let capabilities, !allowed.isSuperset(of: capabilities) {
            throw StoreError(
                .invalidInput,
                "the rules can only be tightened: \(relation.rawValue) may have at most \(allowed.names.joined(separator: ", ")), not \(capabilities.subtracting(allowed).names.joined(separator: ", "))"
            )
        }
    }
}
