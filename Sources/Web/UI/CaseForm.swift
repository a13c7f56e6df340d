import Foundation
import Store

/// The create/edit form for a case in the national common format: which fields it has, what
/// was typed, and the Japanese message shown next to each bad field. A submission is read into
/// the record's types (`read()`, `CaseEntry`) and written by the Store, which validates the
/// record once; form field names are the record's paths (`child.family_name`,
/// `guardians[0].relation`), so each issue the Store finds lands next to its field (`report`).
struct CaseForm {
    /// A field's label; the people of a group are numbered (保護者1の氏, 同居人2の名).
    static func label(_ field: String) -> String? {
        for group in PersonGroup.all {
            for slot in 0..<group.slots where field.hasPrefix(group.prefix(slot)) {
                let names = [
                    "relation": "続柄", "family_name": "氏", "given_name": "名", "family_name_kana": "せい（ふりがな）",
                    "given_name_kana": "めい（ふりがな）", "birthdate": "生年月日",
                ]
                return names[String(field.dropFirst(group.prefix(slot).count))].map { "\(group.label)\(slot + 1)の\($0)" }
            }
        }
        return labels[field]
    }

    /// The repeated people of a record the form holds a few of (mother and father; siblings);
    /// further ones are kept as stored.
    struct PersonGroup {
        /// The record's member: `guardians` or `household`.
        let key: String
        let label: String
        let slots: Int
        let relations: [(String, String)]

        static let guardians = PersonGroup(key: "guardians", label: "保護者", slots: 2, relations: Labels.guardianRelations)
        static let household = PersonGroup(key: "household", label: "同居人", slots: 2, relations: Labels.householdRelations)
        static let all = [guardians, household]

        /// `guardians[0].`
        func prefix(_ slot: Int) -> String { "\(key)[\(slot)]." }
    }

    /// The values typed, by field name (kept when the form is shown again with errors).
    var values: [String: String]
    /// Japanese messages by field name; "" holds those that belong to no field.
    var errors: [String: [String]] = [:]

    static let childFields = ["family_name", "given_name", "family_name_kana", "given_name_kana", "romaji", "birthdate", "sex"]
    static let personFields = ["relation", "family_name", "given_name", "family_name_kana", "given_name_kana", "birthdate"]
    /// The child's school or nursery: the form holds the first; further ones are kept as stored.
    static let institutionFields = ["kind", "name", "schooling"]
    static let consultationFields = ["date", "source", "assessment", "response"]

    /// Every text field of the form.
    static var textFields: [String] {
        ["external_id", "status", "expected_delivery", "family_situation", "address.prefecture", "address.municipality", "address.line"]
            + childFields.map { "child.\($0)" }
            + PersonGroup.all.flatMap { group in (0..<group.slots).flatMap { slot in personFields.map { group.prefix(slot) + $0 } } }
            + institutionFields.map { "institutions[0].\($0)" } + consultationFields.map { "consultation.\($0)" }
    }

    static let labels: [String: String] = [
        "external_id": "記録番号", "status": "対応状況", "expected_delivery": "出産予定日（特定妊婦）", "family_situation": "家庭の状況", "address.prefecture": "都道府県",
        "address.municipality": "市区町村", "address.line": "町名・番地", "child.family_name": "児童の氏", "child.given_name": "児童の名",
        "child.family_name_kana": "児童のせい（ふりがな）", "child.given_name_kana": "児童のめい（ふりがな）", "child.romaji": "児童のローマ字表記",
        "child.birthdate": "児童の生年月日", "child.sex": "児童の性別", "institutions[0].kind": "所属機関の種別",
        "institutions[0].name": "所属機関の名称", "institutions[0].schooling": "通学・通園の状況", "consultation.date": "相談受付日",
        "consultation.source": "相談経路", "consultation.abuse_types": "虐待の種別", "consultation.assessment": "アセスメント",
        "consultation.response": "対応内容", "photo": "写真・資料",
    ]

    /// The form as a submission left it.
    init(_ form: FormData) {
        values = [:]
        for field in Self.textFields { values[field] = form[field] }
        abuseTypes = Set(form.all("consultation.abuse_types"))
    }

