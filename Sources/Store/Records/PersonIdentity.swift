/// Who a person is, as the record states it. Names and readings are kept exactly as
/// entered (trimmed); search keys are derived from them by the Indexer.
package struct PersonIdentity: Codable, Hashable, Sendable {
    package var familyName: String?
    package var givenName: String?
    /// The reading (ふりがな) of the family name, in kana as entered (katakana, hiragana or half-width).
    package var familyNameKana: String?
    package var givenNameKana: String?
    /// The Latin spelling, e.g. for foreign nationals as on the residence record.
    package var romaji: String?
    package var birthdate: PartialDate?
    package var sex: Sex?
    /// ISO 3166-1 alpha-2, e.g. "JP", "VN".
    package var nationality: String?

    package init(
        familyName: String? = nil, givenName: String? = nil, familyNameKana: String? = nil,
        givenNameKana: String? = nil, romaji: String? = nil, birthdate: PartialDate? = nil, sex: Sex? = nil,
        nationality: String? = nil
    ) {
        self.familyName = familyName
        self.givenName = givenName
        self.familyNameKana = familyNameKana
        self.givenNameKana = givenNameKana
        self.romaji = romaji
        self.birthdate = birthdate
        self.sex = sex
        self.nationality = nationality
    }

    enum CodingKeys: String, CodingKey {
        case familyName = "family_name", givenName = "given_name"
        case familyNameKana = "family_name_kana", givenNameKana = "given_name_kana"
        case romaji, birthdate, sex, nationality
    }

    /// The name for display: family and given name with a space, whichever are known.
    package var displayName: String {
        [familyName, givenName].compactMap { $0 }.joined(separator: " ")
    }
}

extension PartialDate: Codable {
    package init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            self = try PartialDate(iso: text)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(iso)
    }

    /// Reads the stored ISO form (`2018`, `2018-04`, `2018-04-01`) only.
    package init(iso text: String) throws(DateError) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard (1...3).contains(parts.count), parts[0].count == 4, parts.dropFirst().allSatisfy({ $0.count == 2 }),
            let year = Int(parts[0])
        else { throw DateError("\"\(text)\" is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)") }
        let month = parts.count > 1 ? Int(parts[1]) : nil
        let day = parts.count > 2 ? Int(parts[2]) : nil
        if parts.count > 1, month == nil { throw DateError("\"\(text)\" has a month that is not a number") }
        if parts.count > 2, day == nil { throw DateError("\"\(text)\" has a day that is not a number") }
        try self.init(year: year, month: month, day: day)
    }
}
