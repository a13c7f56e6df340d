/// The national common-format record as a spreadsheet (docs/csv-format.md): Japanese headings
/// as a worker types them, one row per consultation, the rows of one case sharing its 記録番号.
/// Guardians and household members are repeated column groups (保護者1氏名, 保護者2氏名…).
package enum CaseSheetLayout {
    /// A case-level column: its heading, the other spellings accepted, and what it fills.
    struct Column: Sendable {
        let heading: String
        let aliases: [String]
        let field: Field
    }

    /// What a column fills in the record.
    enum Field: Sendable, Hashable {
        case externalID, authority, status, childName, childKana, childRomaji, childBirthdate, childSex, childNationality
        case address, familySituation, notes
        case consultationDate, consultationSource, abuseTypes, consultationStatus, assessment, response
        /// A member of the `number`th (1-based) guardian or household group.
        case guardian(Int, PersonField)
        case household(Int, PersonField)
        /// A member of the `number`th institution (所属, 所属名, 就学状況 for the first; 所属2種別… after).
        case institution(Int, InstitutionField)

        var isConsultation: Bool {
            switch self {
            case .consultationDate, .consultationSource, .abuseTypes, .consultationStatus, .assessment, .response: true
            default: false
            }
        }
    }

    /// A member of a guardian or household group.
    enum PersonField: String, Sendable, Hashable, CaseIterable {
        case relation = "続柄", name = "氏名", kana = "ふりがな", birthdate = "生年月日", sex = "性別", romaji = "ローマ字", nationality = "国籍"
    }

    /// A member of an institution group.
    enum InstitutionField: String, Sendable, Hashable, CaseIterable {
        case kind = "種別", name = "名称", schooling = "就学状況"

        /// The first institution's heading (the template's), without a number.
        var firstHeading: String {
            switch self {
            case .kind: "所属"
            case .name: "所属名"
            case .schooling: "就学状況"
            }
        }
    }

    /// The columns that are not groups, in template order.
    static let columns: [Column] = [
        Column(heading: "記録番号", aliases: ["ケース番号", "児童記録番号"], field: .externalID),
        Column(heading: "状態", aliases: ["ケースの状態"], field: .status),
        Column(heading: "児童氏名", aliases: ["氏名"], field: .childName),
        Column(heading: "ふりがな", aliases: ["フリガナ", "児童ふりがな", "児童フリガナ", "よみがな"], field: .childKana),
        Column(heading: "ローマ字", aliases: ["氏名（ローマ字）", "ローマ字表記"], field: .childRomaji),
        Column(heading: "生年月日", aliases: ["児童生年月日"], field: .childBirthdate),
        Column(heading: "性別", aliases: [], field: .childSex),
        Column(heading: "国籍", aliases: [], field: .childNationality),
        Column(heading: "住所", aliases: ["現住所", "住所地"], field: .address),
        Column(heading: "所属", aliases: ["所属種別", "所属1種別"], field: .institution(1, .kind)),
        Column(heading: "所属名", aliases: ["所属名称", "学校名", "所属1名称"], field: .institution(1, .name)),
        Column(heading: "就学状況", aliases: ["就園・就学状況", "所属1就学状況"], field: .institution(1, .schooling)),
        Column(heading: "家庭の状況", aliases: ["家族の状況"], field: .familySituation),
        Column(heading: "相談日", aliases: ["受付日", "受理日"], field: .consultationDate),
        Column(heading: "相談経路", aliases: ["経路"], field: .consultationSource),
        Column(heading: "虐待種別", aliases: ["種別"], field: .abuseTypes),
        Column(heading: "相談状況", aliases: ["対応状況"], field: .consultationStatus),
        Column(heading: "アセスメント", aliases: ["見立て"], field: .assessment),
        Column(heading: "対応", aliases: ["対応内容"], field: .response),
        Column(heading: "備考", aliases: [], field: .notes),
        Column(heading: "機関コード", aliases: ["保有機関コード"], field: .authority),
    ]

    /// The groups of person columns: the prefix and what it fills.
    static let groups: [(prefix: String, field: @Sendable (Int, PersonField) -> Field)] = [
        ("保護者", { .guardian($0, $1) }), ("同居人", { .household($0, $1) }),
    ]

    /// The template's headings: every column, with two guardian groups, one household group and
    /// one institution (more are read by numbering them on: 保護者3氏名…, 所属2種別…).
    package static func templateHeadings(guardians: Int = 2, household: Int = 1, institutions: Int = 1) -> [String] {
        let fixed = columns.map(\.heading)
        func group(_ prefix: String, _ count: Int) -> [String] {
            (1...max(1, count)).flatMap { number in PersonField.allCases.map { "\(prefix)\(number)\($0.rawValue)" } }
        }
        let more = institutions < 2 ? [] : (2...institutions).flatMap { number in InstitutionField.allCases.map { "所属\(number)\($0.rawValue)" } }
        // Guardians and household after the child's address, before the institution.
        let split = fixed.firstIndex(of: "所属")!
        let afterInstitution = fixed.firstIndex(of: "就学状況")! + 1
        return Array(fixed[..<split]) + group("保護者", guardians) + group("同居人", household) + Array(fixed[split..<afterInstitution]) + more
            + Array(fixed[afterInstitution...])
    }

    /// What a heading fills, or nil if the layout has no such column. Spaces and the width of
    /// digits do not matter (「保護者１ 氏名」 reads as 保護者1氏名).
    static func field(of heading: String) -> Field? {
        let key = normalized(heading)
        if let column = columns.first(where: { normalized($0.heading) == key || $0.aliases.map(normalized).contains(key) }) {
            return column.field
        }
        // Institutions beyond the first: 所属2種別, 所属2名称, 所属2就学状況.
        if let match = key.wholeMatch(of: /所属(\d{1,2})(種別|名称|就学状況)/), let number = Int(match.1), (1...20).contains(number),
            let member = InstitutionField(rawValue: String(match.2))
        {
            return .institution(number, member)
        }
        for (prefix, make) in groups where key.hasPrefix(prefix) {
            let rest = key.dropFirst(prefix.count)
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            guard let number = Int(digits), (1...20).contains(number) else { continue }
            let member = String(rest.dropFirst(digits.count))
            let aliases: [String: PersonField] = ["フリガナ": .kana, "よみがな": .kana, "生年月日": .birthdate, "氏名": .name, "続柄": .relation]
            if let field = PersonField(rawValue: member) ?? aliases[member] { return make(number, field) }
        }
        return nil
    }

    /// A heading without spaces, with ASCII digits.
    static func normalized(_ heading: String) -> String {
        String(
            heading.unicodeScalars.compactMap { scalar -> Character? in
                if scalar == " " || scalar == "\u{3000}" || scalar == "\t" { return nil }
                if (0xFF10...0xFF19).contains(scalar.value) { return Character(Unicode.Scalar(scalar.value - 0xFF10 + 0x30)!) }
                return Character(scalar)
            })
    }
}
