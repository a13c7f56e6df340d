import Foundation
import Store

extension CaseSheet {
    typealias Field = CaseSheetLayout.Field

    /// One case as its rows are read: the case's cells from its first row that has each,
    /// a consultation from every row that has consultation cells.
    struct Builder {
        let row: Int
        let externalID: String
        private var values: [Field: (row: Int, heading: String, value: String)] = [:]
        private var consultations: [[Field: (row: Int, heading: String, value: String)]] = []
        private var defaultAuthority: String?
        private var directory: AuthorityDirectory?

        init(row: Int, externalID: String) {
            self.row = row
            self.externalID = externalID
        }

        /// Adds a row: case cells must agree with earlier rows of the case (or be empty).
        mutating func add(
            _ cells: [Field: (heading: String, value: String)], at number: Int, authority: String?, directory: AuthorityDirectory,
            issues: inout [RowIssue]
        ) {
            defaultAuthority = authority
            self.directory = directory
            var consultation: [Field: (row: Int, heading: String, value: String)] = [:]
            for (field, cell) in cells {
                if field.isConsultation {
                    consultation[field] = (number, cell.heading, cell.value)
                } else if let earlier = values[field] {
                    if earlier.value != cell.value, field != .externalID {
                        issues.append(
                            RowIssue(
                                row: number, column: cell.heading,
                                "記録番号「\(externalID)」の行が複数あるときは、2行目以降のこの列を空欄にするか、\(earlier.row)行目と同じ値にしてください（\(earlier.row)行目:「\(earlier.value.prefix(40))」）。"
                            ))
                    }
                } else {
                    values[field] = (number, cell.heading, cell.value)
                }
            }
            if !consultation.isEmpty { consultations.append(consultation) }
        }

