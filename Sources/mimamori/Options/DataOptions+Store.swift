import ArgumentParser
import Foundation
import Indexer
import Query
import Store

extension DataOptions {
    /// Opens the store in `--data` with the search index attached, so that every write made
    /// through it is in the index before the command returns.
    func openStore() throws -> Store {
        try openSearch().store
    }

    /// Opens the store and the search index beside it (catching the index up), and a search engine.
    func openSearch() throws -> SearchEngine {
        let folder = try DictionaryDirectory.locate(explicit: dictionaries)
        let store = try Store(dataDirectory: URL(fileURLWithPath: data), dictionaries: folder)
        let analyzer = try NameAnalyzer(dictionaries: folder)
        return SearchEngine(store: store, index: try SearchIndex.attach(to: store, analyzer: analyzer))
    }
}

/// Exit codes scripts can rely on (besides ArgumentParser's 64 for a usage error).
enum ExitStatus {
    /// The input was invalid; nothing was written.
    static let invalidData = ExitCode(65)
    /// The store could not be opened or written.
    static let storeFailure = ExitCode(70)
}

/// Writes to standard error.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// Whether standard error is a terminal (progress is shown only then).
var standardErrorIsTerminal: Bool { isatty(2) == 1 }
