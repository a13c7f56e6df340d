import Evaluation
import Foundation
import MimamoriTesting
import Testing

/// The HTTP benchmark's query mix (`mimamori bench queries`) and its translation into Groonga
/// selects (`scripts/bench.py BINARY check`), at a small scale: `make bench` itself is not a test.
struct BenchQueriesTests {
    @Test("mimamori bench queries writes at least 400 distinct queries covering every variation class")
    func queryMix() throws {
        let run = try CommandRun.mimamori(["bench", "queries", "--records", "2000", "--seed", "7"])
        #expect(run.status == 0, "\(run.standardError)")
        let decoder = JSONDecoder()
        let lines = try run.standardOutput.split(separator: "\n").map { try decoder.decode(QueryExport.Line.self, from: Data($0.utf8)) }
        #expect(lines.count >= 400)
        #expect(Set(lines.map(\.q)).count == lines.count, "a query text is repeated")
        let classes = Set(lines.map(\.variation))
        for variation in EvaluationQuery.VariationClass.allCases {
            #expect(classes.contains("\(variation)"), "no query of the class \(variation.rawValue)")
        }
        for line in lines {
            #expect((line.target == nil) == (line.variation == "negative"), "\(line.variation): \(line.q)")
        }
    }

    @Test("scripts/bench.py check: every query of the mix becomes a well-formed Groonga select that Groonga answers")
    func groongaTranslation() throws {
        let script = TestStore.dictionaries.deletingLastPathComponent().appendingPathComponent("scripts/bench.py")
        let run = try CommandRun.program(URL(fileURLWithPath: "/usr/bin/python3"), [script.path, TestStore.executable.path, "check"])
        #expect(run.status == 0, "\(run.standardOutput)\n\(run.standardError)")
        let line = try #require(run.standardOutput.split(separator: "\n").last)
        let figures = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        let queries = try #require(figures["queries"] as? Int)
        #expect(queries >= 400)
        #expect(figures["distinct"] as? Int == queries)
        #expect(figures["groonga_replies"] as? Int == queries)
        #expect((figures["problems"] as? [String])?.isEmpty == true, "\(figures["problems"] ?? "")")
        // Groonga finds most targets: a translation that dropped the name or the date would not.
        #expect((figures["groonga_recall_at_10"] as? Double ?? 0) >= 0.5, "\(line)")
    }
}
