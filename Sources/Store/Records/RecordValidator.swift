package import Foundation

/// Turns one record in the import format into a validated `CaseRecord`, or every reason
/// it is impossible: an unknown authority, a date that does not exist or lies in the future,
/// kanji in a reading, a value outside a vocabulary. Untidy but possible data (half-width
/// or hiragana readings, variant kanji, partial dates, 和暦) is accepted as entered.
package struct RecordValidator: Sendable {
    package let directory: AuthorityDirectory
    /// Today in Japan: no birthdate or consultation may lie after it.
    package let today: PartialDate

    package static let maxTextLength = 10_000
    package static let maxNameLength = 100

    package init(directory: AuthorityDirectory, today: PartialDate = RecordValidator.todayInJapan()) {
        self.directory = directory
        self.today = today
    }

    /// The Gregorian calendar in Japan's time (JST, UTC+9, no daylight saving).
    package static let japan: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 9 * 3600)!
        return calendar
    }()

    /// Today's date in Japan.
    package static func todayInJapan(now: Date = Date()) -> PartialDate {
        let parts = japan.dateComponents([.year, .month, .day], from: now)
        return try! PartialDate(year: parts.year!, month: parts.month!, day: parts.day!)
    }

    /// Parses and validates one JSON text.
    package func validate(json bytes: some Collection<UInt8>) -> Result<CaseRecord, RecordInvalid> {
        do {
            return validate(try JSONParser.parse(bytes))
        } catch {
            return .failure(RecordInvalid(issues: [FieldIssue("", "malformed JSON: \(error)")]))
        }
    }

    package func validate(_ value: JSONValue) -> Result<CaseRecord, RecordInvalid> {
        var reader = Reader()
        let record = reader.record(value, validator: self)
        if let record, reader.issues.isEmpty { return .success(record) }
        return .failure(RecordInvalid(issues: reader.issues))
    }
}

/// Walks a JSON value, collecting issues with their field paths.
private struct Reader {
    var issues: [FieldIssue] = []

    mutating func issue(_ path: String, _ message: String) { issues.append(FieldIssue(path, message)) }

    mutating func record(_ value: JSONValue, validator: RecordValidator) -> CaseRecord? {
        guard case .object(let object) = value else {
            issue("", "a record must be a JSON object, found \(value.typeName)")
            return nil
        }
        let externalID = text(object, "external_id", at: "", required: true, limit: 64)
        let authorityCode = text(object, "authority", at: "", required: true, limit: 16)
        if let authorityCode {
            if let authority = validator.directory[authorityCode] {
                if !authority.holdsCases {
                    issue(
                        "authority",
                        "\(authorityCode) (\(authority.name)) is a \(authority.kind.rawValue), which does not hold cases; use a municipality or a child guidance centre"
                    )
                }
            } else {
                issue("authority", validator.directory.unknownCodeMessage(authorityCode))
            }
        }
        let status = vocabulary(object, "status", at: "", CaseStatus.self) ?? .open
        let expectedDelivery = expectedDeliveryDate(object, today: validator.today)
        var child: PersonIdentity?
        if let childValue = object["child"], childValue != .null {
            child = identity(childValue, at: "child", today: validator.today)
        } else if expectedDelivery == nil {
            issue("child", "is required (for an expectant mother, 特定妊婦, give expected_delivery and the mother among guardians instead)")
        }
        let guardians = list(object, "guardians", at: "") { reader, value, path in
            reader.related(value, at: path, today: validator.today, GuardianRelation.self).map {
                Guardian(relation: $0.0, identity: $0.1)
            }
        }
        let household = list(object, "household", at: "") { reader, value, path in
            reader.related(value, at: path, today: validator.today, HouseholdRelation.self).map {
                HouseholdMember(relation: $0.0, identity: $0.1)
            }
        }
        let address = object["address"].flatMap { $0 == .null ? nil : self.address($0, directory: validator.directory) }
        let institutions = list(object, "institutions", at: "") { reader, value, path in
            reader.institution(value, at: path)
        }
        let consultations = list(object, "consultations", at: "") { reader, value, path in
            reader.consultation(value, at: path, today: validator.today)
        }
        // An expectant mother's case (特定妊婦): the child, not yet born, carries the mother's family
        // name until the holder records the birth (its given name and birthdate).
        if child == nil, expectedDelivery != nil {
            if let mother = guardians.first(where: { $0.relation == .mother })?.identity {
                child = PersonIdentity(familyName: mother.familyName, familyNameKana: mother.familyNameKana)
            } else {
                issue("guardians", "a record of an expectant mother (expected_delivery) names her among guardians with relation mother")
            }
        }
        let familySituation = text(object, "family_situation", at: "", limit: RecordValidator.maxTextLength)
        let notes = text(object, "notes", at: "", limit: RecordValidator.maxTextLength)
        guard let externalID, let authorityCode, let child else { return nil }
        return CaseRecord(
            externalID: externalID, authority: authorityCode, status: status, child: child, guardians: guardians,
            household: household, address: address, institutions: institutions, familySituation: familySituation,
            consultations: consultations, notes: notes, expectedDelivery: expectedDelivery)
    }

