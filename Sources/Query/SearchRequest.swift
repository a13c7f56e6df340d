/// What a caller asks: the free-text box and/or structured fields, as the HTTP API and the
/// CLI's `--batch` lines carry them.
package struct SearchRequest: Codable, Sendable, Hashable {
    /// Free text: `やまだ たろう H30.4.1`, `Yamada Taro 2018`, `山田 花子 母`.
    package var q: String?
    package var name: String?
    package var kana: String?
    package var birthdate: String?
    /// An inclusive birthdate range (any date form), e.g. for a child known to be 5–7.
    package var birthdateFrom: String?
    package var birthdateTo: String?
    package var guardian: String?
    package var sex: String?
    /// A prefecture name (東京都) or code (13).
    package var prefecture: String?
    package var limit: Int?
    package var offset: Int?

    package init(
        q: String? = nil, name: String? = nil, kana: String? = nil, birthdate: String? = nil, birthdateFrom: String? = nil,
        birthdateTo: String? = nil, guardian: String? = nil, sex: String? = nil, prefecture: String? = nil,
        limit: Int? = nil, offset: Int? = nil
    ) {
        self.q = q
        self.name = name
        self.kana = kana
        self.birthdate = birthdate
        self.birthdateFrom = birthdateFrom
        self.birthdateTo = birthdateTo
        self.guardian = guardian
        self.sex = sex
        self.prefecture = prefecture
        self.limit = limit
        self.offset = offset
    }

    enum CodingKeys: String, CodingKey {
        case q, name, kana, birthdate, birthdateFrom = "birthdate_from", birthdateTo = "birthdate_to", guardian, sex
        case prefecture, limit, offset
    }
}
