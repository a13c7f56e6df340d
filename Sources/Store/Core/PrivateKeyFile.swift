import Foundation

/// A key kept in a file of its own outside the data folder (the audit signing key, the secrets
/// key): 32 bytes as 64 hex digits, readable by its owner only.
enum PrivateKeyFile {
    /// The 32 bytes of `file`; `what` names the key in errors ("audit key").
    /// - Throws: `.configuration` naming the file when it cannot be read, can be read by others,
    ///   or holds no key.
    static func read(_ file: URL, what: String) throws(StoreError) -> [UInt8] {
        var status = stat()
        guard stat(file.path, &status) == 0 else { throw StoreError(.configuration, "cannot read the \(what) \(file.path)") }
        guard status.st_mode & 0o077 == 0 else {
            throw StoreError(
                .configuration,
                "the \(what) \(file.path) can be read by others (mode \(String(status.st_mode & 0o777, radix: 8))): chmod 600 it")
        }
        guard let data = FileManager.default.contents(atPath: file.path),
            let key = Hex.decode(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)), key.count == 32
        else { throw StoreError(.configuration, "\(file.path) holds no \(what) (64 hex digits)") }
        return key
    }
}