    // MARK: People

    mutating func identity(_ value: JSONValue, at path: String, today: PartialDate) -> PersonIdentity? {
        guard case .object(let object) = value else {
            issue(path, "must be an object, found \(value.typeName)")
            return nil
        }
        var person = PersonIdentity()
        person.familyName = name(object, "family_name", at: path)
        person.givenName = name(object, "given_name", at: path)
        person.familyNameKana = kana(object, "family_name_kana", at: path)
        person.givenNameKana = kana(object, "given_name_kana", at: path)
        // A whole name in one field ("山田 太郎", "山田　太郎") is split at its first space.
        if person.givenName == nil, let whole = person.familyName ?? name(object, "name", at: path) {
            (person.familyName, person.givenName) = Self.split(whole)
        }
        if person.givenNameKana == nil, let whole = person.familyNameKana ?? kana(object, "name_kana", at: path) {
            (person.familyNameKana, person.givenNameKana) = Self.split(whole)
        }
        person.romaji = romaji(object, "romaji", at: path)
        person.birthdate = date(object, "birthdate", at: path, today: today)
        person.sex = vocabulary(object, "sex", at: path, Sex.self)
        if let nationality = text(object, "nationality", at: path, limit: 40) {
            let code = nationality.uppercased()
            if code.count == 2, code.unicodeScalars.allSatisfy({ ("A"..."Z").contains($0) }) {
                person.nationality = code
            } else {
                issue("\(path).nationality", "\"\(nationality)\" is not an ISO 3166-1 alpha-2 code (e.g. JP, VN)")
            }
        }
        if [person.familyName, person.givenName, person.familyNameKana, person.givenNameKana, person.romaji]
            .allSatisfy({ $0 == nil })
        {
            issue(path, "needs a name, a reading or a romaji spelling")
        }
        return person
    }

    mutating func related<R: Vocabulary>(
        _ value: JSONValue, at path: String, today: PartialDate, _ type: R.Type
    ) -> (R, PersonIdentity)? {
        guard case .object(let object) = value else {
            issue(path, "must be an object, found \(value.typeName)")
            return nil
        }
        let relation = vocabulary(object, "relation", at: path, R.self) ?? (R.allCases.first { $0.rawValue == "other" })
        guard let identity = identity(value, at: path, today: today), let relation else { return nil }
        return (relation, identity)
    }

    static func split(_ whole: String) -> (String?, String?) {
        let scalars = whole.unicodeScalars
        guard let space = scalars.firstIndex(where: \.isSpace) else { return (whole, nil) }
        let family = String(scalars[..<space]).trimmingSpaces()
        let given = String(scalars[space...]).trimmingSpaces()
        return (family.isEmpty ? nil : family, given.isEmpty ? nil : given)
    }

    // MARK: Address, institutions, consultations

