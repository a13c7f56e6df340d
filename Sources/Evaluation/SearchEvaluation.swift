import DemoData
package import Foundation
import Indexer
import Query
import Store

/// The search-quality evaluation: builds a demo dataset with known truth, imports and
/// indexes it, runs queries of every variation class, and reports recall@1, recall@10 and
/// MRR per class, and how often a query for someone who is not there gets a confident hit.
package struct SearchEvaluation {
    package struct ClassFigures: Sendable {
        package var variation: EvaluationQuery.VariationClass
        package var queries = 0
        package var atOne = 0
        package var atTen = 0
        package var reciprocalRanks = 0.0
        package var recallAtOne: Double { queries == 0 ? 0 : Double(atOne) / Double(queries) }
        package var recallAtTen: Double { queries == 0 ? 0 : Double(atTen) / Double(queries) }
        package var meanReciprocalRank: Double { queries == 0 ? 0 : reciprocalRanks / Double(queries) }
        /// The sum of every query's `total` (the number of hits, whatever the page).
        package var hits = 0
        package var hitsPerQuery: Double { queries == 0 ? 0 : Double(hits) / Double(queries) }
        /// Queries whose target was not in the first ten, for the report.
        package var misses: [String] = []
    }

    package struct Report: Sendable {
        package var records: Int
        package var persons: Int
        package var classes: [ClassFigures]
        package var negativeQueries = 0
        /// Negative queries with at least one hit graded exact or likely.
        package var negativeConfident = 0
        /// The sum of the negative queries' `total`.
        package var negativeHits = 0
        /// The most hits a negative query had.
        package var negativeMostHits = 0
        /// Queries whose `total` differed between a page of 10 and a page of 100 (it must not).
        package var totalDependsOnLimit = 0
        /// Queries, of every class and the negatives, and the sum of their `total`.
        package var allQueries: Int { classes.reduce(negativeQueries) { $0 + $1.queries } }
        package var allHits: Int { classes.reduce(negativeHits) { $0 + $1.hits } }
        package var hitsPerQuery: Double { allQueries == 0 ? 0 : Double(allHits) / Double(allQueries) }
        /// Negative queries that got a confident hit, with that hit, for the report.
        package var negativeExamples: [String] = []
        package var negativeConfidentRate: Double { negativeQueries == 0 ? 0 : Double(negativeConfident) / Double(negativeQueries) }
        package var negativeAverageHits: Double { negativeQueries == 0 ? 0 : Double(negativeHits) / Double(negativeQueries) }
        /// Recall@1 over the queries of every class (the negatives have no target).
        package var recallAtOne: Double {
            let queries = classes.reduce(0) { $0 + $1.queries }
            return queries == 0 ? 0 : Double(classes.reduce(0) { $0 + $1.atOne }) / Double(queries)
        }
    }

    package let records: Int
    package let seed: UInt64
    package let queriesPerClass: Int
    package let dictionaries: URL

    package init(records: Int, seed: UInt64, queriesPerClass: Int, dictionaries: URL) {
        self.records = records
        self.seed = seed
        self.queriesPerClass = queriesPerClass
        self.dictionaries = dictionaries
    }

    /// Runs the evaluation in `folder` (a store is created there).
    package func run(in folder: URL, progress: (String) -> Void = { _ in }) throws -> Report {
        let file = folder.appendingPathComponent("evaluation.jsonl")
        let cases = try DemoDataset.write(to: file, dictionaries: dictionaries, seed: seed, keep: records) { written, _ in
            written >= records
        }.cases
        progress("generated \(records) records")

        let store = try Store(dataDirectory: folder.appendingPathComponent("data"), dictionaries: dictionaries)
        let index = try SearchIndex.attach(to: store, analyzer: try NameAnalyzer(dictionaries: dictionaries))
        let imported = try JSONLinesImporter(store: store, actor: .localAdministrator).run(file)
        guard imported.committed else {
            throw StoreError(.invalidInput, "the demo data did not import: \(imported.errors.prefix(3))")
        }
        let engine = SearchEngine(store: store, index: index)
        progress("imported and indexed \(try index.personCount()) persons")

        var queryGenerator = QueryGenerator(cases: cases, random: EvaluationRandom(state: seed &+ 0xE7A1))
        var queries = queryGenerator.queries(perClass: queriesPerClass)
        let truth = Set(cases.flatMap { $0.people.map { "\($0.familyName)\u{1F}\($0.givenName)\u{1F}\($0.birthdateISO)" } })
        queries.removeAll { query in
            guard query.variation == .negative else { return false }
            let parts = query.q.split(separator: " ")
            return truth.contains(parts.joined(separator: "\u{1F}"))
        }

        var report = Report(
            records: records, persons: try index.personCount(),
            classes: EvaluationQuery.VariationClass.allCases.filter { $0 != .negative }.map { ClassFigures(variation: $0) })
        for start in stride(from: 0, to: queries.count, by: 500) {
            let chunk = Array(queries[start..<min(start + 500, queries.count)])
            let outcomes = try engine.search(batch: chunk.map { SearchRequest(q: $0.q, limit: 10) }, as: .localAdministrator)
            // The same queries with a page of 100: `total` must not change.
            let longer = try engine.search(batch: chunk.map { SearchRequest(q: $0.q, limit: 100) }, as: .localAdministrator)
            for ((query, outcome), long) in zip(zip(chunk, outcomes), longer) {
                let hits = (try? outcome.get())?.hits ?? []
                let total = (try? outcome.get())?.total ?? 0
                if total != (try? long.get())?.total ?? 0 { report.totalDependsOnLimit += 1 }
                guard let target = query.target else {
                    report.negativeQueries += 1
                    report.negativeHits += total
                    report.negativeMostHits = max(report.negativeMostHits, total)
                    if let confident = hits.first(where: { $0.grade != .possible }) {
                        report.negativeConfident += 1
                        if report.negativeExamples.count < 5 {
                            report.negativeExamples.append(
                                "\(query.q) → \(confident.person.name) \(confident.person.birthdate ?? "-") [\(confident.grade.rawValue)] \(confident.why.map(\.description).joined(separator: "; "))"
                            )
                        }
                    }
                    continue
                }
                let isTarget = { (hit: SearchHit) in
                    hit.authority.code == target.authority && hit.externalID == target.externalID && hit.person.role == target.role
                }
                var position = hits.firstIndex(where: isTarget)
                if query.variation == .nameOnly {
                    // Namesakes the query cannot tell from the target do not push it down.
                    let page = (try? long.get())?.hits ?? []
                    let name = query.q.filter { !$0.isWhitespace }
                    position = page.firstIndex(where: isTarget).map { at in
                        page[..<at].filter { $0.person.name.filter { !$0.isWhitespace } != name }.count
                    }
                }
                let slot = report.classes.firstIndex { $0.variation == query.variation }!
                report.classes[slot].queries += 1
                report.classes[slot].hits += total
                if position == 0 { report.classes[slot].atOne += 1 }
                if let position, position < 10 {
                    report.classes[slot].atTen += 1
                    report.classes[slot].reciprocalRanks += 1 / Double(position + 1)
                } else if report.classes[slot].misses.count < 5 {
                    report.classes[slot].misses.append(query.q)
                }
            }
            progress("ran \(min(start + 500, queries.count)) of \(queries.count) queries")
        }
        return report
    }
}

