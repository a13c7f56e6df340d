import CSodium
package import Foundation

/// libsodium initialised once per process (it picks its implementations; idempotent).
private let sodiumReady: Bool = sodium_init() >= 0

/// The Ed25519 key that signs audit checkpoints (libsodium). It lives in a file the operator
/// controls, outside the database files (by default `DIR/keys/audit-ed25519.key`, better on
/// other storage): whoever can write the catalogue but not read this file cannot sign a
/// checkpoint for a rewritten log.
///
/// The file holds the 32-byte seed in hex, mode 0600 (a key file others can read is refused);
/// the public key, in hex, is written beside it with the extension `.pub`.
package struct AuditSigningKey: Sendable {
    private let secretKey: [UInt8]
    package let publicKey: AuditPublicKey

    private init(seed: [UInt8]) {
        _ = sodiumReady
        var publicBytes = [UInt8](repeating: 0, count: 32)
        var secret = [UInt8](repeating: 0, count: 64)
        _ = crypto_sign_seed_keypair(&publicBytes, &secret, seed)
        secretKey = secret
        publicKey = AuditPublicKey(bytes: publicBytes)
    }

    /// The signature of `message`, hex.
    func sign(_ message: [UInt8]) -> String {
        var signature = [UInt8](repeating: 0, count: 64)
        var length: UInt64 = 0
        _ = crypto_sign_detached(&signature, &length, message, UInt64(message.count), secretKey)
        return Hex.encode(signature)
    }

    /// The key in `file`, created (with its public key beside it) when the file does not exist.
    /// - Throws: `.configuration` when the file can be read by others, holds no key, or its
    ///   public key file names another key.
    package static func loadOrCreate(_ file: URL) throws(StoreError) -> AuditSigningKey {
        if !FileManager.default.fileExists(atPath: file.path) { try create(file) }
        let key = try load(file)
        let publicFile = AuditPublicKey.file(besideKey: file)
        if FileManager.default.fileExists(atPath: publicFile.path) {
            guard try AuditPublicKey.load(publicFile) == key.publicKey else {
                throw StoreError(.configuration, "\(publicFile.path) is not the public key of the audit key \(file.path)")
            }
        } else {
            try key.publicKey.write(to: publicFile)
        }
        return key
    }

    /// The key in an existing `file`.
    package static func load(_ file: URL) throws(StoreError) -> AuditSigningKey {
        AuditSigningKey(seed: try PrivateKeyFile.read(file, what: "audit key"))
    }

    /// Writes a new random key to `file` (mode 0600, its folder 0700 when created), failing if
    /// the file appeared meanwhile (another process created it first: then that one is used).
    private static func create(_ file: URL) throws(StoreError) {
        let folder = file.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw StoreError(.configuration, "cannot create the folder of the audit key \(folder.path): \(error.localizedDescription)")
        }
        var seed = [UInt8](repeating: 0, count: 32)
        csodium_random(&seed, seed.count)
        let descriptor = open(file.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            if errno == EEXIST { return }
            throw StoreError(.configuration, "cannot create the audit key \(file.path): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        let text = Array((Hex.encode(seed) + "\n").utf8)
        guard write(descriptor, text, text.count) == text.count, fsync(descriptor) == 0 else {
            throw StoreError(.configuration, "cannot write the audit key \(file.path): \(String(cString: strerror(errno)))")
        }
    }
}

/// The public half of the audit key: checks checkpoint signatures (`mimamori audit verify`).
package struct AuditPublicKey: Sendable, Hashable {
    let bytes: [UInt8]

    /// The key in hex, as checkpoints name their signer.
    package var hex: String { Hex.encode(bytes) }

    /// A public key from its hex form (a checkpoint's `key`), if it is one.
    package init?(hex: String) {
        guard let bytes = Hex.decode(hex), bytes.count == 32 else { return nil }
        self.bytes = bytes
    }

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Whether `signature` (hex) is this key's signature of `message`.
    func verifies(_ signature: String, of message: [UInt8]) -> Bool {
        guard sodiumReady, let signature = Hex.decode(signature), signature.count == 64 else { return false }
        return crypto_sign_verify_detached(signature, message, UInt64(message.count), bytes) == 0
    }

    /// Where the public key of the key in `file` lives: beside it, with the extension `.pub`.
    package static func file(besideKey file: URL) -> URL {
        file.deletingPathExtension().appendingPathExtension("pub")
    }

    /// The public key in `file` (64 hex digits).
    package static func load(_ file: URL) throws(StoreError) -> AuditPublicKey {
        guard let data = FileManager.default.contents(atPath: file.path),
            let key = AuditPublicKey(hex: String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        else { throw StoreError(.configuration, "\(file.path) holds no audit public key (64 hex digits)") }
        return key
    }

    func write(to file: URL) throws(StoreError) {
        do {
            try Data((hex + "\n").utf8).write(to: file, options: .atomic)
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file.path)
        } catch {
            throw StoreError(.configuration, "cannot write the audit public key \(file.path): \(error.localizedDescription)")
        }
    }
}

/// Bytes as lower-case hex and back.
enum Hex {
    static func encode(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef")
        return String(bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0xF)]] })
    }

    /// The bytes of an even-length hex text, or nil if it is not one.
    static func decode(_ text: String) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        var index = 0
        while index < digits.count {
            guard let high = value(digits[index]), let low = value(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    private static func value(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