        /// The case in the import format, with where each field came from.
        func finish(issues: inout [RowIssue]) -> CaseSheet.Case {
            var cells: [String: Cell] = [:]
            func value(_ field: Field) -> String? { values[field]?.value }
            func note(_ path: String, _ field: Field, fallback heading: String) {
                if let cell = values[field] {
                    cells[path] = Cell(row: cell.row, heading: cell.heading)
                } else {
                    cells[path] = Cell(row: row, heading: heading)
                }
            }
            var object: [String: Any] = ["external_id": externalID]
            note("external_id", .externalID, fallback: "記録番号")
            let status = value(.status) ?? "open"
            object["status"] = status
            note("status", .status, fallback: "状態")
            if let authority = value(.authority) ?? defaultAuthority { object["authority"] = authority }
            note("authority", .authority, fallback: "機関コード")

            // The child.
            var child: [String: Any] = [:]
            person(
                into: &child, name: values[.childName].map { ($0.heading, $0.value) }, kana: values[.childKana].map { ($0.heading, $0.value) },
                birthdate: value(.childBirthdate), path: "child",
                cells: &cells, issues: &issues)
            note("child", .childName, fallback: "児童氏名")
            note("child.birthdate", .childBirthdate, fallback: "生年月日")
            for (key, field, heading) in [
                ("romaji", Field.childRomaji, "ローマ字"), ("sex", .childSex, "性別"), ("nationality", .childNationality, "国籍"),
            ] {
                if let text = value(field) { child[key] = text }
                note("child.\(key)", field, fallback: heading)
            }
            object["child"] = child

            // Guardians and household: the numbered groups that have any cell, in number order.
            for (key, make) in [("guardians", { Field.guardian($0, $1) }), ("household", { Field.household($0, $1) })] {
                var people: [[String: Any]] = []
                for number in 1...20 {
                    let member = { (part: CaseSheetLayout.PersonField) in values[make(number, part)] }
                    guard CaseSheetLayout.PersonField.allCases.contains(where: { member($0) != nil }) else { continue }
                    let path = "\(key)[\(people.count)]"
                    var entry: [String: Any] = [:]
                    person(
                        into: &entry, name: member(.name).map { ($0.heading, $0.value) }, kana: member(.kana).map { ($0.heading, $0.value) },
                        birthdate: member(.birthdate)?.value, path: path, cells: &cells, issues: &issues)
                    entry["relation"] = member(.relation)?.value ?? "other"
                    for part in [CaseSheetLayout.PersonField.sex, .romaji, .nationality] {
                        guard let cell = member(part) else { continue }
                        let key = part == .sex ? "sex" : part == .romaji ? "romaji" : "nationality"
                        entry[key] = cell.value
                        cells["\(path).\(key)"] = Cell(row: cell.row, heading: cell.heading)
                    }
                    let prefix = key == "guardians" ? "保護者" : "同居人"
                    note(path, make(number, .name), fallback: "\(prefix)\(number)氏名")
                    note("\(path).relation", make(number, .relation), fallback: "\(prefix)\(number)続柄")
                    note("\(path).birthdate", make(number, .birthdate), fallback: "\(prefix)\(number)生年月日")
                    people.append(entry)
                }
                object[key] = people
            }

            // The address: one cell, split into prefecture, municipality and the rest.
            if let address = value(.address) {
                object["address"] = split(address)
                note("address", .address, fallback: "住所")
                for part in ["prefecture", "municipality", "line"] { note("address.\(part)", .address, fallback: "住所") }
            }

            // Institutions: the numbered groups that have any cell, in number order.
            var institutions: [[String: Any]] = []
            for number in 1...20 {
                let member = { (part: CaseSheetLayout.InstitutionField) in value(.institution(number, part)) }
                guard CaseSheetLayout.InstitutionField.allCases.contains(where: { member($0) != nil }) else { continue }
                let path = "institutions[\(institutions.count)]"
                var institution: [String: Any] = ["kind": member(.kind) ?? "other"]
                if let name = member(.name) { institution["name"] = name }
                if let schooling = member(.schooling) { institution["schooling"] = schooling }
                for (key, part) in [("", CaseSheetLayout.InstitutionField.name), (".kind", .kind), (".schooling", .schooling)] {
                    let heading = number == 1 ? part.firstHeading : "所属\(number)\(part.rawValue)"
                    note(path + key, .institution(number, part), fallback: heading)
                }
                institutions.append(institution)
            }
            if !institutions.isEmpty { object["institutions"] = institutions }
            if let text = value(.familySituation) { object["family_situation"] = text }
            note("family_situation", .familySituation, fallback: "家庭の状況")
            if let text = value(.notes) { object["notes"] = text }
            note("notes", .notes, fallback: "備考")

            // A consultation per row that has one.
            var list: [[String: Any]] = []
            for consultation in consultations {
                let path = "consultations[\(list.count)]"
                var entry: [String: Any] = [
                    "status": consultation[.consultationStatus]?.value ?? (CaseStatus(rawValue: status) == .closed ? "closed" : status)
                ]
                let keys: [(String, Field)] = [
                    ("date", .consultationDate), ("source", .consultationSource), ("status", .consultationStatus),
                    ("assessment", .assessment), ("response", .response), ("abuse_types", .abuseTypes),
                ]
                for (key, field) in keys {
                    guard let cell = consultation[field] else { continue }
                    entry[key] = field == .abuseTypes ? Self.abuseTypes(cell.value) : cell.value
                    cells["\(path).\(key)"] = Cell(row: cell.row, heading: cell.heading)
                }
                if let first = consultation.values.min(by: { $0.row < $1.row }) { cells[path] = Cell(row: first.row, heading: nil) }
                list.append(entry)
            }
            object["consultations"] = list

            let json = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
            return CaseSheet.Case(row: row, externalID: externalID, json: Array(json), cells: cells)
        }

