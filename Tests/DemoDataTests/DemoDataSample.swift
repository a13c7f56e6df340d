import DemoData
import Foundation
import Store

/// One dataset shared by the tests that measure it: 20,000 cases for seed 2026, with their
/// JSON lines parsed independently of the generator.
struct DemoDataSample: Sendable {
    static let recordCount = 20_000

    /// Built once, on first use; a failure (no dictionaries) is reported by every test that asks.
    static let shared: Result<DemoDataSample, DemoDataSampleError> = {
        do {
            return .success(try DemoDataSample(count: recordCount, seed: 2026))
        } catch {
            return .failure(DemoDataSampleError(description: String(describing: error)))
        }
    }()

    let cases: [DemoCase]
    let lines: [String]
    /// `lines` parsed with `JSONSerialization`.
    let records: [JSONValue]
    let oracle: DictionaryOracle

    init(count: Int, seed: UInt64) throws {
        let folder = try DictionaryDirectory.locate()
        var generator = try DemoDataGenerator(dictionaries: folder, seed: seed)
        var cases: [DemoCase] = []
        var lines: [String] = []
        var records: [JSONValue] = []
        for _ in 0..<count {
            let demoCase = generator.next()
            let line = demoCase.jsonLine
            cases.append(demoCase)
            lines.append(line)
            records.append(try JSONValue(parsing: line))
        }
        self.cases = cases
        self.lines = lines
        self.records = records
        oracle = try DictionaryOracle(folder: folder)
    }

    /// The import's validator over the shipped authority directory, on a fixed day (the
    /// sample's records are checked as an import on that day would check them).
    static func validator() throws -> RecordValidator {
        let folder = try DictionaryDirectory.locate()
        let directory = try AuthorityDirectory.load(
            authoritiesCSV: folder.appendingPathComponent("authorities.csv"),
            centresCSV: folder.appendingPathComponent("child-guidance-centres.csv"))
        return RecordValidator(directory: directory, today: try PartialDate(year: 2026, month: 4, day: 1))
    }

    /// Every person of every case with its JSON object, the child first in each case.
    var people: [(truth: DemoPerson, json: JSONValue)] {
        var result: [(DemoPerson, JSONValue)] = []
        for (demoCase, record) in zip(cases, records) {
            result.append((demoCase.child, record["child"]))
            result += zip(demoCase.guardians, record["guardians"].array).map { ($0, $1) }
            result += zip(demoCase.household, record["household"].array).map { ($0, $1) }
        }
        return result
    }
}

struct DemoDataSampleError: Error, CustomStringConvertible {
    let description: String
}

/// A JSON value as `JSONSerialization` reads it, in a `Sendable` form.
enum JSONValue: Sendable, Equatable {
    case object([String: JSONValue])
    case array([JSONValue])
    case string(String)
    case number(Double)
    case null
    /// A key that is not there.
    case absent

    init(parsing line: String) throws {
        self.init(try JSONSerialization.jsonObject(with: Data(line.utf8)))
    }

    init(_ value: Any) {
        switch value {
        case let object as [String: Any]: self = .object(object.mapValues(JSONValue.init))
        case let array as [Any]: self = .array(array.map(JSONValue.init))
        case let string as String: self = .string(string)
        case let number as NSNumber: self = .number(number.doubleValue)  // the format has no booleans
        default: self = .null
        }
    }

    subscript(key: String) -> JSONValue {
        if case .object(let object) = self { return object[key] ?? .absent }
        return .absent
    }

    var string: String? {
        if case .string(let string) = self { return string }
        return nil
    }

    var array: [JSONValue] {
        if case .array(let array) = self { return array }
        return []
    }

    var keys: Set<String> {
        if case .object(let object) = self { return Set(object.keys) }
        return []
    }
}

/// The dictionaries read again, independently of the generator, as the tests' oracle.
struct DictionaryOracle: Sendable {
    /// Municipality code → (prefecture name, municipality name).
    let municipalities: [String: (prefecture: String, name: String)]
    /// CGC code → the municipality codes of its jurisdiction, `*` expanded.
    let jurisdictions: [String: Set<String>]
    /// Given name → the sexes it is listed for (`male`, `female`, `any`), with its readings.
    let givenNames: [String: [(sex: String, reading: String)]]
    /// Family name → its readings.
    let familyNames: [String: Set<String>]

