/// A closed set of values with the spellings real systems and spreadsheets use for them.
package protocol Vocabulary: RawRepresentable, CaseIterable, Codable, Hashable, Sendable where RawValue == String {
    /// Extra accepted spellings (Japanese labels, codes), lowercased, mapped to a case.
    static var aliases: [String: Self] { get }
    /// The Japanese word pages and spreadsheets show for each case (also accepted on input).
    static var labels: [Self: String] { get }
}

extension Vocabulary {
    package static var aliases: [String: Self] { [:] }

    /// The Japanese word for the value (its raw value where there is none).
    package var label: String { Self.labels[self] ?? rawValue }

    /// Parses `text` (case-insensitive, `-` and space read as `_`), or explains what is allowed.
    static func parse(_ text: String, at path: String, into issues: inout [FieldIssue]) -> Self? {
        let key = text.trimmingSpaces().lowercased()
        let normalised = String(key.map { $0 == "-" || $0 == " " ? "_" : $0 })
        if let value = Self(rawValue: normalised) ?? aliases[key] ?? labels.first(where: { $0.value == key })?.key { return value }
        let allowed = allCases.map(\.rawValue).joined(separator: ", ")
        issues.append(FieldIssue(path, "\"\(text)\" is not one of: \(allowed)"))
        return nil
    }
}

package enum Sex: String, Vocabulary {
    case male, female, unknown
    package static let labels: [Sex: String] = [.male: "男", .female: "女", .unknown: "不明"]
    package static let aliases: [String: Sex] = [
        "m": .male, "男": .male, "男性": .male, "1": .male,
        "f": .female, "女": .female, "女性": .female, "2": .female,
        "不明": .unknown, "0": .unknown, "9": .unknown,
    ]
}

package enum CaseStatus: String, Vocabulary {
    case open, closed
    package static let labels: [CaseStatus: String] = [.open: "対応中", .closed: "終結"]
    package static let aliases: [String: CaseStatus] = ["対応中": .open, "継続": .open, "終結": .closed, "終了": .closed]
}

package enum GuardianRelation: String, Vocabulary {
    case mother, father, stepmother, stepfather, grandmother, grandfather, fosterParent = "foster_parent", other
    package static let labels: [GuardianRelation: String] = [
        .mother: "母", .father: "父", .stepmother: "継母・養母", .stepfather: "継父・養父", .grandmother: "祖母", .grandfather: "祖父",
        .fosterParent: "里親", .other: "その他",
    ]
    package static let aliases: [String: GuardianRelation] = [
        "母": .mother, "実母": .mother, "父": .father, "実父": .father, "継母": .stepmother, "養母": .stepmother,
        "継父": .stepfather, "養父": .stepfather, "祖母": .grandmother, "祖父": .grandfather,
        "里親": .fosterParent, "その他": .other,
    ]
}

package enum HouseholdRelation: String, Vocabulary {
    case sibling, halfSibling = "half_sibling", grandparent, partnerOfGuardian = "partner_of_guardian", other
    package static let labels: [HouseholdRelation: String] = [
        .sibling: "きょうだい", .halfSibling: "異父・異母きょうだい", .grandparent: "祖父母", .partnerOfGuardian: "保護者の内縁者", .other: "その他",
    ]
    package static let aliases: [String: HouseholdRelation] = [
        "兄": .sibling, "姉": .sibling, "弟": .sibling, "妹": .sibling, "きょうだい": .sibling, "兄弟": .sibling,
        "異父きょうだい": .halfSibling, "異母きょうだい": .halfSibling, "祖父母": .grandparent,
        "内縁": .partnerOfGuardian, "同居人": .other, "その他": .other,
    ]
}

package enum InstitutionKind: String, Vocabulary {
    case nursery, kindergarten, elementarySchool = "elementary_school", juniorHighSchool = "junior_high_school"
    package static let labels: [InstitutionKind: String] = [
        .nursery: "保育所", .kindergarten: "幼稚園・認定こども園", .elementarySchool: "小学校", .juniorHighSchool: "中学校", .highSchool: "高等学校",
        .other: "その他",
    ]
    case highSchool = "high_school", other
    package static let aliases: [String: InstitutionKind] = [
        "保育所": .nursery, "保育園": .nursery, "認定こども園": .kindergarten, "幼稚園": .kindergarten,
        "小学校": .elementarySchool, "中学校": .juniorHighSchool, "高校": .highSchool, "高等学校": .highSchool,
        "その他": .other,
    ]
}

package enum Schooling: String, Vocabulary {
    case attending, irregular, notAttending = "not_attending", notApplicable = "not_applicable"
    package static let labels: [Schooling: String] = [
        .attending: "通学・通園", .irregular: "登校不安定", .notAttending: "不登校・不就学", .notApplicable: "該当なし",
    ]
    package static let aliases: [String: Schooling] = [
        "通学": .attending, "通園": .attending, "不登校": .notAttending, "不就学": .notAttending,
        "登校不安定": .irregular, "該当なし": .notApplicable,
    ]
}

package enum ReportSource: String, Vocabulary {
    case police, school, nursery, neighbour, family, relative, medical, welfare, child, anonymous, other
    package static let labels: [ReportSource: String] = [
        .police: "警察", .school: "学校", .nursery: "保育所", .neighbour: "近隣・知人", .family: "家族", .relative: "親戚", .medical: "医療機関",
        .welfare: "福祉事務所", .child: "児童本人", .anonymous: "匿名", .other: "その他",
    ]
    package static let aliases: [String: ReportSource] = [
        "警察": .police, "学校": .school, "保育所": .nursery, "近隣": .neighbour, "近隣知人": .neighbour,
        "家族": .family, "親戚": .relative, "医療機関": .medical, "福祉事務所": .welfare, "児童本人": .child,
        "匿名": .anonymous, "その他": .other, "neighbor": .neighbour,
    ]
}

package enum AbuseType: String, Vocabulary {
    case physical, neglect, psychological, sexual
    package static let labels: [AbuseType: String] = [.physical: "身体的虐待", .neglect: "ネグレクト", .psychological: "心理的虐待", .sexual: "性的虐待"]
    package static let aliases: [String: AbuseType] = [
        "身体的虐待": .physical, "身体": .physical, "ネグレクト": .neglect, "心理的虐待": .psychological,
        "心理": .psychological, "性的虐待": .sexual, "性的": .sexual,
    ]
}

extension String {
    /// Trims half-width and full-width spaces, tabs and newlines at both ends.
    func trimmingSpaces() -> String {
        let scalars = unicodeScalars
        // Nothing to trim (most fields): the string itself, not a copy.
        if let first = scalars.first, let last = scalars.last, !first.isSpace, !last.isSpace { return self }
        guard let start = scalars.firstIndex(where: { !$0.isSpace }) else { return "" }
        let end = scalars.lastIndex(where: { !$0.isSpace })!
        return String(scalars[start...end])
    }
}

extension Unicode.Scalar {
    var isSpace: Bool { self == " " || self == "\u{3000}" || self == "\t" || self == "\n" || self == "\r" }
}
