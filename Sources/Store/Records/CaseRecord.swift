/// A child record (児童記録票) in the national common format: one child, its household,
/// and every consultation about it over time. Its JSON form is the import format.
package struct CaseRecord: Codable, Hashable, Sendable {
    /// The holder's own reference for the case, unique per holder.
    package var externalID: String
    /// The code of the holding authority (municipality `131016` or CGC `130001-01`).
    package var authority: String
    package var status: CaseStatus
    package var child: PersonIdentity
    package var guardians: [Guardian]
    package var household: [HouseholdMember]
    package var address: Address?
    package var institutions: [Institution]
    package var familySituation: String?
    package var consultations: [Consultation]
    package var notes: String?
    /// 出産予定日, for a case of an expectant mother (特定妊婦) whose child is not yet born: the
    /// child then carries only the mother's family name until the birth is recorded.
    package var expectedDelivery: PartialDate?

    /// An expectant mother's case whose child's birth is not yet recorded.
    package var isBeforeBirth: Bool { expectedDelivery != nil && child.birthdate == nil && child.givenName == nil && child.givenNameKana == nil }

    package init(
        externalID: String, authority: String, status: CaseStatus = .open, child: PersonIdentity,
        guardians: [Guardian] = [], household: [HouseholdMember] = [], address: Address? = nil,
        institutions: [Institution] = [], familySituation: String? = nil, consultations: [Consultation] = [],
        notes: String? = nil, expectedDelivery: PartialDate? = nil
    ) {
        self.externalID = externalID
        self.authority = authority
        self.status = status
        self.child = child
        self.guardians = guardians
        self.household = household
        self.address = address
        self.institutions = institutions
        self.familySituation = familySituation
        self.consultations = consultations
        self.notes = notes
        self.expectedDelivery = expectedDelivery
    }

    enum CodingKeys: String, CodingKey {
        case externalID = "external_id", authority, status, child, guardians, household, address, institutions
        case familySituation = "family_situation", consultations, notes, expectedDelivery = "expected_delivery"
    }

    /// Everyone in the record whom a search may find: the child first, then guardians.
    package var persons: [(role: PersonRole, identity: PersonIdentity)] {
        [(.child, child)] + guardians.map { (.guardian, $0.identity) } + household.map { (.household, $0.identity) }
    }
}

package enum PersonRole: String, Codable, Sendable, Hashable {
    case child, guardian, household
}

/// A person related to the child: a guardian or a household member, with the relation.
package struct RelatedPerson<Relation: Vocabulary>: Codable, Hashable, Sendable {
    package var relation: Relation
    package var identity: PersonIdentity

    package init(relation: Relation, identity: PersonIdentity) {
        self.relation = relation
        self.identity = identity
    }

    enum CodingKeys: String, CodingKey { case relation }

    // Stored flat, as in the import format: {"relation": "mother", "family_name": ...}.
    package init(from decoder: any Decoder) throws {
        relation = try decoder.container(keyedBy: CodingKeys.self).decode(Relation.self, forKey: .relation)
        identity = try PersonIdentity(from: decoder)
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(relation, forKey: .relation)
        try identity.encode(to: encoder)
    }
}

package typealias Guardian = RelatedPerson<GuardianRelation>
package typealias HouseholdMember = RelatedPerson<HouseholdRelation>

package struct Address: Codable, Hashable, Sendable {
    package var prefecture: String
    package var municipality: String?
    /// Resolved from the directory on import, so notifications can find the partner authority.
    package var municipalityCode: String?
    package var line: String?

    package init(prefecture: String, municipality: String? = nil, municipalityCode: String? = nil, line: String? = nil) {
        self.prefecture = prefecture
        self.municipality = municipality
        self.municipalityCode = municipalityCode
        self.line = line
    }

    enum CodingKeys: String, CodingKey {
        case prefecture, municipality, municipalityCode = "municipality_code", line
    }
}

package struct Institution: Codable, Hashable, Sendable {
    package var kind: InstitutionKind
    package var name: String?
    package var schooling: Schooling?

    package init(kind: InstitutionKind, name: String? = nil, schooling: Schooling? = nil) {
        self.kind = kind
        self.name = name
        self.schooling = schooling
    }
}

/// One consultation or report (相談・通告) about the child and what was done.
package struct Consultation: Codable, Hashable, Sendable {
    package var date: PartialDate?
    package var source: ReportSource?
    package var abuseTypes: [AbuseType]
    package var assessment: String?
    package var response: String?
    package var status: CaseStatus

    package init(
        date: PartialDate? = nil, source: ReportSource? = nil, abuseTypes: [AbuseType] = [], assessment: String? = nil,
        response: String? = nil, status: CaseStatus = .open
    ) {
        self.date = date
        self.source = source
        self.abuseTypes = abuseTypes
        self.assessment = assessment
        self.response = response
        self.status = status
    }

    enum CodingKeys: String, CodingKey {
        case date, source, abuseTypes = "abuse_types", assessment, response, status
    }
}
