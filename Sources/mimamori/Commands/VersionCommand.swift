import ArgumentParser
import Foundation
import HTTPServer
import Indexer
import SQLiteDB
import Store
import Web

struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "version",
        abstract: "Print the versions of Mimamori and of the system libraries it runs against."
    )

    @OptionGroup var options: DataOptions

    func run() throws {
        print("mimamori \(Mimamori.version)")
        print("SQLite \(SQLiteLibrary.version)\(SQLiteLibrary.hasFTS5 ? " (FTS5)" : " (no FTS5!)")")
        print("ICU \(ICUError.libraryVersion) (system), \(try icuSelfCheck())")
        print("libmicrohttpd \(MicroHTTPD.version)")
    }

    /// Runs one transform through the system ICU and through Foundation's private ICU:
    /// both must load and agree, which they cannot if the two copies' symbols are mixed up.
    private func icuSelfCheck() throws -> String {
        let sample = "ｻﾄｳ　ﾀﾛｳ ヴィーガン"
        let id = "Any-NFKC; Katakana-Hiragana"
        let system = try Transliterator(id)(sample)
        let foundation = sample.applyingTransform(StringTransform(rawValue: id), reverse: false)
        return system == foundation ? "Foundation's ICU beside it: transforms agree" : "Foundation's ICU DISAGREES"
    }
}
