package import Indexer
package import Query
package import Store

/// A temporary store with the search index attached and a search engine, loaded with
/// records given as import-format JSON lines.
package final class TestSearch: Sendable {
    package let test: TestStore
    package let engine: SearchEngine

    package init(lines: [String]) throws {
        test = try TestStore()
        let analyzer = try TestSearch.analyzer()
        engine = SearchEngine(store: test.store, index: try SearchIndex.attach(to: test.store, analyzer: analyzer))
        let report = try JSONLinesImporter(store: test.store, actor: .localAdministrator)
            .run(test.folder.write("records.jsonl", lines: lines))
        precondition(report.committed, "fixture records are invalid: \(report.errors)")
    }

    package var store: Store { test.store }

    /// Searches the free-text box as the local administrator.
    package func search(_ q: String, as actor: Actor = .localAdministrator) throws -> SearchResult {
        try engine.search(SearchRequest(q: q), as: actor)
    }

    /// The analyzer is costly to build (ICU, dictionaries): shared by every test.
    package static func analyzer() throws -> NameAnalyzer {
        try sharedAnalyzer.get()
    }

    private static let sharedAnalyzer = Result { try NameAnalyzer(dictionaries: TestStore.dictionaries) }
}
