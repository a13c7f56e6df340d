import Foundation
import Store

extension CaseForm {
    /// Reads the submission into the record's types. What no typed value can hold — a date that
    /// cannot be read or does not exist, a choice the form does not offer — gets its Japanese
    /// message here, next to its field; everything else (a missing record number or name, kanji
    /// in a reading, a municipality not in the prefecture, a date in the future…) is for the
    /// Store to judge when it validates the record it is asked to write.
    mutating func read() -> CaseEntry {
        let child = PersonIdentity(
            familyName: text("child.family_name"), givenName: text("child.given_name"),
            familyNameKana: text("child.family_name_kana"), givenNameKana: text("child.given_name_kana"), romaji: text("child.romaji"),
            birthdate: date("child.birthdate"), sex: choice("child.sex"))
        var address: Address?
        if ["address.prefecture", "address.municipality", "address.line"].contains(where: { text($0) != nil }) {
            // The Store resolves the municipality's code from the names (see `CaseEntry.apply`).
            address = Address(prefecture: values["address.prefecture"] ?? "", municipality: text("address.municipality"), line: text("address.line"))
        }
        return CaseEntry(
            externalID: values["external_id"] ?? "", status: choice("status") ?? .open, expectedDelivery: date("expected_delivery"), child: child,
            familySituation: text("family_situation"), address: address,
            guardians: slots(PersonGroup.guardians), household: slots(PersonGroup.household),
            institution: institution(), consultation: consultation())
    }

    /// Each slot of a group, nil for a slot left empty (one with nothing but a relation chosen is
    /// empty too). A relation left unchosen is "other", as the import format has it.
    private mutating func slots<Relation: Vocabulary>(_ group: PersonGroup) -> [RelatedPerson<Relation>?] {
        var people: [RelatedPerson<Relation>?] = []
        for slot in 0..<group.slots {
            let prefix = group.prefix(slot)
            guard Self.personFields.dropFirst().contains(where: { text(prefix + $0) != nil }) else {
                people.append(nil)
                continue
            }
            let relation: Relation? = choice(prefix + "relation")
            let identity = PersonIdentity(
                familyName: text(prefix + "family_name"), givenName: text(prefix + "given_name"),
                familyNameKana: text(prefix + "family_name_kana"), givenNameKana: text(prefix + "given_name_kana"),
                birthdate: date(prefix + "birthdate"))
            people.append((relation ?? Relation(rawValue: "other")).map { RelatedPerson(relation: $0, identity: identity) })
        }
        return people
    }

    /// The first institution, nil when its name and schooling are empty. A kind left unchosen is "other".
    private mutating func institution() -> Institution? {
        guard text("institutions[0].name") != nil || text("institutions[0].schooling") != nil else { return nil }
        let kind: InstitutionKind? = choice("institutions[0].kind")
        return Institution(kind: kind ?? .other, name: text("institutions[0].name"), schooling: choice("institutions[0].schooling"))
    }

    /// The consultation to add, nil when none of its fields was filled in; it is open.
    private mutating func consultation() -> Consultation? {
        let date = date("consultation.date")
        let source: ReportSource? = choice("consultation.source")
        var types: [AbuseType] = []
        for typed in abuseTypes.sorted() {
            if let type = AbuseType(rawValue: typed) {
                types.append(type)
            } else {
                // The checkboxes have no place for a message of their own.
                error("", Self.japanese(FieldIssue("consultation.abuse_types", "\"\(typed)\" is not one of the abuse types"), label: "虐待の種別"))
            }
        }
        guard Self.consultationFields.contains(where: { text("consultation.\($0)") != nil }) || !abuseTypes.isEmpty else { return nil }
        return Consultation(
            date: date, source: source, abuseTypes: types, assessment: text("consultation.assessment"),
            response: text("consultation.response"), status: .open)
    }

    /// A field's text as typed, nil when empty. The Store trims it (and reads an all-space entry as empty).
    private func text(_ field: String) -> String? {
        values[field].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// A date typed in any form the Store accepts (和暦 or western, partial), read by the same
    /// parser the Store's validator uses; nil when empty.
    private mutating func date(_ field: String) -> PartialDate? {
        guard let typed = text(field), !typed.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return nil }
        do {
            return try PartialDate(parsing: typed)
        } catch {
            reject(FieldIssue(field, error.description))
            return nil
        }
    }

    /// The choice of a select (its value, or a spelling the import format accepts); nil when
    /// none was chosen, or when the value is not one the form offers (said next to the field).
    private mutating func choice<Choice: Vocabulary>(_ field: String) -> Choice? {
        guard let typed = text(field)?.trimmingCharacters(in: .whitespacesAndNewlines), !typed.isEmpty else { return nil }
        if let value = Choice(rawValue: typed) ?? Choice.aliases[typed.lowercased()] { return value }
        reject(FieldIssue(field, "\"\(typed)\" is not one of: \(Choice.allCases.map(\.rawValue).joined(separator: ", "))"))
        return nil
    }

    /// A field the form could not read, in Japanese next to it.
    private mutating func reject(_ issue: FieldIssue) {
        error(issue.path, Self.japanese(issue, label: Self.label(issue.path) ?? "入力内容"))
    }
}
