/// Writes a record's stored JSON, byte for byte what `Cases.encode` (Foundation's
/// `JSONEncoder` with `.sortedKeys` and `.withoutEscapingSlashes`) writes, without the
/// `Encodable` machinery: a bulk import encodes every record, and `JSONEncoder` cost about
/// 40 µs of CPU per record (boxing each value, sorting each object's keys), the writer a few.
///
/// The keys of each object are written in the order `.sortedKeys` gives them (they are all
/// lower-case ASCII with underscores, so that order is their bytes' order); optional members
/// that are nil are left out and arrays always written, as the synthesized `Encodable`
/// conformances do. `BodyWriterTests` checks it against `JSONEncoder` on records that use
/// every member and every character class a string may hold.
struct BodyWriter {
    private var bytes: [UInt8] = []

    /// The JSON of `record`, as `Cases.encode(record)` makes it.
    static func json(of record: CaseRecord) -> String {
        var writer = BodyWriter()
        writer.bytes.reserveCapacity(4096)
        writer.write(record)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    private mutating func write(_ record: CaseRecord) {
        var object = ObjectState()
        if let address = record.address {
            key("address", &object)
            write(address)
        }
        string("authority", record.authority, &object)
        key("child", &object)
        write(record.child, relation: nil)
        key("consultations", &object)
        array(record.consultations) { writer, consultation in writer.write(consultation) }
        string("expected_delivery", record.expectedDelivery?.iso, &object)
        string("external_id", record.externalID, &object)
        string("family_situation", record.familySituation, &object)
        key("guardians", &object)
        array(record.guardians) { writer, guardian in writer.write(guardian.identity, relation: guardian.relation.rawValue) }
        key("household", &object)
        array(record.household) { writer, member in writer.write(member.identity, relation: member.relation.rawValue) }
        key("institutions", &object)
        array(record.institutions) { writer, institution in writer.write(institution) }
        string("notes", record.notes, &object)
        string("status", record.status.rawValue, &object)
        close(object)
    }

    /// A person, with the relation of a guardian or household member in the same object
    /// (`RelatedPerson` is stored flat).
    private mutating func write(_ person: PersonIdentity, relation: String?) {
        var object = ObjectState()
        string("birthdate", person.birthdate?.iso, &object)
        string("family_name", person.familyName, &object)
        string("family_name_kana", person.familyNameKana, &object)
        string("given_name", person.givenName, &object)
        string("given_name_kana", person.givenNameKana, &object)
        string("nationality", person.nationality, &object)
        string("relation", relation, &object)
        string("romaji", person.romaji, &object)
        string("sex", person.sex?.rawValue, &object)
        close(object)
    }

    private mutating func write(_ address: Address) {
        var object = ObjectState()
        string("line", address.line, &object)
        string("municipality", address.municipality, &object)
        string("municipality_code", address.municipalityCode, &object)
        string("prefecture", address.prefecture, &object)
        close(object)
    }

    private mutating func write(_ institution: Institution) {
        var object = ObjectState()
        string("kind", institution.kind.rawValue, &object)
        string("name", institution.name, &object)
        string("schooling", institution.schooling?.rawValue, &object)
        close(object)
    }

    private mutating func write(_ consultation: Consultation) {
        var object = ObjectState()
        key("abuse_types", &object)
        array(consultation.abuseTypes) { writer, type in writer.quoted(type.rawValue) }
        string("assessment", consultation.assessment, &object)
        string("date", consultation.date?.iso, &object)
        string("response", consultation.response, &object)
        string("source", consultation.source?.rawValue, &object)
        string("status", consultation.status.rawValue, &object)
        close(object)
    }

    // MARK: Pieces

    /// Whether an object's opening brace and first member are written yet.
    private struct ObjectState {
        var members = 0
    }

    /// Writes `{` or `,` before a member, then its key and the colon.
    private mutating func key(_ name: StaticString, _ object: inout ObjectState) {
        bytes.append(object.members == 0 ? UInt8(ascii: "{") : UInt8(ascii: ","))
        object.members += 1
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
    }

    /// A string member, left out if nil.
    private mutating func string(_ name: StaticString, _ value: String?, _ object: inout ObjectState) {
        guard let value else { return }
        key(name, &object)
        quoted(value)
    }

    /// Ends an object (`{}` if it had no member).
    private mutating func close(_ object: ObjectState) {
        if object.members == 0 { bytes.append(UInt8(ascii: "{")) }
        bytes.append(UInt8(ascii: "}"))
    }

    private mutating func array<Element>(_ elements: [Element], _ write: (inout BodyWriter, Element) -> Void) {
        bytes.append(UInt8(ascii: "["))
        for (offset, element) in elements.enumerated() {
            if offset > 0 { bytes.append(UInt8(ascii: ",")) }
            write(&self, element)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    private mutating func quoted(_ value: String) {
        JSONString.append(value, to: &bytes)
    }
}
