package import Foundation

/// A fresh folder under the system's temporary directory, removed when released.
package final class TemporaryDirectory: Sendable {
    package let url: URL

    package init(_ label: String = "mimamori") {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(label)-\(UUID().uuidString.prefix(8))", isDirectory: true)
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }

    package func file(_ name: String) -> URL { url.appendingPathComponent(name) }

    /// Writes `lines` joined by newlines (with a final newline) to a file and returns its URL.
    package func write(_ name: String, lines: [String]) -> URL {
        let target = file(name)
        try! Data((lines.joined(separator: "\n") + "\n").utf8).write(to: target)
        return target
    }
}