    /// The form filled with a stored record (to edit it).
    init(_ record: CaseRecord) {
        abuseTypes = []
        values = [
            "external_id": record.externalID, "status": record.status.rawValue, "family_situation": record.familySituation ?? "",
            "expected_delivery": record.expectedDelivery?.iso ?? "",
        ]
        /// A person's fields under a prefix (`child.`, `guardians[0].`).
        func fields(_ prefix: String, _ person: PersonIdentity) -> [String: String] {
            [
                prefix + "family_name": person.familyName ?? "", prefix + "given_name": person.givenName ?? "",
                prefix + "family_name_kana": person.familyNameKana ?? "", prefix + "given_name_kana": person.givenNameKana ?? "",
                prefix + "romaji": person.romaji ?? "", prefix + "birthdate": person.birthdate?.iso ?? "", prefix + "sex": person.sex?.rawValue ?? "",
            ]
        }
        values.merge(fields("child.", record.child)) { $1 }
        let people = [
            PersonGroup.guardians.key: record.guardians.map { ($0.relation.rawValue, $0.identity) },
            PersonGroup.household.key: record.household.map { ($0.relation.rawValue, $0.identity) },
        ]
        if let institution = record.institutions.first {
            values["institutions[0].kind"] = institution.kind.rawValue
            values["institutions[0].name"] = institution.name ?? ""
            values["institutions[0].schooling"] = institution.schooling?.rawValue ?? ""
        }
        for group in PersonGroup.all {
            for (slot, (relation, identity)) in (people[group.key] ?? []).prefix(group.slots).enumerated() {
                values.merge(fields(group.prefix(slot), identity)) { $1 }
                values[group.prefix(slot) + "relation"] = relation
            }
        }
        values["address.prefecture"] = record.address?.prefecture ?? ""
        values["address.municipality"] = record.address?.municipality ?? ""
        values["address.line"] = record.address?.line ?? ""
    }

    var abuseTypes: Set<String>

    var isValid: Bool { errors.isEmpty }

    /// Adds a message to a field ("" for the form as a whole), once.
    mutating func error(_ field: String, _ message: String) {
        if !(errors[field] ?? []).contains(message) { errors[field, default: []].append(message) }
    }

    /// Shows the Store's refusal of the record the form wrote: each issue in Japanese next to
    /// the field it concerns, found by its path through `placement`; an issue about something
    /// the form does not show (a person beyond its slots, an earlier consultation) above the form.
    mutating func report(_ refusal: StoreError, at placement: FormPlacement) {
        guard !refusal.issues.isEmpty else {
            error("", "入力内容を記録にできませんでした（\(refusal.description)）。")
            return
        }
        for issue in refusal.issues {
            if let field = placement.field(of: issue.path), let label = Self.label(field), Self.shown(field) {
                error(field, Self.japanese(FieldIssue(field, issue.message), label: label))
            } else {
                error("", Self.japanese(issue, label: "入力内容"))
            }
        }
    }

    /// Whether the form has a place for a field's messages (the abuse types, checkboxes, have none).
    static func shown(_ field: String) -> Bool { field == "photo" || textFields.contains(field) }

    /// The person a field or path is about (児童, 保護者2), nil for one the form does not show.
    static func person(of path: String) -> String? {
        if path == "child" || path.hasPrefix("child.") { return "児童" }
        for group in PersonGroup.all {
            for slot in 0..<group.slots where path.hasPrefix(group.prefix(slot)) || path == String(group.prefix(slot).dropLast()) {
                return "\(group.label)\(slot + 1)"
            }
        }
        return nil
    }

    /// A validator issue in Japanese; `issue.path` is the form's field when the issue has one.
    static func japanese(_ issue: FieldIssue, label: String) -> String {
        let message = issue.message
        if issue.path == "external_id", message == "is required" || message == "must not be empty" {
            return "記録番号を入力してください（自機関で管理している番号です）。"
        }
        if message.contains("needs a name") {
            let whose = person(of: issue.path).map { "\($0)の" } ?? ""
            return "\(whose)氏名・ふりがな・ローマ字表記のいずれかを入力してください。"
        }
        return issue.japanese(label: label)
    }

