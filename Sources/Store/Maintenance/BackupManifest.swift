package import Foundation

/// `manifest.json` of a backup folder: every file in it with its size and SHA-256, and the
/// head of the audit chain in the copied catalogue. Read back as hostile input by `restore`.
package struct BackupManifest: Sendable, Hashable, Codable {
    /// One file of the backup, by its path inside the backup folder.
    package struct File: Sendable, Hashable, Codable {
        package let name: String
        package let size: Int
        package let sha256: String
    }

    /// The last audit row in the copy (its `id` and `hash`).
    package struct AuditHead: Sendable, Hashable, Codable {
        package let sequence: Int
        package let hash: String
    }

    /// This layout; a newer one is refused.
    package static let currentFormat = 1
    package static let fileName = "manifest.json"

    package let format: Int
    /// When the copies were taken (UTC, ISO 8601).
    package let takenAt: String
    /// The SQLite library that took them.
    package let sqliteVersion: String
    package let files: [File]
    /// Nil when the audit log was empty.
    package let auditHead: AuditHead?

    /// The manifest as written: sorted keys, indented, a final newline.
    package func encoded() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        // Plain strings and integers always encode.
        return ((try? encoder.encode(self)) ?? Data()) + Data("\n".utf8)
    }

    /// Reads and checks a manifest: format, file names (only the store's own names, no path
    /// outside the folder), no file twice, the catalogue present, digests in hex.
    /// - Throws: `.invalidInput` naming what is wrong.
    package static func read(_ url: URL) throws(StoreError) -> BackupManifest {
        guard let data = try? Data(contentsOf: url), data.count <= 4 << 20 else {
            throw StoreError(.invalidInput, "\(url.path): no readable manifest of at most 4 MiB; is this a folder `mimamori backup` wrote?")
        }
        let manifest: BackupManifest
        do { manifest = try JSONDecoder().decode(BackupManifest.self, from: data) } catch {
            throw StoreError(.invalidInput, "\(url.path) is not a backup manifest: \(error)")
        }
        guard manifest.format == currentFormat else {
            throw StoreError(
                .invalidInput, "\(url.path): manifest format \(manifest.format) is not \(currentFormat); restore it with the mimamori that wrote it")
        }
        var seen: Set<String> = []
        for file in manifest.files {
            guard isAllowed(file.name) else {
                throw StoreError(.invalidInput, "\(url.path) names \"\(file.name.prefix(80))\", not a file a backup holds")
            }
            guard seen.insert(file.name).inserted else { throw StoreError(.invalidInput, "\(url.path) names \(file.name) twice") }
            guard file.size >= 0, file.sha256.count == 64, file.sha256.allSatisfy(\.isHexDigit) else {
                throw StoreError(.invalidInput, "\(url.path): \(file.name) has no valid size and SHA-256")
            }
        }
        guard seen.contains(catalogueName) else { throw StoreError(.invalidInput, "\(url.path) lists no \(catalogueName)") }
        return manifest
    }

    static let catalogueName = "catalogue.sqlite"
    static let checkpointFolder = "audit-checkpoints"
    static let publicKeyName = "keys/audit-ed25519.pub"

    /// The database files of a backup: the catalogue and the partitions.
    package var databaseNames: [String] { files.map(\.name).filter { $0.hasSuffix(".sqlite") } }

    /// Whether `name` is one a backup writes: `catalogue.sqlite`, `pref-01.sqlite` … `pref-47.sqlite`,
    /// `audit-checkpoints/YYYY-MM.jsonl`, `keys/audit-ed25519.pub`.
    static func isAllowed(_ name: String) -> Bool {
        if name == catalogueName || name == publicKeyName { return true }
        if name.hasPrefix("pref-"), name.hasSuffix(".sqlite") {
            let code = name.dropFirst(5).dropLast(7)
            return code.count == 2 && code.allSatisfy(\.isASCII) && Int(code).map { (1...47).contains($0) } == true
        }
        if name.hasPrefix(checkpointFolder + "/"), name.hasSuffix(".jsonl") {
            let month = Array(name.dropFirst(checkpointFolder.count + 1).dropLast(6).utf8)
            return month.count == 7 && month[4] == UInt8(ascii: "-")
                && month.enumerated().allSatisfy { $0.offset == 4 || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0.element) }
        }
        return false
    }
}
