import Foundation

/// Runs `body` with a fresh folder under the system's temporary directory, removed afterwards
/// (for commands that build a throwaway store: eval, bench).
func withTemporaryFolder<T>(_ label: String, _ body: (URL) throws -> T) throws -> T {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mimamori-\(label)-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    return try body(folder)
}
