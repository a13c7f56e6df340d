import Foundation

/// The parts of the dictionaries folder the generator draws from: municipalities with their
/// prefecture and covering child guidance centre, and weighted family and given names.
struct DemoDictionaries: Sendable {
    struct Municipality: Sendable {
        let code: String
        let name: String
        let prefectureCode: String
        let prefectureName: String
        /// The name without its trailing 市, 区, 町 or 村 (`千代田区` → `千代田`), for addresses and schools.
        let stem: String
        /// Index into `centres` of the CGC whose jurisdiction covers it, if any.
        var centre: Int?
    }

    struct Centre: Sendable {
        let code: String
        let name: String
        let prefectureCode: String
        /// Indices into `municipalities`, `*` expanded.
        var jurisdiction: [Int]
    }

    /// A name with its full-width katakana reading.
    struct Name: Sendable, Hashable {
        let name: String
        let reading: String
    }

    let municipalities: [Municipality]
    let centres: [Centre]
    /// Draws a municipality with probability proportional to its estimated population.
    let municipalityPicker: WeightedPicker
    let familyNames: WeightedTable<Name>
    let maleGivenNames: WeightedTable<Name>
    let femaleGivenNames: WeightedTable<Name>
    /// The share (by weight) of male and of female given names that are hiragana only (`さくら`).
    let maleHiraganaShare: Double
    let femaleHiraganaShare: Double

    /// Reads `authorities.csv`, `child-guidance-centres.csv` and `person-names.tsv` from `folder`.
    /// - Throws: `DemoDataError` naming the file and line when one is missing or malformed.
    init(folder: URL) throws(DemoDataError) {
        // Authorities.
        let authoritiesPath = folder.appendingPathComponent("authorities.csv").path
        var prefectureNames: [String: String] = [:]
        var rows: [(code: String, prefecture: String, name: String)] = []
        for (number, fields) in try DemoDictionaries.rows(
            authoritiesPath, separator: ",",
            header: ["code", "kind", "prefecture_code", "name", "kana"])
        {
            let code = fields[0]
            let kind = fields[1]
            let prefecture = fields[2]
            let name = fields[3]
            guard code.utf8.count == 6, code.utf8.allSatisfy({ (48...57).contains($0) }) else {
                throw .malformed(authoritiesPath, line: number, "code \"\(code)\" is not 6 digits")
            }
            guard PrefecturePopulation.tenThousands[prefecture] != nil else {
                throw .malformed(authoritiesPath, line: number, "prefecture_code \"\(prefecture)\" is not 01–47")
            }
            switch kind {
            case "prefecture": prefectureNames[prefecture] = name
            case "municipality": rows.append((code, prefecture, name))
            default: throw .malformed(authoritiesPath, line: number, "kind \"\(kind)\" is neither prefecture nor municipality")
            }
        }
        var municipalities: [Municipality] = []
        var indexOfCode: [String: Int] = [:]
        for row in rows {
            guard let prefectureName = prefectureNames[row.prefecture] else {
                throw .malformed(
                    authoritiesPath, line: 0, "municipality \(row.code) belongs to prefecture \(row.prefecture), which has no prefecture row")
            }
            indexOfCode[row.code] = municipalities.count
            municipalities.append(
                Municipality(
                    code: row.code, name: row.name, prefectureCode: row.prefecture,
                    prefectureName: prefectureName, stem: DemoDictionaries.stem(of: row.name)))
        }
        guard !municipalities.isEmpty else { throw .malformed(authoritiesPath, line: 1, "no municipality rows") }

        // Child guidance centres, `*` expanded to the prefecture's municipalities no other CGC lists.
        let centresPath = folder.appendingPathComponent("child-guidance-centres.csv").path
        var centres: [Centre] = []
        var wildcards: [Int] = []
        var listed = Set<Int>()
        for (number, fields) in try DemoDictionaries.rows(
            centresPath, separator: ",",
            header: ["code", "name", "prefecture_code", "operator_code", "contact", "jurisdiction"])
        {
            var centre = Centre(code: fields[0], name: fields[1], prefectureCode: fields[2], jurisdiction: [])
            let jurisdiction = fields[5].split(separator: " ").map(String.init)
            if jurisdiction == ["*"] {
                wildcards.append(centres.count)
            } else {
                for code in jurisdiction {
                    guard let index = indexOfCode[code] else {
                        throw .malformed(centresPath, line: number, "jurisdiction names \(code), which is not a municipality in authorities.csv")
                    }
                    centre.jurisdiction.append(index)
                    listed.insert(index)
                }
            }
            centres.append(centre)
        }
        for centre in wildcards {
            centres[centre].jurisdiction = municipalities.indices.filter {
                municipalities[$0].prefectureCode == centres[centre].prefectureCode && !listed.contains($0)
            }
        }
        for (centreIndex, centre) in centres.enumerated() {
            for municipality in centre.jurisdiction where municipalities[municipality].centre == nil {
                municipalities[municipality].centre = centreIndex
            }
        }

        // Municipality weights: the prefecture's population shared out by kind.
        var kindTotals: [String: Double] = [:]
        for municipality in municipalities {
            kindTotals[municipality.prefectureCode, default: 0] += MunicipalityWeight.of(code: municipality.code, name: municipality.name)
        }
        municipalityPicker = WeightedPicker(
            weights: municipalities.map { municipality in
                let population = Double(PrefecturePopulation.tenThousands[municipality.prefectureCode] ?? 0)
                let share = MunicipalityWeight.of(code: municipality.code, name: municipality.name) / (kindTotals[municipality.prefectureCode] ?? 1)
                return UInt64((population * share * 1_000_000).rounded())
            })
        self.municipalities = municipalities
        self.centres = centres

        // Names.
        let namesPath = folder.appendingPathComponent("person-names.tsv").path
        var family: [(Name, UInt64)] = []
        var male: [(Name, UInt64)] = []
        var female: [(Name, UInt64)] = []
        for (number, fields) in try DemoDictionaries.rows(
            namesPath, separator: "\t",
            header: ["kind", "name", "reading", "sex", "weight"])
        {
            guard let weight = UInt64(fields[4]), weight > 0 else {
                throw .malformed(namesPath, line: number, "weight \"\(fields[4])\" is not a positive integer")
            }
            guard !fields[1].isEmpty, KanaForm.isFullWidthKatakana(fields[2]) else {
                throw .malformed(namesPath, line: number, "reading \"\(fields[2])\" of \"\(fields[1])\" is not full-width katakana")
            }
            // ipadic's katakana-only person names are foreign names (ゴードン, ジリノフスキー);
            // children of foreign nationality are drawn from their own list.
            if KanaForm.isFullWidthKatakana(fields[1]) { continue }
            let name = Name(name: fields[1], reading: fields[2])
            switch (fields[0], fields[3]) {
            case ("family", _): family.append((name, weight))
            case ("given", "male"): male.append((name, weight))
            case ("given", "female"): female.append((name, weight))
            case ("given", "any"):
                male.append((name, weight))
                female.append((name, weight))
            default:
                throw .malformed(namesPath, line: number, "kind \"\(fields[0])\" / sex \"\(fields[3])\" is not family/any or given/male|female|any")
            }
        }
        guard !family.isEmpty, !male.isEmpty, !female.isEmpty else {
            throw .malformed(namesPath, line: 1, "needs family names and male and female given names")
        }
        familyNames = WeightedTable(family)
        maleHiraganaShare = DemoDictionaries.hiraganaShare(male)
        femaleHiraganaShare = DemoDictionaries.hiraganaShare(female)
        maleGivenNames = WeightedTable(male)
        femaleGivenNames = WeightedTable(female)
    }