        /// Fills a person's name and reading from one cell each, split at the first space
        /// (half- or full-width) into family and given name.
        private func person(
            into entry: inout [String: Any], name: (heading: String, value: String)?, kana: (heading: String, value: String)?,
            birthdate: String?, path: String, cells: inout [String: Cell], issues: inout [RowIssue]
        ) {
            let nameParts = name.map { Self.parts($0.value) }
            let kanaParts = kana.map { Self.parts($0.value) }
            if let name, let kana, nameParts?.given == nil, kanaParts?.given != nil {
                issues.append(
                    RowIssue(
                        row: rowOf(name.heading), column: name.heading,
                        "姓と名の間に空白を入れてください（\(kana.heading)は「\(kana.value.prefix(30))」と姓・名に分かれています）。"))
            }
            if let parts = nameParts {
                entry["family_name"] = parts.family
                if let given = parts.given { entry["given_name"] = given }
            }
            if let parts = kanaParts {
                entry["family_name_kana"] = parts.family
                if let given = parts.given { entry["given_name_kana"] = given }
            }
            if let birthdate { entry["birthdate"] = birthdate }
            if let name {
                for key in ["family_name", "given_name"] { cells["\(path).\(key)"] = Cell(row: rowOf(name.heading), heading: name.heading) }
            }
            if let kana {
                for key in ["family_name_kana", "given_name_kana"] {
                    cells["\(path).\(key)"] = Cell(row: rowOf(kana.heading), heading: kana.heading)
                }
            }
        }

        /// The row a case cell came from, by its heading.
        private func rowOf(_ heading: String) -> Int { values.values.first { $0.heading == heading }?.row ?? row }

        /// 「山田 太郎」→ (山田, 太郎); one word → (that word, nil).
        static func parts(_ text: String) -> (family: String, given: String?) {
            guard let space = text.firstIndex(where: { $0 == " " || $0 == "\u{3000}" }) else { return (text, nil) }
            let given = text[text.index(after: space)...].trimmingCharacters(in: .whitespaces)
            return (String(text[..<space]), given.isEmpty ? nil : given)
        }

        /// 「身体的虐待・ネグレクト」→ two types (separated by ・、, / or spaces).
        static func abuseTypes(_ text: String) -> [String] {
            text.split(whereSeparator: { "・、,，/／ \u{3000}".contains($0) }).map(String.init)
        }

        /// 「東京都千代田区千代田1-1」→ prefecture, municipality (a designated city's, for a ward
        /// address) and the rest. Without a prefecture, the holder's is assumed; a municipality
        /// the directory does not know is passed on as typed, for the validator to name.
        private func split(_ address: String) -> [String: Any] {
            // Spaces between the parts go; spaces inside the rest (「ハイツ 402」) stay.
            func trimmed(_ text: Substring) -> Substring { text.drop { $0 == " " || $0 == "\u{3000}" } }
            let text = trimmed(Substring(address))
            guard let directory else { return ["prefecture": String(text)] }
            var prefecture: Authority?
            var rest = text
            for length in [3, 4] where prefecture == nil {
                if let found = directory.prefecture(named: String(text.prefix(length))), found.name == String(text.prefix(length)) {
                    prefecture = found
                    rest = trimmed(text.dropFirst(length))
                }
            }
            if prefecture == nil, let holder = values[.authority]?.value ?? defaultAuthority, let authority = directory[holder] {
                prefecture = directory.prefecture(named: authority.prefectureCode)
            }
            guard let prefecture else { return ["prefecture": String(text)] }
            guard !rest.isEmpty else { return ["prefecture": prefecture.name] }
            guard let municipality = directory.municipality(named: String(rest), in: prefecture), rest.hasPrefix(municipality.name) else {
                return ["prefecture": prefecture.name, "municipality": String(rest)]
            }
            let line = trimmed(rest.dropFirst(municipality.name.count))
            var result: [String: Any] = ["prefecture": prefecture.name, "municipality": municipality.name]
            if !line.isEmpty { result["line"] = String(line) }
            return result
        }
    }
}
