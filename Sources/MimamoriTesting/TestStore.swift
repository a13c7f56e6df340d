package import Foundation
package import Store

/// A store in a fresh temporary folder, with the repository's dictionaries.
package final class TestStore: Sendable {
    package let folder = TemporaryDirectory("mimamori-store")
    package let store: Store

    package init() throws {
        store = try Store(dataDirectory: folder.url.appendingPathComponent("data"), dictionaries: Self.dictionaries, logger: TestLogs.logger())
    }

    package var dataDirectory: URL { folder.url.appendingPathComponent("data") }

    /// Reopens the same folder, as a restarted process would.
    package func reopen() throws -> Store {
        try Store(dataDirectory: dataDirectory, dictionaries: Self.dictionaries, logger: TestLogs.logger())
    }

    /// The repository's `dictionaries/` folder, found from this source file.
    package static let dictionaries: URL = {
        var folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while folder.path != "/" {
            let candidate = folder.appendingPathComponent("dictionaries")
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("authorities.csv").path) {
                return candidate
            }
            folder.deleteLastPathComponent()
        }
        fatalError("dictionaries/ not found above \(#filePath)")
    }()

    /// The `mimamori` executable built beside the tests.
    package static let executable: URL = {
        var folder = Bundle.main.bundleURL
        while folder.path != "/" {
            let candidate = folder.appendingPathComponent("mimamori")
            if FileManager.default.isExecutableFile(atPath: candidate.path), !candidate.hasDirectoryPath {
                return candidate
            }
            folder.deleteLastPathComponent()
        }
        fatalError("the mimamori executable was not found beside the test bundle \(Bundle.main.bundleURL.path)")
    }()
}