    /// The data rows of a delimited file (no quoting), with 1-based line numbers; checks the header.
    private static func rows(_ path: String, separator: Character, header: [String]) throws(DemoDataError) -> [(Int, [String])] {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw .unreadable(path, String(describing: error))
        }
        var result: [(Int, [String])] = []
        // `isNewline` also splits at "\r\n", which Swift counts as one character.
        for (offset, line) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            if line.isEmpty { continue }
            let fields = line.split(separator: separator, omittingEmptySubsequences: false).map(String.init)
            if offset == 0 {
                guard fields == header else {
                    throw .malformed(path, line: 1, "header is \"\(line)\", expected \"\(header.joined(separator: String(separator)))\"")
                }
                continue
            }
            guard fields.count == header.count else {
                throw .malformed(path, line: offset + 1, "\(fields.count) fields, expected \(header.count)")
            }
            result.append((offset + 1, fields))
        }
        return result
    }

    private static func hiraganaShare(_ names: [(Name, UInt64)]) -> Double {
        let total = names.reduce(0) { $0 + $1.1 }
        let hiragana = names.reduce(0) { $0 + (KanaForm.isHiragana($1.0.name) ? $1.1 : 0) }
        return Double(hiragana) / Double(total)
    }

    /// `千代田区` → `千代田`; a one-character name such as `津市` keeps `津`.
    private static func stem(of name: String) -> String {
        guard name.count >= 2, let last = name.last, "市区町村".contains(last) else { return name }
        return String(name.dropLast())
    }
}
