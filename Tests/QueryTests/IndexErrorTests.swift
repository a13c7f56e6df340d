import Foundation
import Indexer
import MimamoriTesting
import Query
import Store
import Testing

/// The search index's own error type, and how it becomes a Store error at the Query boundary
/// (the API, the pages and the CLI map only `StoreError`).
struct IndexErrorTests {
    @Test("an index written by a newer build is refused with advice, a configuration error for the Store's tables too")
    func refusesNewerSchema() throws {
        let test = try TestStore()
        let analyzer = try TestSearch.analyzer()
        _ = try SearchIndex(dataDirectory: test.dataDirectory, analyzer: analyzer)
        let file = test.dataDirectory.appendingPathComponent("index.sqlite")
        _ = try CommandRun.sqlite(file, "INSERT INTO schema_migrations (version, name) VALUES (99, 'from the future')")
        let error = #expect(throws: IndexError.self) { try SearchIndex(dataDirectory: test.dataDirectory, analyzer: analyzer) }
        #expect(error?.kind == .configuration)
        #expect(error?.description.contains("has schema version 99") == true, "\(String(describing: error))")
        #expect(error?.description.hasSuffix("upgrade mimamori") == true, "\(String(describing: error))")
        #expect(error.map { StoreError($0).kind } == .configuration)
    }

    @Test("a Store error met while following the change feed comes out of the Query layer as it went in")
    func carriesStoreErrors() {
        let carried = IndexError(StoreError(.permissionDenied, "not yours"))
        #expect(carried.kind == .store)
        #expect(carried.description == "not yours")
        #expect(StoreError(carried).kind == .permissionDenied)
        #expect(StoreError(IndexError(.storage, "disk full")).kind == .storage)
        #expect(StoreError(IndexError(.configuration, "no dictionary")).kind == .configuration)
    }
}
