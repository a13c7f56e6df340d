import ArgumentParser
import Evaluation
import Foundation
import Store

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks that run in process (make bench drives them).",
        subcommands: [Search.self, Queries.self]
    )

    struct Search: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Index build rate and size, and search latency beside a bare FTS5 MATCH, at N person entries.",
            discussion: "Builds its own store in a temporary folder; --data is not touched. Prints one JSON object.")

        @OptionGroup var options: DataOptions
        @Option(help: "Person entries (children, guardians, household members) to index.") var persons = 100_000
        @Option(help: "Timed queries (after 200 warm-up queries).") var queries = 2_000
        @Option(help: "The dataset's seed.") var seed: UInt64 = 5
        @Option(help: "The queries: classic (four forms of a child's name and birthdate) or classes (every variation class of make eval).")
        var mix: SearchBenchmark.Mix = .classic
        @Option(help: "Keep the dataset in this folder, and reuse it when it already holds one of the same size and seed.")
        var folder: String?

        func run() throws {
            let benchmark = SearchBenchmark(
                persons: persons, seed: seed, queries: queries,
                dictionaries: try DictionaryDirectory.locate(explicit: options.dictionaries), mix: mix)
            let figures: SearchBenchmark.Figures
            if let folder {
                let url = URL(fileURLWithPath: folder)
                try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
                figures = try benchmark.run(in: url) { printError($0) }
            } else {
                figures = try withTemporaryFolder("bench") { folder in try benchmark.run(in: folder) { printError($0) } }
            }
            func ms(_ value: Double) -> Double { (value * 1000).rounded() / 1000 }
            func percentiles(_ value: SearchBenchmark.Percentiles) -> [String: Double] {
                ["p50": ms(value.p50), "p95": ms(value.p95), "p99": ms(value.p99)]
            }
            var object: [String: Any] = [
                "persons": figures.persons, "records": figures.records, "mix": mix.rawValue,
                "index_mib": (Double(figures.indexBytes) / 1_048_576 * 10).rounded() / 10,
                "queries": figures.queries,
                "search_ms": percentiles(figures.search),
                "search_cpu_ms": percentiles(figures.searchCPU),
                "audited_search_ms": percentiles(figures.auditedSearch),
                "bare_match_ms": percentiles(figures.bareMatch),
                "p95_ratio_to_bare_match": figures.bareMatch.p95 > 0 ? (figures.search.p95 / figures.bareMatch.p95 * 100).rounded() / 100 : 0,
                "hits_per_search": (figures.hitsPerSearch * 100).rounded() / 100,
                "truncated_searches": figures.truncatedSearches,
                "audit_rows_per_search": (figures.auditRowsPerSearch * 100).rounded() / 100,
                "keys_decode_us": (figures.keysDecodeMicroseconds * 100).rounded() / 100,
                "persons_read_per_search": (figures.personsReadPerSearch * 10).rounded() / 10,
            ]
            if let seconds = figures.indexSeconds {
                object["index_seconds"] = (seconds * 10).rounded() / 10
                object["index_persons_per_s"] = Int(Double(figures.persons) / max(seconds, 0.001))
            }
            if let bytes = figures.auditBytesPerSearch { object["audit_bytes_per_search"] = Int(bytes) }
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        }
    }

    /// `mimamori bench queries`: the HTTP benchmark's query mix as JSON lines.
    struct Queries: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the benchmark's query mix (every variation class, distinct texts) as JSON lines.",
            discussion: """
                The queries are drawn for the records `mimamori demo-data --records N --seed S` writes with the same \
                --records and --seed (generated again here, not read). One object per line: variation, label, q, and \
                target (authority, external_id, role; null for negatives).
                """)

        @OptionGroup var options: DataOptions
        @Option(help: "The dataset's records (as given to demo-data).") var records = 100_000
        @Option(help: "The dataset's seed (as given to demo-data).") var seed: UInt64 = 7
        @Option(help: "Queries drawn per variation class (before duplicates are dropped).") var perClass = 20
        @Option(help: "The file to write, or - for standard output.", completion: .file(extensions: ["jsonl"])) var output = "-"

        func validate() throws {
            guard records > 0 else { throw ValidationError("--records must be 1 or more, not \(records)") }
            guard perClass > 0 else { throw ValidationError("--per-class must be 1 or more, not \(perClass)") }
        }

        func run() throws {
            let export = QueryExport(
                records: records, seed: seed, perClass: perClass, dictionaries: try DictionaryDirectory.locate(explicit: options.dictionaries))
            let text = try QueryExport.jsonLines(try export.lines())
            if output == "-" {
                print(text, terminator: "")
            } else {
                try Data(text.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
            }
        }
    }
}

extension SearchBenchmark.Mix: ExpressibleByArgument {}
