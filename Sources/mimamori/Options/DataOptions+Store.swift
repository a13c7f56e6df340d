import ArgumentParser
import Foundation
import Store

extension DataOptions {
    /// Opens the store in `--data`, with the dictionaries from `--dictionaries` or found nearby.
    func openStore() throws -> Store {
        let dictionaries = try DictionaryDirectory.locate(explicit: dictionaries)
        return try Store(dataDirectory: URL(fileURLWithPath: data), dictionaries: dictionaries)
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
