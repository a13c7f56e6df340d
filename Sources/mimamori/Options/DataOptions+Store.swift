import ArgumentParser
import Foundation
import Indexer
import Logging
import Query
import SQLiteDB
import Store

extension DataOptions {
    /// Opens the store in `--data` with the search index attached, so that every write made
    /// through it is in the index before the command returns.
    func openStore() throws -> Store {
        try openSearch().store
    }

    /// Opens the store and the search index beside it (catching the index up), and a search engine.
    /// - Parameters:
    ///   - metrics: where the Store's and the search's figures go (`serve`'s registry).
    ///   - checkpoints: `.external` while Litestream replicates the store's files.
    ///   - rankingSlots: how many searches may rank at once (`SearchEngine.init`); nil: no limit.
    func openSearch(metrics: StoreMetrics = StoreMetrics(), checkpoints: CheckpointOwner = .application, rankingSlots: Int? = nil) throws
        -> SearchEngine
    {
        let folder = try DictionaryDirectory.locate(explicit: dictionaries)
        let store = try Store(
            dataDirectory: URL(fileURLWithPath: data), dictionaries: folder, logger: Self.logger, metrics: metrics, checkpoints: checkpoints,
            secretsKey: secretsKeyFile(for: URL(fileURLWithPath: data)))
        let analyzer = try NameAnalyzer(dictionaries: folder)
        return SearchEngine(store: store, index: try SearchIndex.attach(to: store, analyzer: analyzer), metrics: metrics, rankingSlots: rankingSlots)
    }

    /// The commands' logger: JSON lines on standard error (`MIMAMORI_LOG_LEVEL` sets the level,
    /// `info` by default).
    static let logger: Logger = {
        var logger = Logger(label: "mimamori") { JSONLogHandler(label: $0) }
        logger.logLevel = ProcessInfo.processInfo.environment["MIMAMORI_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
        return logger
    }()
}

/// Writes to standard error.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// Whether standard error is a terminal (progress is shown only then).
var standardErrorIsTerminal: Bool { isatty(2) == 1 }
