import Store

/// What a submission of the case form says, in the record's types: the fields the form shows,
/// and the people of each group slot by slot, as the form holds them. `apply(to:)` writes it
/// into a record, new or as stored, keeping everything the form does not show.
struct CaseEntry {
    var externalID: String
    var status: CaseStatus
    /// An expectant mother's case (特定妊婦): the expected delivery.
    var expectedDelivery: PartialDate?
    var child: PersonIdentity
    var familySituation: String?
    /// Nil when the address fields are empty (the record then has no address).
    var address: Address?
    /// One per slot of the form, nil for a slot left empty.
    var guardians: [Guardian?]
    var household: [HouseholdMember?]
    /// The first institution; nil when the form's is empty.
    var institution: Institution?
    /// The consultation to add; nil when none was entered.
    var consultation: Consultation?

    /// Writes the entry into `record`: the fields the form shows are replaced (an emptied field
    /// is removed); the form's guardian and household slots and its institution are merged into
    /// the stored ones in their positions (see `merge`); the consultation is added after the
    /// stored ones; the child's nationality, the notes and the holder stay as they are.
    /// - Returns: where the record's people, institution and consultation are on the form, so
    ///   that the Store's issues find their fields.
    func apply(to record: inout CaseRecord) -> FormPlacement {
        var placement = FormPlacement()
        record.externalID = externalID
        record.status = status
        record.expectedDelivery = expectedDelivery
        var child = child
        child.nationality = record.child.nationality
        record.child = child
        record.familySituation = familySituation
        if var address {
            // The municipality's code is derived from the address: kept while the prefecture and
            // municipality are as stored, left for the Store to resolve afresh when either changed.
            if let stored = record.address, stored.prefecture == address.prefecture, stored.municipality == address.municipality {
                address.municipalityCode = stored.municipalityCode
            }
            record.address = address
        } else {
            record.address = nil
        }
        (record.guardians, placement.slots[CaseForm.PersonGroup.guardians.key]) = Self.merge(guardians, into: record.guardians)
        // Before the birth (特定妊婦, the child's fields left empty) the child carries the mother's
        // family name, as the import format's record without a child does.
        if expectedDelivery != nil, child == PersonIdentity(), let mother = record.guardians.first(where: { $0.relation == .mother }) {
            record.child = PersonIdentity(familyName: mother.identity.familyName, familyNameKana: mother.identity.familyNameKana)
        }
        (record.household, placement.slots[CaseForm.PersonGroup.household.key]) = Self.merge(household, into: record.household)
        // The form holds the first institution (an emptied one is removed); further ones stay.
        record.institutions = (institution.map { [$0] } ?? []) + record.institutions.dropFirst()
        placement.institutionShown = institution != nil
        if let consultation {
            placement.consultationIndex = record.consultations.count
            record.consultations.append(consultation)
        }
        return placement
    }

    /// The form's slots over the stored people: a filled slot replaces what the form shows of
    /// the person stored in its position (relation, names, readings, birthdate; the sex, romaji
    /// and nationality stay); an emptied slot removes its person; people beyond the slots are
    /// kept as they are.
    /// - Returns: the people, and the slot each one written from the form came from.
    private static func merge<Relation>(
        _ slots: [RelatedPerson<Relation>?], into stored: [RelatedPerson<Relation>]
    ) -> (people: [RelatedPerson<Relation>], slots: [Int]) {
        var people: [RelatedPerson<Relation>] = []
        var placed: [Int] = []
        for (slot, entered) in slots.enumerated() {
            guard let entered else { continue }
            var person = slot < stored.count ? stored[slot] : entered
            person.relation = entered.relation
            person.identity.familyName = entered.identity.familyName
            person.identity.givenName = entered.identity.givenName
            person.identity.familyNameKana = entered.identity.familyNameKana
            person.identity.givenNameKana = entered.identity.givenNameKana
            person.identity.birthdate = entered.identity.birthdate
            people.append(person)
            placed.append(slot)
        }
        return (people + stored.dropFirst(slots.count), placed)
    }
}