    /// The template's view of the form: fieldsets of fields, each with its value, label and errors.
    func page(withConsultation: Bool, withPhoto: Bool) -> CaseFormPage {
        typealias Field = CaseFormPage.Field
        func field(
            _ name: String, _ kind: WritableKeyPath<Field, Bool> = \.text, options: [(String, String)] = [], hint: String? = nil,
            required: Bool = false
        ) -> Field {
            var field = Field(id: Self.id(name), name: name, label: Self.label(name) ?? name, value: values[name] ?? "")
            field[keyPath: kind] = true
            field.options = Labels.options(options, selected: values[name])
            field.hint = hint
            field.required = required
            field.errors = errors[name]?.joined(separator: " ")
            // Only the hint and error shown: a reference to no element is invalid ARIA.
            let described = [hint.map { _ in "\(Self.id(name))-hint" }, errors[name].map { _ in "\(Self.id(name))-error" }].compactMap { $0 }
            field.describedBy = described.isEmpty ? nil : described.joined(separator: " ")
            return field
        }
        typealias Fieldset = CaseFormPage.Fieldset
        let dateHint = "和暦・西暦どちらでも（例: 平成30年4月1日、H30.4.1、2018-04-01）。月や日が不明なら省けます。"
        var sets: [Fieldset] =
            [
                Fieldset(
                    legend: "記録",
                    fields: [
                        field("external_id", required: true), field("status", \.select, options: Labels.statuses),
                        field(
                            "expected_delivery",
                            hint: "特定妊婦（出生前）の記録のとき。児童欄は空欄のまま、母を保護者1（続柄: 母）に入力します。出生後は児童の氏名・生年月日を記録します。"),
                    ]),
                Fieldset(
                    legend: "児童",
                    fields: [
                        field("child.family_name"), field("child.given_name"), field("child.family_name_kana", hint: "カタカナ・ひらがな"),
                        field("child.given_name_kana"), field("child.romaji", hint: "外国籍の児童など（例: NGUYEN VAN AN）"),
                        field("child.birthdate", hint: dateHint), field("child.sex", \.select, options: Labels.sexes),
                    ]),
            ]
            + PersonGroup.all.flatMap { group in
                (0..<group.slots).map { slot in
                    let prefix = group.prefix(slot)
                    return Fieldset(
                        legend: "\(group.label)\(slot + 1)",
                        fields: [
                            field(prefix + "relation", \.select, options: group.relations), field(prefix + "family_name"),
                            field(prefix + "given_name"), field(prefix + "family_name_kana"), field(prefix + "given_name_kana"),
                            field(prefix + "birthdate", hint: dateHint),
                        ])
                }
            } + [
                Fieldset(
                    legend: "所属機関（学校・保育所など）",
                    fields: [
                        field("institutions[0].kind", \.select, options: Labels.institutions), field("institutions[0].name"),
                        field("institutions[0].schooling", \.select, options: Labels.schooling),
                    ]),
                Fieldset(
                    legend: "住所",
                    fields: [
                        field("address.prefecture", hint: "例: 東京都"), field("address.municipality", hint: "例: 千代田区"), field("address.line"),
                    ]),
                Fieldset(legend: "家庭の状況", fields: [field("family_situation", \.textarea)]),
            ]
        if withConsultation {
            sets.append(
                Fieldset(
                    legend: withPhoto ? "相談受付" : "相談の追加（任意）",
                    fields: [
                        field("consultation.date", hint: dateHint), field("consultation.source", \.select, options: Labels.sources),
                        field("consultation.assessment", \.textarea), field("consultation.response", \.textarea),
                    ],
                    hasAbuseTypes: true,
                    abuseTypes: Labels.abuseTypes.map { CaseFormPage.Check(value: $0.0, label: $0.1, checked: abuseTypes.contains($0.0)) }))
        }
        return CaseFormPage(
            fieldsets: sets,
            photo: withPhoto ? CaseFormPage.Photo(label: Self.labels["photo"]!, errors: errors["photo"]?.joined(separator: " ")) : nil,
            errorCount: errors.isEmpty ? nil : errors.values.map(\.count).reduce(0, +),
            generalErrors: errors[""] ?? [])
    }

    /// An HTML id for a field name (`guardians[0].family_name` → `guardians0_family_name`).
    static func id(_ field: String) -> String {
        field.replacingOccurrences(of: "[", with: "").replacingOccurrences(of: "]", with: "").replacingOccurrences(of: ".", with: "_")
    }

    /// Checks an uploaded photo or document the way the Store will, in Japanese.
    mutating func check(upload file: FormData.File?) {
        if let file, let problem = Self.problem(with: file) { error("photo", problem) }
    }

    /// Why the Store would refuse an uploaded file at once, in Japanese (nil if it would go on to
    /// inspect it): empty, too large, not a kind it takes by its first bytes, or declared as
    /// another kind. Whether the file really is a valid image or a safe PDF only the Store's
    /// inspection says (`Attachments.add`, `Attachments.check`).
    static func problem(with file: FormData.File) -> String? {
        if file.content.isEmpty { return "選択したファイルが空です。" }
        if file.content.count > Attachments.maxAttachmentBytes {
            return "ファイルが大きすぎます（\(file.content.count / (1 << 20))MB）。10MBまでのファイルを選んでください。"
        }
        guard let kind = AttachmentKind(sniffing: file.content) else { return UploadProblem.unrecognised.japanese }
        let declared = file.declaredType?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased()
        if let declared, declared != "application/octet-stream", declared != kind.rawValue {
            return UploadProblem.declaredType(declared, actual: kind).japanese
        }
        return nil
    }
}
