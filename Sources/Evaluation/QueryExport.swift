import DemoData
package import Foundation
import Store

/// The query mix of the HTTP benchmarks (`scripts/bench.py`): queries of every variation
/// class, drawn the way `make eval` draws them, for exactly the records that
/// `mimamori demo-data --records N --seed S` writes (the generator is deterministic, so the
/// records are generated again here rather than read back).
///
/// Queries are drawn from a sample of at most `sampleSize` cases spread evenly over the whole
/// dataset; negatives (a name and birthdate nobody has) are checked against every person of
/// every record. Duplicate query texts are dropped, so every line is a distinct query.
package struct QueryExport {
    /// One exported query, written as one JSON line.
    package struct Line: Codable, Sendable, Equatable {
        /// The person the query must find: the case's holder and external id, and the person's role.
        package struct Target: Codable, Sendable, Equatable {
            package var authority: String
            package var externalID: String
            package var role: String

            enum CodingKeys: String, CodingKey {
                case authority
                case externalID = "external_id"
                case role
            }
        }

        /// The variation class's case name in code (`exactKanjiBirthdate`), stable for scripts.
        package var variation: String
        /// The class as the evaluation report names it (`exact kanji + birthdate`).
        package var label: String
        package var q: String
        /// Nil for negatives.
        package var target: Target?
    }

    package let records: Int
    package let seed: UInt64
    package let perClass: Int
    package let dictionaries: URL
    package let sampleSize: Int

    package init(records: Int, seed: UInt64, perClass: Int, dictionaries: URL, sampleSize: Int = 100_000) {
        self.records = records
        self.seed = seed
        self.perClass = perClass
        self.dictionaries = dictionaries
        self.sampleSize = sampleSize
    }

    /// Generates the dataset's records again and draws the queries; distinct texts, in class order.
    package func lines() throws -> [Line] {
        var generator = try DemoDataGenerator(dictionaries: dictionaries, seed: seed)
        let stride = max(1, (records + sampleSize - 1) / max(sampleSize, 1))
        var sample: [DemoCase] = []
        sample.reserveCapacity(min(records, sampleSize))
        // Every person's name and birthdate, hashed: enough to tell that a negative is nobody.
        var everyone = Set<Int>()
        for index in 0..<records {
            let demo = generator.next()
            if index % stride == 0 { sample.append(demo) }
            for person in demo.people { everyone.insert(Self.key(person.familyName, person.givenName, person.birthdateISO)) }
        }
        guard !sample.isEmpty else { return [] }
        var queryGenerator = QueryGenerator(cases: sample, random: EvaluationRandom(state: seed &+ 0xB3C4))
        var seen = Set<String>()
        var result: [Line] = []
        for query in queryGenerator.queries(perClass: perClass) where seen.insert(query.q).inserted {
            if query.variation == .negative {
                let parts = query.q.split(separator: " ").map(String.init)
                if parts.count == 3, everyone.contains(Self.key(parts[0], parts[1], parts[2])) { continue }
            }
            result.append(
                Line(
                    variation: "\(query.variation)", label: query.variation.rawValue, q: query.q,
                    target: query.target.map { Line.Target(authority: $0.authority, externalID: $0.externalID, role: $0.role) }))
        }
        return result
    }

    /// The lines as JSON Lines text (one object per line, keys sorted, UTF-8 unescaped).
    package static func jsonLines(_ lines: [Line]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try lines.map { String(decoding: try encoder.encode($0), as: UTF8.self) + "\n" }.joined()
    }

    private static func key(_ family: String, _ given: String, _ birthdate: String) -> Int {
        var hasher = Hasher()
        hasher.combine(family)
        hasher.combine(given)
        hasher.combine(birthdate)
        return hasher.finalize()
    }
}
