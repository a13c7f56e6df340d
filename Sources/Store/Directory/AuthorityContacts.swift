import Foundation

/// Whom another authority calls about a case: the department, the daytime telephone and the
/// night and holiday telephone (「夜間・休日連絡先」). Shown on every search hit and summary, so
/// that an intake worker at 2 a.m. who finds a record also finds whom to call.
///
/// Set by the authority's administrators (`Settings.update`, `PUT /api/v1/settings` member
/// `contacts`), or loaded from the CGC list's `department`, `daytime` and `night_holiday`
/// columns where the list knows them; an administrator's entry is never overwritten by a list.
package struct AuthorityContacts: Sendable, Hashable, Encodable {
    package var department: String?
    package var daytime: String?
    package var nightHoliday: String?

    package init(department: String? = nil, daytime: String? = nil, nightHoliday: String? = nil) {
        self.department = department
        self.daytime = daytime
        self.nightHoliday = nightHoliday
    }

    /// The members as the API names them, in order.
    package static var members: [(name: String, keyPath: WritableKeyPath<AuthorityContacts, String?>)] {
        [("department", \.department), ("daytime", \.daytime), ("night_holiday", \.nightHoliday)]
    }

    /// The longest entry, in characters: a department's name or a telephone number with an
    /// extension and a short remark (「内線1234（当直）」).
    package static let maximumLength = 60

    package var isEmpty: Bool { department == nil && daytime == nil && nightHoliday == nil }

    enum CodingKeys: String, CodingKey {
        case department, daytime, nightHoliday = "night_holiday"
    }

    /// Every member, null when unknown: the shape is the same for every authority.
    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(department, forKey: .department)
        try container.encode(daytime, forKey: .daytime)
        try container.encode(nightHoliday, forKey: .nightHoliday)
    }

    /// The entries trimmed (an empty one is unknown) and checked, with a precise message in
    /// Japanese (API and page alike): bounded, printable, and a telephone number where one is due.
    package func checked() throws(StoreError) -> AuthorityContacts {
        var result = AuthorityContacts()
        for (name, keyPath) in Self.members {
            guard let raw = self[keyPath: keyPath] else { continue }
            let text = raw.trimmingCharacters(in: .whitespaces)
            guard !text.isEmpty else { continue }
            guard text.count <= Self.maximumLength, text.utf8.count <= Self.maximumLength * 4 else {
                throw StoreError(.invalidInput, "contacts.\(name): \(Self.maximumLength)文字以内で入力してください。")
            }
            // Control and format characters (line breaks, bidi overrides) would let an entry
            // disguise itself on other authorities' pages.
            guard !text.unicodeScalars.contains(where: { [.control, .format].contains($0.properties.generalCategory) }) else {
                throw StoreError(.invalidInput, "contacts.\(name): 改行や制御文字は使えません。")
            }
            if keyPath != \.department, !text.unicodeScalars.contains(where: { $0.properties.numericType == .decimal }) {
                throw StoreError(.invalidInput, "contacts.\(name): 電話番号を入力してください（例: 03-1234-5678）。")
            }
            result[keyPath: keyPath] = text
        }
        return result
    }
}