    mutating func address(_ value: JSONValue, directory: AuthorityDirectory) -> Address? {
        guard case .object(let object) = value else {
            issue("address", "must be an object, found \(value.typeName)")
            return nil
        }
        guard let prefectureName = text(object, "prefecture", at: "address", required: true, limit: 10) else { return nil }
        guard let prefecture = directory.prefecture(named: prefectureName) else {
            issue("address.prefecture", "\"\(prefectureName)\" is not a prefecture (write it as 東京都, 大阪府, 北海道, 青森県, ...)")
            return nil
        }
        var address = Address(prefecture: prefecture.name)
        address.line = text(object, "line", at: "address", limit: 500)
        let municipalityName = text(object, "municipality", at: "address", limit: 50)
        address.municipality = municipalityName
        if let code = text(object, "municipality_code", at: "address", limit: 6) {
            guard let municipality = directory[code], municipality.kind == .municipality else {
                issue("address.municipality_code", directory.unknownCodeMessage(code))
                return nil
            }
            guard municipality.prefectureCode == prefecture.prefectureCode else {
                issue("address.municipality_code", "\(code) is \(municipality.name), which is not in \(prefecture.name)")
                return nil
            }
            address.municipalityCode = code
            address.municipality = municipalityName ?? municipality.name
        } else if let municipalityName {
            guard let municipality = directory.municipality(named: municipalityName, in: prefecture) else {
                issue("address.municipality", "there is no municipality \"\(municipalityName)\" in \(prefecture.name)")
                return nil
            }
            address.municipalityCode = municipality.code
        }
        return address
    }

    mutating func institution(_ value: JSONValue, at path: String) -> Institution? {
        guard case .object(let object) = value else {
            issue(path, "must be an object, found \(value.typeName)")
            return nil
        }
        let kind = vocabulary(object, "kind", at: path, InstitutionKind.self) ?? .other
        return Institution(
            kind: kind, name: text(object, "name", at: path, limit: 200),
            schooling: vocabulary(object, "schooling", at: path, Schooling.self))
    }

    mutating func consultation(_ value: JSONValue, at path: String, today: PartialDate) -> Consultation? {
        guard case .object(let object) = value else {
            issue(path, "must be an object, found \(value.typeName)")
            return nil
        }
        var consultation = Consultation()
        consultation.date = date(object, "date", at: path, today: today)
        consultation.source = vocabulary(object, "source", at: path, ReportSource.self)
        consultation.abuseTypes = list(object, "abuse_types", at: path) { reader, value, itemPath in
            guard case .string(let text) = value else {
                reader.issue(itemPath, "must be a string, found \(value.typeName)")
                return nil
            }
            return AbuseType.parse(text, at: itemPath, into: &reader.issues)
        }
        consultation.assessment = text(object, "assessment", at: path, limit: RecordValidator.maxTextLength)
        consultation.response = text(object, "response", at: path, limit: RecordValidator.maxTextLength)
        consultation.status = vocabulary(object, "status", at: path, CaseStatus.self) ?? .open
        return consultation
    }

    // MARK: Fields

    /// A text field: a string (or a number, as spreadsheets export codes); empty means absent.
    mutating func text(
        _ object: [String: JSONValue], _ key: String, at parent: String, required: Bool = false, limit: Int
    ) -> String? {
        // The path is made only for an issue: most fields have none.
        var path: String { parent.isEmpty ? key : "\(parent).\(key)" }
        let raw: String
        switch object[key] {
        case nil, .null:
            if required { issue(path, "is required") }
            return nil
        case .string(let string): raw = string
        case .number(let number) where number == number.rounded() && abs(number) < 1e15: raw = String(Int64(number))
        case let other?:
            issue(path, "must be a string, found \(other.typeName)")
            return nil
        }
        let trimmed = raw.trimmingSpaces()
        if trimmed.isEmpty {
            if required { issue(path, "must not be empty") }
            return nil
        }
        // A string has at most as many characters as UTF-8 bytes: count them only when it may be too long.
        if trimmed.utf8.count > limit, trimmed.count > limit {
            issue(path, "is \(trimmed.count) characters long; the limit is \(limit)")
            return nil
        }
        if Self.mayHoldControl(trimmed),
            let control = trimmed.unicodeScalars.first(where: { ($0.value < 0x20 && $0 != "\n" && $0 != "\t") || (0x7F...0x9F).contains($0.value) })
        {
            issue(path, "contains a control character (U+\(String(control.value, radix: 16, uppercase: true)))")
            return nil
        }
        return trimmed
    }

    /// Whether `text` may hold a control character that `text(_:_:at:required:limit:)` refuses
    /// (U+0000–U+001F but tab and line feed, U+007F–U+009F), judged from its UTF-8 bytes: such
    /// a scalar is one byte below 0x20 or 0x7F, or 0xC2 followed by 0x80–0x9F. False means none.
    static func mayHoldControl(_ text: String) -> Bool {
        var previous: UInt8 = 0
        for byte in text.utf8 {
            if (byte < 0x20 && byte != 0x0A && byte != 0x09) || byte == 0x7F || (previous == 0xC2 && byte >= 0x80 && byte <= 0x9F) {
                return true
            }
            previous = byte
        }
        return false
    }

