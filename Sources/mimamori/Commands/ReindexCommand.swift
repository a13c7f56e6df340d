import ArgumentParser
import Foundation
import Indexer
import Store

struct ReindexCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reindex",
        abstract: "Rebuild the nationwide search index from every prefecture's partition."
    )

    @OptionGroup var options: DataOptions

    func run() throws {
        let store = try options.openStore()
        let analyzer = try NameAnalyzer(dictionaries: try DictionaryDirectory.locate(explicit: options.dictionaries))
        let index = try SearchIndex(dataDirectory: store.dataDirectory, analyzer: analyzer)
        let started = Date()
        let persons = try index.rebuild(from: store) { count in
            guard standardErrorIsTerminal else { return }
            FileHandle.standardError.write(Data("\r\(count) persons".utf8))
        }
        if standardErrorIsTerminal { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        let seconds = Date().timeIntervalSince(started)
        print(
            "Indexed \(persons) persons in \(String(format: "%.1f", seconds)) s (\(seconds > 0 ? Int(Double(persons) / seconds) : persons) persons/s)."
        )
    }
}
