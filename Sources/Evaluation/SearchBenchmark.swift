import DemoData
package import Foundation
import Indexer
import Query
import Store

/// Measures the search at a given number of person entries: index build rate and size, and
/// search latency (parse + retrieve + rank + access filter, in process, after warm-up) beside
/// a bare FTS5 `MATCH` of the same first-stage expression on the same index.
package struct SearchBenchmark {
    package struct Figures: Sendable {
        package var persons: Int
        package var records: Int
        package var indexSeconds: Double
        package var indexBytes: Int
        package var queries: Int
        package var search: Percentiles
        package var bareMatch: Percentiles
    }

    package struct Percentiles: Sendable {
        package var p50: Double
        package var p95: Double
        package var p99: Double

        init(_ samples: [Double]) {
            let sorted = samples.sorted()
            func at(_ fraction: Double) -> Double { sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * fraction))] }
            p50 = at(0.50)
            p95 = at(0.95)
            p99 = at(0.99)
        }
    }

    package let persons: Int
    package let seed: UInt64
    package let queries: Int
    package let dictionaries: URL

    package init(persons: Int, seed: UInt64, queries: Int, dictionaries: URL) {
        self.persons = persons
        self.seed = seed
        self.queries = queries
        self.dictionaries = dictionaries
    }

    package func run(in folder: URL, progress: (String) -> Void = { _ in }) throws -> Figures {
        // A dataset with at least `persons` person entries; the first 50,000 cases give the queries.
        let file = folder.appendingPathComponent("bench.jsonl")
        let (cases, records) = try DemoDataset.write(to: file, dictionaries: dictionaries, seed: seed, keep: 50_000) { _, written in
            written >= persons
        }
        progress("generated \(records) records")

        // Import without the index, then build the index alone: its rate is the figure.
        let data = folder.appendingPathComponent("data")
        let store = try Store(dataDirectory: data, dictionaries: dictionaries)
        let report = try JSONLinesImporter(store: store, actor: .localAdministrator).run(file)
        guard report.committed else { throw StoreError(.invalidInput, "bench data did not import: \(report.errors.prefix(3))") }
        progress("imported")
        let index = try SearchIndex(dataDirectory: data, analyzer: try NameAnalyzer(dictionaries: dictionaries))
        let started = Date()
        let indexed = try index.rebuild(from: store)
        let indexSeconds = Date().timeIntervalSince(started)
        let indexBytes = ["index.sqlite", "index.sqlite-wal"].reduce(0) { total, name in
            total + ((try? FileManager.default.attributesOfItem(atPath: data.appendingPathComponent(name).path)[.size] as? Int) ?? 0)
        }
        progress("indexed \(indexed) persons in \(String(format: "%.1f", indexSeconds)) s")

        // Queries as intake workers type them, from the truth.
        var random = EvaluationRandom(state: seed &+ 0xBE4C)
        var texts: [String] = []
        while texts.count < queries + 200 {
            let child = cases[random.next(below: cases.count)].child
            guard !child.isForeignNational else { continue }
            switch random.next(below: 4) {
            case 0: texts.append("\(child.familyName) \(child.givenName) \(child.birthdateISO)")
            case 1:
                texts.append(
                    "\(KanaForm.hiragana(child.familyNameKana)) \(KanaForm.hiragana(child.givenNameKana)) \(child.birthdate.warekiLetters ?? child.birthdateISO)"
                )
            case 2: texts.append("\(PassportRomaji.spell(child.familyNameKana)) \(PassportRomaji.spell(child.givenNameKana)) \(child.birthdateISO)")
            default: texts.append("\(child.familyName) \(child.birthdateISO)")
            }
        }
        let engine = SearchEngine(store: store, index: index)
        let parsed = try texts.map { try engine.parser.parse(SearchRequest(q: $0)) }
        // The baseline: the same FTS5 queries the search runs, without reading rows or ranking.
        // It stops where the search stops.
        func bareMatch(_ query: SearchQuery) throws {
            var found = 0
            for stage in engine.stages(for: query) {
                found += try index.matchCount(stage.expression, limit: stage.limit, ranked: stage.ranked)
                if SearchEngine.stops(after: stage, found: found, query: query) { break }
            }
        }
        // Warm-up.
        for query in parsed.prefix(200) {
            _ = try engine.check(query, as: .localAdministrator)
            try bareMatch(query)
        }
        var searchTimes: [Double] = []
        var matchTimes: [Double] = []
        for (text, query) in zip(texts.dropFirst(200), parsed.dropFirst(200)) {
            let start = DispatchTime.now().uptimeNanoseconds
            let reparsed = try engine.parser.parse(SearchRequest(q: text))
            _ = try engine.check(reparsed, as: .localAdministrator)
            let middle = DispatchTime.now().uptimeNanoseconds
            try bareMatch(query)
            let end = DispatchTime.now().uptimeNanoseconds
            searchTimes.append(Double(middle - start) / 1e6)
            matchTimes.append(Double(end - middle) / 1e6)
        }
        return Figures(
            persons: indexed, records: records, indexSeconds: indexSeconds, indexBytes: indexBytes, queries: searchTimes.count,
            search: Percentiles(searchTimes), bareMatch: Percentiles(matchTimes))
    }
}
