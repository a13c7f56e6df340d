import CSodium
package import Foundation
import Logging
import Synchronization

/// libsodium initialised once per process (idempotent).
private let sodiumReady: Bool = sodium_init() >= 0

/// The key that seals the secrets the catalogue keeps (TOTP secrets, webhook signing secrets),
/// so that a copy of the data folder (a backup, a Litestream replica) does not hold them in
/// the clear. It lives in a file outside the data folder (by default `<data folder>.key`
/// beside it, `--secrets-key` elsewhere): 32 random bytes as 64 hex digits, mode 0600.
///
/// A sealed value is `0x01` (the format's version), a random 24-byte nonce and the
/// XChaCha20-Poly1305 ciphertext with its 16-byte tag; the column and the row's key are the
/// associated data, so a sealed value copied to another row does not open.
/// See https://doc.libsodium.org/secret-key_cryptography/aead/chacha20-poly1305/xchacha20-poly1305_construction
package final class SecretsKey: Sendable {
    /// The key file.
    package let file: URL
    /// The key once read or created (nil while neither was needed nor possible).
    private let key: Mutex<[UInt8]?>
    /// Where its creation is logged (once, never the key).
    private let logger: Logger

    static let version: UInt8 = 1
    private static let keyBytes = 32
    private static let nonceBytes = 24
    private static let tagBytes = 16

    /// The default key file of a data folder: beside it, its name and `.key` (`./data` → `./data.key`).
    package static func defaultFile(for dataDirectory: URL) -> URL {
        URL(fileURLWithPath: dataDirectory.standardizedFileURL.path + ".key")
    }

    init(file: URL, logger: Logger) {
        self.file = file
        self.logger = logger
        key = Mutex(nil)
    }

    /// Whether `value` is in the sealed format (else it is a plaintext value of an older store).
    static func isSealed(_ value: [UInt8]) -> Bool {
        value.count > 1 + nonceBytes + tagBytes && value[0] == version
    }

    /// Seals `plaintext` for the column `column` of the row `row`.
    /// - Throws: `.configuration` when there is no key and it cannot be created.
    func seal(_ plaintext: [UInt8], column: String, row: String) throws(StoreError) -> [UInt8] {
        let key = try loadOrCreate()
        _ = sodiumReady
        var nonce = [UInt8](repeating: 0, count: Self.nonceBytes)
        csodium_random(&nonce, nonce.count)
        let data = Self.associatedData(column: column, row: row)
        var ciphertext = [UInt8](repeating: 0, count: plaintext.count + Self.tagBytes)
        var length: UInt64 = 0
        let status = crypto_aead_xchacha20poly1305_ietf_encrypt(
            &ciphertext, &length, plaintext, UInt64(plaintext.count), data, UInt64(data.count), nil, nonce, key)
        guard status == 0 else { throw StoreError(.configuration, "cannot seal a secret (crypto_aead_xchacha20poly1305_ietf_encrypt)") }
        return [Self.version] + nonce + ciphertext.prefix(Int(length))
    }

    /// Opens (unseals) a value `seal` made for the same column and row.
    /// - Throws: `.configuration` naming the key file when there is no key or it does not open the value.
    func unseal(_ sealed: [UInt8], column: String, row: String) throws(StoreError) -> [UInt8] {
        guard Self.isSealed(sealed) else {
            throw StoreError(.configuration, "\(column) holds a value that is not sealed (format version \(sealed.first ?? 0))")
        }
        guard let key = try loaded() else {
            throw StoreError(.configuration, "the secrets key \(file.path) does not exist: no sealed secret can be opened")
        }
        guard let plaintext = Self.unseal(sealed, key: key, column: column, row: row) else {
            throw StoreError(
                .configuration, "the secrets key \(file.path) does not open a sealed secret (\(column)): it is not the key it was sealed with")
        }
        return plaintext
    }

    /// Seals text (a webhook secret) as the text a TEXT column holds: `sealed:` and the base64 of the sealed bytes.
    func sealText(_ plaintext: String, column: String, row: String) throws(StoreError) -> String {
        let sealed = try seal(Array(plaintext.utf8), column: column, row: row)
        return Self.textPrefix + Data(sealed).base64EncodedString()
    }

    /// Opens (unseals) what `sealText` made.
    func unsealText(_ sealed: String, column: String, row: String) throws(StoreError) -> String {
        guard let bytes = Self.sealedBytes(ofText: sealed) else {
            throw StoreError(.configuration, "\(column) holds a value that is not sealed")
        }
        return String(decoding: try unseal(bytes, column: column, row: row), as: UTF8.self)
    }

    static let textPrefix = "sealed:"

    /// The sealed bytes of a TEXT column's value, nil when it is plaintext.
    static func sealedBytes(ofText text: String) -> [UInt8]? {
        guard text.hasPrefix(textPrefix), let data = Data(base64Encoded: String(text.dropFirst(textPrefix.count))) else { return nil }
        let bytes = [UInt8](data)
        return isSealed(bytes) ? bytes : nil
    }

    static func unseal(_ sealed: [UInt8], key: [UInt8], column: String, row: String) -> [UInt8]? {
        _ = sodiumReady
        guard isSealed(sealed) else { return nil }
        let nonce = Array(sealed[1...nonceBytes])
        let ciphertext = Array(sealed[(1 + nonceBytes)...])
        let data = associatedData(column: column, row: row)
        var plaintext = [UInt8](repeating: 0, count: ciphertext.count - tagBytes)
        var length: UInt64 = 0
        let status = crypto_aead_xchacha20poly1305_ietf_decrypt(
            &plaintext, &length, nil, ciphertext, UInt64(ciphertext.count), data, UInt64(data.count), nonce, key)
        return status == 0 ? Array(plaintext.prefix(Int(length))) : nil
    }

    private static func associatedData(column: String, row: String) -> [UInt8] {
        Array("mimamori \(column) \(row)".utf8)
    }

    // MARK: The key file

    /// The key, read from the file when it exists (nil when it does not).
    /// - Throws: `.configuration` when the file can be read by others or holds no key.
    func loaded() throws(StoreError) -> [UInt8]? {
        if let key = key.withLock({ $0 }) { return key }
        guard FileManager.default.fileExists(atPath: file.path) else { return nil }
        let read = try Self.read(file)
        key.withLock { $0 = read }
        return read
    }

    /// The key, created when the file does not exist (logged once, without the key).
    /// - Throws: `.configuration` when it can be neither read nor created.
    @discardableResult
    func loadOrCreate() throws(StoreError) -> [UInt8] {
        if let key = try loaded() { return key }
        if try Self.create(file) {
            logger.notice(
                "created the secrets key; back it up separately from the data folder (docs/operations.md)",
                metadata: ["file": "\(file.path)"])
        }
        guard let key = try loaded() else { throw StoreError(.configuration, "cannot read the secrets key \(file.path) just created") }
        return key
    }

    private static func read(_ file: URL) throws(StoreError) -> [UInt8] {
        try PrivateKeyFile.read(file, what: "secrets key")
    }

    /// Writes a new random key to `file` atomically (a temporary file, mode 0600, linked into
    /// place, never over an existing key).
    /// - Returns: false when another process created it first (then that one is used).
    private static func create(_ file: URL) throws(StoreError) -> Bool {
        var key = [UInt8](repeating: 0, count: keyBytes)
        csodium_random(&key, key.count)
        let temporary = file.path + ".tmp-\(getpid())"
        unlink(temporary)
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw StoreError(
                .configuration,
                "cannot create the secrets key \(file.path): \(String(cString: strerror(errno))); create its folder or name another file with --secrets-key"
            )
        }
        defer { unlink(temporary) }
        let text = Array((Hex.encode(key) + "\n").utf8)
        let written = write(descriptor, text, text.count) == text.count && fsync(descriptor) == 0
        close(descriptor)
        guard written else { throw StoreError(.configuration, "cannot write the secrets key \(file.path): \(String(cString: strerror(errno)))") }
        guard link(temporary, file.path) == 0 else {
            if errno == EEXIST { return false }
            throw StoreError(.configuration, "cannot create the secrets key \(file.path): \(String(cString: strerror(errno)))")
        }
        let folder = open(file.deletingLastPathComponent().path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if folder >= 0 {
            fsync(folder)
            close(folder)
        }
        return true
    }
}