    mutating func name(_ object: [String: JSONValue], _ key: String, at parent: String) -> String? {
        guard let name = text(object, key, at: parent, limit: RecordValidator.maxNameLength) else { return nil }
        if name.unicodeScalars.contains(where: { $0 == "\n" || $0 == "\t" }) {
            issue("\(parent).\(key)", "a name must be on one line")
            return nil
        }
        return name
    }

    mutating func kana(_ object: [String: JSONValue], _ key: String, at parent: String) -> String? {
        guard let reading = name(object, key, at: parent) else { return nil }
        if let bad = reading.unicodeScalars.first(where: { !KanaText.isReadingScalar($0) }) {
            let what = KanaText.isKanji(bad) ? "kanji" : (bad.properties.isAlphabetic && bad.isASCII ? "Latin letters" : "a character")
            let advice = what == "Latin letters" ? "put the Latin spelling in romaji" : "a reading must be written in kana"
            issue("\(parent).\(key)", "\"\(reading)\" contains \(what) (\(bad)); \(advice)")
            return nil
        }
        return reading
    }

    mutating func romaji(_ object: [String: JSONValue], _ key: String, at parent: String) -> String? {
        guard let text = name(object, key, at: parent) else { return nil }
        let folded = text.precomposedStringWithCompatibilityMapping
        if let bad = folded.unicodeScalars.first(where: { !($0.properties.isAlphabetic && $0.value < 0x250) && !" -'.,".unicodeScalars.contains($0) })
        {
            issue("\(parent).\(key)", "\"\(text)\" contains \(bad), which is not a Latin letter")
            return nil
        }
        return text
    }

    mutating func date(_ object: [String: JSONValue], _ key: String, at parent: String, today: PartialDate) -> PartialDate? {
        let path = "\(parent).\(key)"
        guard let text = text(object, key, at: parent, limit: 40) else { return nil }
        do {
            let date = try PartialDate(parsing: text)
            let earliest = date.earliest
            if (earliest.year, earliest.month, earliest.day) > (today.year, today.month ?? 1, today.day ?? 1) {
                issue(path, "\"\(text)\" lies in the future (today is \(today.iso))")
                return nil
            }
            return date
        } catch {
            issue(path, error.description)
            return nil
        }
    }

    /// 出産予定日 of an expectant mother's case: a year and month or a whole date, from two years
    /// back (a birth not yet recorded) to a year ahead.
    mutating func expectedDeliveryDate(_ object: [String: JSONValue], today: PartialDate) -> PartialDate? {
        guard let text = text(object, "expected_delivery", at: "", limit: 40) else { return nil }
        do {
            let date = try PartialDate(parsing: text)
            guard date.month != nil, (today.year - 2...today.year + 1).contains(date.year) else {
                issue("expected_delivery", "\"\(text)\" is not a month or day from \(today.year - 2) to \(today.year + 1)")
                return nil
            }
            return date
        } catch {
            issue("expected_delivery", error.description)
            return nil
        }
    }

    mutating func vocabulary<V: Vocabulary>(_ object: [String: JSONValue], _ key: String, at parent: String, _ type: V.Type) -> V? {
        guard let text = text(object, key, at: parent, limit: 40) else { return nil }
        return V.parse(text, at: parent.isEmpty ? key : "\(parent).\(key)", into: &issues)
    }

    mutating func list<T>(
        _ object: [String: JSONValue], _ key: String, at parent: String,
        _ element: (inout Reader, JSONValue, String) -> T?
    ) -> [T] {
        let path = parent.isEmpty ? key : "\(parent).\(key)"
        switch object[key] {
        case nil, .null: return []
        case .array(let values):
            if values.count > 100 {
                issue(path, "has \(values.count) entries; the limit is 100")
                return []
            }
            return values.enumerated().compactMap { element(&self, $0.element, "\(path)[\($0.offset)]") }
        case let other?:
            issue(path, "must be an array, found \(other.typeName)")
            return []
        }
    }
}
