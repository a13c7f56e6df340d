package import Foundation

/// Every authority, with the lookups validation and routing need. Immutable once built.
package struct AuthorityDirectory: Sendable {
    package let authorities: [String: Authority]
    private let prefectureByName: [String: Authority]
    private let municipalitiesByPrefecture: [String: [Authority]]
    private let cgcByMunicipality: [String: String]

    package init(_ list: [Authority]) {
        var authorities: [String: Authority] = [:]
        for authority in list { authorities[authority.code] = authority }
        self.authorities = authorities
        prefectureByName = Dictionary(
            list.filter { $0.kind == .prefecture }.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        municipalitiesByPrefecture = Dictionary(grouping: list.filter { $0.kind == .municipality }, by: \.prefectureCode)
        var cgcByMunicipality: [String: String] = [:]
        for cgc in list where cgc.kind == .childGuidanceCentre {
            for municipality in cgc.jurisdiction { cgcByMunicipality[municipality] = cgc.code }
        }
        self.cgcByMunicipality = cgcByMunicipality
    }

    package subscript(code: String) -> Authority? { authorities[code] }

    package var count: Int { authorities.count }

    /// The prefecture named `name` (`東京都`) or coded `13`/`130001`.
    package func prefecture(named name: String) -> Authority? {
        if let byName = prefectureByName[name] { return byName }
        let code = name.count == 2 ? "\(name)0000" : name
        guard code.count == 6 else { return nil }
        let full = code.prefix(5) + String(Authority.checkDigit(of: String(code.prefix(5))) ?? -1)
        return authorities[String(full)].flatMap { $0.kind == .prefecture ? $0 : nil }
    }

    /// Finds the municipality of an address in `prefecture`: by exact name, then with the
    /// prefecture written in front (`東京都千代田区`), then by the longest municipality name that
    /// starts the text (a designated city's ward, `横浜市中区` → 横浜市).
    package func municipality(named name: String, in prefecture: Authority) -> Authority? {
        let candidates = municipalitiesByPrefecture[prefecture.prefectureCode] ?? []
        var text = name
        if text.hasPrefix(prefecture.name) { text.removeFirst(prefecture.name.count) }
        if let exact = candidates.first(where: { $0.name == text }) { return exact }
        return candidates.filter { text.hasPrefix($0.name) }.max { $0.name.count < $1.name.count }
    }

    /// The CGC whose jurisdiction covers a municipality.
    package func childGuidanceCentre(for municipalityCode: String) -> Authority? {
        cgcByMunicipality[municipalityCode].flatMap { authorities[$0] }
    }

    /// Explains why `code` names no authority (a wrong check digit is the commonest typo).
    package func unknownCodeMessage(_ code: String) -> String {
        if code.count == 6, code.allSatisfy(\.isASCII), let expected = Authority.checkDigit(of: code),
            code.last?.wholeNumberValue != expected
        {
            return
                "unknown authority code \"\(code)\": the check digit of \(code.prefix(5)) is \(expected), so the code would be \(code.prefix(5))\(expected)"
        }
        return "unknown authority code \"\(code)\": use a 6-digit 全国地方公共団体コード (e.g. 131016) or a child guidance centre code (e.g. 130001-01)"
    }
}

extension AuthorityDirectory {
    /// Reads `authorities.csv` and a CGC list (`child-guidance-centres.csv` format) and adds the ministry.
    /// - Throws: `StoreError` naming the file and line of anything malformed.
    package static func load(authoritiesCSV: URL, centresCSV: URL) throws(StoreError) -> AuthorityDirectory {
        var list = [Authority.ministry]
        for row in try CSVTable(contentsOf: authoritiesCSV, columns: ["code", "kind", "prefecture_code", "name", "kana"]).rows {
            guard let kind = Authority.Kind(rawValue: row["kind"]), kind == .prefecture || kind == .municipality else {
                throw row.error("kind must be prefecture or municipality")
            }
            list.append(Authority(code: row["code"], kind: kind, name: row["name"], prefectureCode: row["prefecture_code"]))
        }
        list += try centres(from: centresCSV, municipalities: list.filter { $0.kind == .municipality })
        return AuthorityDirectory(list)
    }

    /// Reads a CGC list; `*` in `jurisdiction` stands for every municipality of the
    /// prefecture that no other CGC of the list names.
    package static func centres(from url: URL, municipalities: [Authority]) throws(StoreError) -> [Authority] {
        let table = try CSVTable(contentsOf: url, columns: ["code", "name", "prefecture_code", "operator_code", "contact", "jurisdiction"])
        let known = Set(municipalities.map(\.code))
        var explicit: [String: String] = [:]
        for row in table.rows where row["jurisdiction"] != "*" {
            for code in row["jurisdiction"].split(separator: " ").map(String.init) {
                guard known.contains(code) else { throw row.error("jurisdiction names unknown municipality \(code)") }
                if let other = explicit[code] { throw row.error("municipality \(code) is already in the jurisdiction of \(other)") }
                explicit[code] = row["code"]
            }
        }
        return try table.rows.map { row throws(StoreError) in
            let jurisdiction =
                row["jurisdiction"] == "*"
                ? municipalities.filter { $0.prefectureCode == row["prefecture_code"] && explicit[$0.code] == nil }.map(\.code)
                : row["jurisdiction"].split(separator: " ").map(String.init)
            // The contact columns are optional: a list without them knows no contacts.
            var listed = AuthorityContacts()
            for (name, keyPath) in AuthorityContacts.members where !row[name].isEmpty { listed[keyPath: keyPath] = row[name] }
            return Authority(
                code: row["code"], kind: .childGuidanceCentre, name: row["name"], prefectureCode: row["prefecture_code"],
                contact: row["contact"].isEmpty ? nil : row["contact"], listedContacts: try checked(listed, row), jurisdiction: jurisdiction)
        }
    }

    /// A list's contacts, checked as an administrator's are, an error naming the file and line.
    private static func checked(_ contacts: AuthorityContacts, _ row: CSVTable.Row) throws(StoreError) -> AuthorityContacts {
        do { return try contacts.checked() } catch { throw row.error(error.description) }
    }
}