    init(folder: URL) throws {
        func rows(_ file: String, _ separator: Character) throws -> [[String]] {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            return text.split(separator: "\n").dropFirst().map { $0.split(separator: separator, omittingEmptySubsequences: false).map(String.init) }
        }
        var prefectures: [String: String] = [:]
        var municipalities: [String: (String, String)] = [:]
        var byPrefecture: [String: [String]] = [:]
        let authorities = try rows("authorities.csv", ",")
        for row in authorities where row[1] == "prefecture" { prefectures[row[2]] = row[3] }
        for row in authorities where row[1] == "municipality" {
            municipalities[row[0]] = (prefectures[row[2]] ?? "?", row[3])
            byPrefecture[row[2], default: []].append(row[0])
        }
        let centres = try rows("child-guidance-centres.csv", ",")
        let listed = Set(centres.filter { $0[5] != "*" }.flatMap { $0[5].split(separator: " ").map(String.init) })
        var jurisdictions: [String: Set<String>] = [:]
        for row in centres {
            jurisdictions[row[0]] =
                row[5] == "*"
                ? Set((byPrefecture[row[2]] ?? []).filter { !listed.contains($0) })
                : Set(row[5].split(separator: " ").map(String.init))
        }
        var givenNames: [String: [(String, String)]] = [:]
        var familyNames: [String: Set<String>] = [:]
        for row in try rows("person-names.tsv", "\t") {
            if row[0] == "given" { givenNames[row[1], default: []].append((row[3], row[2])) }
            if row[0] == "family" { familyNames[row[1], default: []].insert(row[2]) }
        }
        self.municipalities = municipalities
        self.jurisdictions = jurisdictions
        self.givenNames = givenNames
        self.familyNames = familyNames
    }
}

/// Recognises how a birthdate is written and reads it back, independently of the generator.
enum BirthdateReader {
    enum Form: Hashable, CaseIterable {
        case iso, slashes, compact, warekiLetters, warekiKanji, yearOnly, yearMonth
    }

    struct Reading: Equatable {
        let form: Form
        let year: Int
        let month: Int?
        let day: Int?
        /// The era letter a 和暦 form used (`H`), else nil.
        let era: String?
    }

    /// The form and the Gregorian date a birthdate text stands for; nil when it is none of the forms.
    static func read(_ text: String) -> Reading? {
        func match(_ pattern: String) -> [String]? {
            guard let regex = try? NSRegularExpression(pattern: "^" + pattern + "$"),
                let found = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text))
            else { return nil }
            return (1..<found.numberOfRanges).map { String(text[Range(found.range(at: $0), in: text)!]) }
        }
        if let g = match(#"(\d{4})-(\d{2})-(\d{2})"#) { return Reading(form: .iso, year: Int(g[0])!, month: Int(g[1]), day: Int(g[2]), era: nil) }
        if let g = match(#"(\d{4})-(\d{2})"#) { return Reading(form: .yearMonth, year: Int(g[0])!, month: Int(g[1]), day: nil, era: nil) }
        if let g = match(#"(\d{4})"#) { return Reading(form: .yearOnly, year: Int(g[0])!, month: nil, day: nil, era: nil) }
        if let g = match(#"(\d{4})/([1-9]\d?)/([1-9]\d?)"#) {
            return Reading(form: .slashes, year: Int(g[0])!, month: Int(g[1]), day: Int(g[2]), era: nil)
        }
        if let g = match(#"(\d{4})(\d{2})(\d{2})"#) { return Reading(form: .compact, year: Int(g[0])!, month: Int(g[1]), day: Int(g[2]), era: nil) }
        for era in eras {
            if let g = match(era.letter + #"([1-9]\d?)\.([1-9]\d?)\.([1-9]\d?)"#) {
                return Reading(form: .warekiLetters, year: era.firstYear + Int(g[0])! - 1, month: Int(g[1]), day: Int(g[2]), era: era.letter)
            }
            if let g = match(era.kanji + #"(元|[2-9]|[1-9]\d)年([1-9]\d?)月([1-9]\d?)日"#) {
                let year = g[0] == "元" ? 1 : Int(g[0])!
                return Reading(form: .warekiKanji, year: era.firstYear + year - 1, month: Int(g[1]), day: Int(g[2]), era: era.letter)
            }
        }
        return nil
    }

    /// The eras and their first Gregorian year.
    private static let eras: [(letter: String, kanji: String, firstYear: Int)] = [
        ("M", "明治", 1868), ("T", "大正", 1912), ("S", "昭和", 1926), ("H", "平成", 1989), ("R", "令和", 2019),
    ]

    /// The letter of the era a whole date falls in, from the days the eras began.
    static func eraLetter(year: Int, month: Int, day: Int) -> String {
        let date = (year, month, day)
        if date >= (2019, 5, 1) { return "R" }
        if date >= (1989, 1, 8) { return "H" }
        if date >= (1926, 12, 25) { return "S" }
        if date >= (1912, 7, 30) { return "T" }
        return "M"
    }
}
