import DemoData
package import Foundation
import Indexer
import Query
import Store

#if canImport(Glibc)
    import Glibc
#endif

/// Measures the search at a given number of person entries: index build rate and size, and
/// search latency (parse + retrieve + rank + access filter, in process, after warm-up) beside
/// a bare FTS5 `MATCH` of the same first-stage expression on the same index.
package struct SearchBenchmark {
    package struct Figures: Sendable {
        package var persons: Int
        package var records: Int
        /// Nil when the index was reused from an earlier run (`--folder`).
        package var indexSeconds: Double?
        package var indexBytes: Int
        package var queries: Int
        /// Parse, retrieve, rank and access-filter, as the service's own check (not audited).
        package var search: Percentiles
        /// The same searches in CPU time of the searching thread: what a search costs, less
        /// the waits of a busy machine (the wall-clock tail moves with other load; this does not).
        package var searchCPU: Percentiles
        /// The same searches as a worker of another authority: access-filtered and audited,
        /// each in its own group commit (one search after another).
        package var auditedSearch: Percentiles
        package var bareMatch: Percentiles
        /// Hits per search (`total`), and searches that stopped at the work budget.
        package var hitsPerSearch: Double
        package var truncatedSearches: Int
        /// Audit cost per audited search: rows written (the entry and one row per case on the
        /// page) and bytes written to the catalogue's files (nil where /proc/self/io is missing).
        /// Each search of this one-after-another run is its own group commit.
        package var auditRowsPerSearch: Double
        package var auditBytesPerSearch: Double?
        /// Decoding the stored keys of one person (the `keys` column), in microseconds.
        package var keysDecodeMicroseconds: Double
        /// Persons read from the index and decoded per search (candidates of every stage):
        /// with `keysDecodeMicroseconds`, what decoding the stored keys costs a search.
        package var personsReadPerSearch: Double
    }

    /// Which queries are timed.
    package enum Mix: String, Sendable, CaseIterable {
        /// Four forms of a child's name and birthdate (kanji, hiragana + 和暦, passport romaji,
        /// family name + birthdate): the mix of the earlier figures.
        case classic
        /// Every variation class of `make eval`, name-only queries and negatives included.
        case classes
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
    package let mix: Mix

    package init(persons: Int, seed: UInt64, queries: Int, dictionaries: URL, mix: Mix = .classic) {
        self.persons = persons
        self.seed = seed
        self.queries = queries
        self.dictionaries = dictionaries
        self.mix = mix
    }

    /// Runs the benchmark in `folder`. A folder that already holds this benchmark's data (same
    /// persons and seed, from an earlier run) is reused: the data is not generated, imported
    /// or indexed again, so that several runs at a million records take minutes, not hours.
    package func run(in folder: URL, progress: (String) -> Void = { _ in }) throws -> Figures {
        let file = folder.appendingPathComponent("bench.jsonl")
        let data = folder.appendingPathComponent("data")
        let marker = folder.appendingPathComponent("bench-\(persons)-\(seed).done")
        let reused = FileManager.default.fileExists(atPath: marker.path)
        let cases: [DemoCase]
        var records: Int
        if reused {
            // The first 50,000 cases again (the generator is seeded): the queries' truth.
            var generator = try DemoDataGenerator(dictionaries: dictionaries, seed: seed)
            cases = (0..<50_000).map { _ in generator.next() }
            records = Int((try? String(contentsOf: marker, encoding: .utf8)).flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) } ?? 0)
            progress("reusing the data in \(folder.path)")
        } else {
            // A dataset with at least `persons` person entries; the first 50,000 cases give the queries.
            (cases, records) = try DemoDataset.write(to: file, dictionaries: dictionaries, seed: seed, keep: 50_000) { _, written in
                written >= persons
            }
            progress("generated \(records) records")
        }

        // Import without the index, then build the index alone: its rate is the figure.
        let store = try Store(dataDirectory: data, dictionaries: dictionaries)
        if !reused {
            let report = try JSONLinesImporter(store: store, actor: .localAdministrator).run(file)
            guard report.committed else { throw StoreError(.invalidInput, "bench data did not import: \(report.errors.prefix(3))") }
            progress("imported")
        }
        let index = try SearchIndex(dataDirectory: data, analyzer: try NameAnalyzer(dictionaries: dictionaries))
        var indexSeconds: Double?
        var indexed = try index.personCount()
        if indexed == 0 {
            let started = Date()
            indexed = try index.rebuild(from: store)
            indexSeconds = Date().timeIntervalSince(started)
            progress("indexed \(indexed) persons in \(String(format: "%.1f", indexSeconds ?? 0)) s")
        } else {
            _ = try index.catchUp(from: store)
        }
        try "\(records)\n".write(to: marker, atomically: true, encoding: .utf8)
        let indexBytes = ["index.sqlite", "index.sqlite-wal"].reduce(0) { total, name in
            total + ((try? FileManager.default.attributesOfItem(atPath: data.appendingPathComponent(name).path)[.size] as? Int) ?? 0)
        }

        let texts = queryTexts(cases)
        let engine = SearchEngine(store: store, index: index)
        let parsed = try texts.map { try engine.parser.parse(SearchRequest(q: $0)) }
        // The baseline: one bare FTS5 MATCH of every name piece and the birthdate (as a plain
        // full-text engine would run it), reading a page of row ids, nothing ranked or read.
        func bareMatch(_ query: SearchQuery) throws {
            if let stage = engine.stages(for: query).first { _ = try index.matchCount(stage.expression, limit: query.limit, ranked: false) }
        }
        // Warm-up.
        for query in parsed.prefix(200) {
            _ = try engine.check(query, as: .localAdministrator)
            try bareMatch(query)
        }
        var searchTimes: [Double] = []
        var cpuTimes: [Double] = []
        var matchTimes: [Double] = []
        var hits = 0
        var truncated = 0
        let readBefore = index.personsRead
        for (text, query) in zip(texts.dropFirst(200), parsed.dropFirst(200)) {
            let cpuStart = Self.threadCPUNanoseconds()
            let start = DispatchTime.now().uptimeNanoseconds
            let reparsed = try engine.parser.parse(SearchRequest(q: text))
            let result = try engine.check(reparsed, as: .localAdministrator)
            let middle = DispatchTime.now().uptimeNanoseconds
            cpuTimes.append(Double(Self.threadCPUNanoseconds() - cpuStart) / 1e6)
            try bareMatch(query)
            let end = DispatchTime.now().uptimeNanoseconds
            searchTimes.append(Double(middle - start) / 1e6)
            matchTimes.append(Double(end - middle) / 1e6)
            hits += result.total
            if result.truncated { truncated += 1 }
        }

        let personsRead = Double(index.personsRead - readBefore) / Double(max(searchTimes.count, 1))

        // The same searches by a worker of another authority: filtered and audited.
        let worker = Actor.user(login: "bench", authority: "271004-01", role: .worker)
        var auditedTimes: [Double] = []
        var auditRows = 0
        let writtenBefore = Self.bytesWritten()
        for text in texts.dropFirst(200) {
            let start = DispatchTime.now().uptimeNanoseconds
            let result = try engine.search(SearchRequest(q: text), as: worker)
            auditedTimes.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
            auditRows += 1 + Set(result.hits.map(\.caseID)).count
        }
        let written = Self.bytesWritten().flatMap { after in writtenBefore.map { after - $0 } }
        let audited = Double(max(auditedTimes.count, 1))

        return Figures(
            persons: indexed, records: records, indexSeconds: indexSeconds, indexBytes: indexBytes, queries: searchTimes.count,
            search: Percentiles(searchTimes), searchCPU: Percentiles(cpuTimes), auditedSearch: Percentiles(auditedTimes),
            bareMatch: Percentiles(matchTimes),
            hitsPerSearch: Double(hits) / Double(max(searchTimes.count, 1)), truncatedSearches: truncated,
            auditRowsPerSearch: Double(auditRows) / audited, auditBytesPerSearch: written.map { Double($0) / audited },
            keysDecodeMicroseconds: try keysDecodeTime(index), personsReadPerSearch: personsRead)
    }

    /// The timed queries (and 200 warm-up ones before them), as intake workers type them.
    private func queryTexts(_ cases: [DemoCase]) -> [String] {
        var random = EvaluationRandom(state: seed &+ 0xBE4C)
        switch mix {
        case .classic:
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
                case 2:
                    texts.append("\(PassportRomaji.spell(child.familyNameKana)) \(PassportRomaji.spell(child.givenNameKana)) \(child.birthdateISO)")
                default: texts.append("\(child.familyName) \(child.birthdateISO)")
                }
            }
            return texts
        case .classes:
            let classes = EvaluationQuery.VariationClass.allCases.count
            var generator = QueryGenerator(cases: cases, random: random)
            var texts = generator.queries(perClass: (queries + 200 + classes - 1) / classes).map(\.q)
            // Interleaved, so the warm-up and every stretch of the run hold every class.
            for position in texts.indices.reversed() { texts.swapAt(position, random.next(below: position + 1)) }
            return Array(texts.prefix(queries + 200))
        }
    }

    /// Microseconds to decode one person's stored keys (the `keys` column), over a sample.
    private func keysDecodeTime(_ index: SearchIndex) throws -> Double {
        let sample = try index.sampleCompactKeys(limit: 20_000)
        let start = DispatchTime.now().uptimeNanoseconds
        var parts = 0
        for bytes in sample { parts += CompactKeys.decode(bytes).count }
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e3
        return parts > 0 ? elapsed / Double(sample.count) : 0
    }

    /// The CPU time of the calling thread so far, in nanoseconds.
    private static func threadCPUNanoseconds() -> Int {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return time.tv_sec * 1_000_000_000 + time.tv_nsec
    }

    /// Bytes this process has written through `write(2)` and the like (`wchar` of
    /// /proc/self/io), or nil where there is no such file.
    private static func bytesWritten() -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/self/io", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("wchar:") {
            return Int(line.dropFirst(6).trimmingCharacters(in: .whitespaces))
        }
        return nil
    }
}
