import ArgumentParser
import Evaluation
import Foundation
import Store

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks that run in process (make bench drives them).",
        subcommands: [Search.self]
    )

    struct Search: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Index build rate and size, and search latency beside a bare FTS5 MATCH, at N person entries.",
            discussion: "Builds its own store in a temporary folder; --data is not touched. Prints one JSON object.")

        @OptionGroup var options: DataOptions
        @Option(help: "Person entries (children, guardians, household members) to index.") var persons = 100_000
        @Option(help: "Timed queries (after 200 warm-up queries).") var queries = 2_000
        @Option(help: "The dataset's seed.") var seed: UInt64 = 5

        func run() throws {
            let benchmark = SearchBenchmark(
                persons: persons, seed: seed, queries: queries,
                dictionaries: try DictionaryDirectory.locate(explicit: options.dictionaries))
            let figures = try withTemporaryFolder("bench") { folder in try benchmark.run(in: folder) { printError($0) } }
            func ms(_ value: Double) -> Double { (value * 1000).rounded() / 1000 }
            let object: [String: Any] = [
                "persons": figures.persons, "records": figures.records,
                "index_seconds": (figures.indexSeconds * 10).rounded() / 10,
                "index_persons_per_s": Int(Double(figures.persons) / max(figures.indexSeconds, 0.001)),
                "index_mib": (Double(figures.indexBytes) / 1_048_576 * 10).rounded() / 10,
                "queries": figures.queries,
                "search_ms": ["p50": ms(figures.search.p50), "p95": ms(figures.search.p95), "p99": ms(figures.search.p99)],
                "bare_match_ms": ["p50": ms(figures.bareMatch.p50), "p95": ms(figures.bareMatch.p95), "p99": ms(figures.bareMatch.p99)],
                "p95_ratio_to_bare_match": figures.bareMatch.p95 > 0 ? (figures.search.p95 / figures.bareMatch.p95 * 100).rounded() / 100 : 0,
            ]
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        }
    }
}
