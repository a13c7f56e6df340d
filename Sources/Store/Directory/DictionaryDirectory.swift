package import Foundation

/// Finds the `dictionaries/` folder the authority directory and name lists are read from.
package enum DictionaryDirectory {
    /// The file whose presence marks a dictionaries folder.
    static let marker = "authorities.csv"

    /// Returns the dictionaries folder: `explicit` if given, else `$MIMAMORI_DICTIONARIES`,
    /// else the nearest `dictionaries/` above the running executable (a checkout's
    /// `.build/…/mimamori`), else `./dictionaries`.
    /// - Throws: `StoreError` when none of them holds `authorities.csv`.
    package static func locate(explicit: String? = nil) throws(StoreError) -> URL {
        var candidates: [URL] = []
        if let explicit { candidates.append(URL(fileURLWithPath: explicit)) }
        if let fromEnvironment = ProcessInfo.processInfo.environment["MIMAMORI_DICTIONARIES"] {
            candidates.append(URL(fileURLWithPath: fromEnvironment))
        }
        if explicit == nil {
            let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
            var folder = executable.deletingLastPathComponent()
            while folder.path != "/" {
                candidates.append(folder.appendingPathComponent("dictionaries"))
                folder = folder.deletingLastPathComponent()
            }
            candidates.append(URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("dictionaries"))
        }
        for candidate in candidates
        where FileManager.default.fileExists(atPath: candidate.appendingPathComponent(marker).path) {
            return candidate
        }
        throw StoreError.dictionariesNotFound(searched: candidates.map(\.path))
    }
}