extension SearchEvaluation.Report {
    /// The report as a table.
    package var text: String {
        func percent(_ value: Double) -> String { String(format: "%6.1f%%", value * 100) }
        var lines = ["\(records) records, \(persons) persons indexed", ""]
        lines.append("class                               queries  recall@1  recall@10    MRR   hits")
        for figures in classes {
            let name = figures.variation.rawValue.padding(toLength: 34, withPad: " ", startingAt: 0)
            lines.append(
                "\(name) \(String(format: "%8d", figures.queries))  \(percent(figures.recallAtOne))   \(percent(figures.recallAtTen))  \(String(format: "%.3f", figures.meanReciprocalRank)) \(String(format: "%6.2f", figures.hitsPerQuery))"
            )
        }
        lines.append("")
        lines.append(
            "negative queries: \(negativeQueries), with an exact or likely hit: \(percent(negativeConfidentRate)), hits per query: \(String(format: "%.2f", negativeAverageHits)) (most \(negativeMostHits))"
        )
        lines.append(
            "hits per query (total, every class and the negatives): \(String(format: "%.2f", hitsPerQuery)); queries whose total changed with the page size (10 or 100): \(totalDependsOnLimit)"
        )
        let lowest = classes.min { $0.recallAtTen < $1.recallAtTen }
        let exactFirst = classes.first { $0.variation == .exactKanjiBirthdate }?.recallAtOne ?? 0
        lines.append("")
        lines.append(
            "targets: recall@10 ≥ 99% on every class (lowest: \(lowest.map { "\($0.variation.rawValue) \(percent($0.recallAtTen))" } ?? "-")) — \((lowest?.recallAtTen ?? 0) >= 0.99 ? "met" : "NOT MET")"
        )
        lines.append("         recall@1 ≥ 95% on exact kanji + birthdate (\(percent(exactFirst))) — \(exactFirst >= 0.95 ? "met" : "NOT MET")")
        lines.append(
            "         recall@1 ≥ 97% over every class (\(percent(recallAtOne))), ≤ 5 hits per query (\(String(format: "%.2f", hitsPerQuery))) — \(recallAtOne >= 0.97 && hitsPerQuery <= 5 ? "met" : "NOT MET")"
        )
        lines.append(
            "         ≤ 1% of negatives with an exact or likely hit (\(percent(negativeConfidentRate))), ≤ 5 hits per negative query (\(String(format: "%.2f", negativeAverageHits))) — \(negativeConfidentRate <= 0.01 && negativeAverageHits <= 5 ? "met" : "NOT MET")"
        )
        if !negativeExamples.isEmpty {
            lines.append("negative queries with a confident hit:")
            for example in negativeExamples { lines.append("  \(example)") }
        }
        let missed = classes.filter { !$0.misses.isEmpty }
        if !missed.isEmpty {
            lines.append("")
            lines.append("examples of misses (target not in the first ten):")
            for figures in missed { lines.append("  \(figures.variation.rawValue): \(figures.misses.joined(separator: " | "))") }
        }
        return lines.joined(separator: "\n")
    }
}
