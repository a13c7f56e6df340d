/// An authority that uses the system: a prefecture, a municipality, a child guidance
/// centre (児童相談所) or the ministry.
package struct Authority: Hashable, Sendable {
    package enum Kind: String, Sendable, Hashable, Codable {
        case prefecture, municipality, childGuidanceCentre = "cgc", ministry
    }

    /// A 6-digit 全国地方公共団体コード for prefectures and municipalities; for a CGC its
    /// operator's code and a number (`130001-01`); `000000` for the ministry.
    package let code: String
    package let kind: Kind
    package let name: String
    package let prefectureCode: String
    package let contact: String?
    /// Whom other authorities call, as a CGC list gives it (the Store's `contacts(of:)` is
    /// what users see: an administrator's entry wins over the list).
    package let listedContacts: AuthorityContacts
    /// For a CGC, the municipalities in its jurisdiction (管轄).
    package let jurisdiction: [String]

    package init(
        code: String, kind: Kind, name: String, prefectureCode: String, contact: String? = nil,
        listedContacts: AuthorityContacts = AuthorityContacts(), jurisdiction: [String] = []
    ) {
        self.code = code
        self.kind = kind
        self.name = name
        self.prefectureCode = prefectureCode
        self.contact = contact
        self.listedContacts = listedContacts
        self.jurisdiction = jurisdiction
    }

    /// Municipalities and CGCs hold cases; prefectures (as bodies) and the ministry do not.
    package var holdsCases: Bool { kind == .municipality || kind == .childGuidanceCentre }

    package static let ministryCode = "000000"
    package static let ministry = Authority(code: ministryCode, kind: .ministry, name: "こども家庭庁", prefectureCode: "00")

    /// The JIS X 0402 check digit for the first five digits of `code`, or nil if not digits.
    package static func checkDigit(of code: String) -> Int? {
        let digits = code.prefix(5).compactMap(\.wholeNumberValue)
        guard digits.count == 5 else { return nil }
        let sum = zip(digits, [6, 5, 4, 3, 2]).reduce(0) { $0 + $1.0 * $1.1 }
        return (11 - sum % 11) % 10
    }
}
