/// One synthetic case record: the truth the generator chose, rendered on demand as one line
/// of the JSON Lines import format (`jsonLine`).
package struct DemoCase: Sendable, Hashable {
    package enum Status: String, Sendable, Hashable {
        case open, closed
    }

    /// The holder's own identifier for the case: `{authority}-{year}-{seq:05}`, unique per authority.
    package var externalID: String
    /// The holder: a CGC code (`130001-01`) or a municipality code (`131016`).
    package var authority: String
    /// True when the holder is a child guidance centre rather than a municipality.
    package var heldByCentre: Bool
    package var status: Status
    package var child: DemoPerson
    package var guardians: [DemoPerson]
    package var household: [DemoPerson]
    package var address: DemoAddress
    package var institutions: [DemoInstitution]
    package var familySituation: String
    /// Sorted by date, oldest first.
    package var consultations: [DemoConsultation]
    /// Free text; nil when the record has none (the key is omitted).
    package var notes: String?

    /// Every person of the case: the child, then the guardians, then the household.
    package var people: [DemoPerson] { [child] + guardians + household }
}

/// Where the child lives: always inside the holder's jurisdiction.
package struct DemoAddress: Sendable, Hashable {
    /// `東京都`.
    package var prefecture: String
    /// `千代田区`.
    package var municipality: String
    /// `131016`.
    package var municipalityCode: String
    /// `千代田1-2-3`.
    package var line: String
}

/// A nursery, school or other institution the child attends (or should).
package struct DemoInstitution: Sendable, Hashable {
    package enum Kind: String, Sendable, Hashable {
        case nursery, kindergarten
        case elementarySchool = "elementary_school"
        case juniorHighSchool = "junior_high_school"
        case highSchool = "high_school"
        case other
    }

    package enum Schooling: String, Sendable, Hashable {
        case attending, irregular
        case notAttending = "not_attending"
        case notApplicable = "not_applicable"
    }

    package var kind: Kind
    package var name: String
    package var schooling: Schooling
}

/// One consultation or report (相談・通告) on the case.
package struct DemoConsultation: Sendable, Hashable {
    package enum Source: String, Sendable, Hashable, CaseIterable {
        case police, school, nursery, neighbour, family, relative, medical, welfare, child, anonymous, other
    }

    package enum AbuseType: String, Sendable, Hashable, CaseIterable {
        case physical, neglect, psychological, sexual
    }

    package var date: DemoDate
    package var source: Source
    /// Never empty; in the fixed order physical, neglect, psychological, sexual.
    package var abuseTypes: [AbuseType]
    package var assessment: String
    package var response: String
    package var status: DemoCase.Status
}
