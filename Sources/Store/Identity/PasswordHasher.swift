import CSodium

/// Password hashing with argon2id (libsodium's `crypto_pwhash_str`, interactive limits):
/// memory-hard, salted, self-describing (`$argon2id$v=19$m=...`). Passwords are never
/// stored or logged in clear.
///
/// See https://doc.libsodium.org/password_hashing/default_phf.
package enum PasswordHasher {
    private static let ready: Bool = sodium_init() >= 0

    /// - Throws: `StoreError` if libsodium cannot start or runs out of memory.
    package static func hash(_ password: String) throws(StoreError) -> String {
        guard ready else { throw StoreError(.configuration, "libsodium could not be initialised") }
        var output = [CChar](repeating: 0, count: csodium_hash_length())
        let bytes = Array(password.utf8)
        let code = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { csodium_hash_password(&output, $0.baseAddress, UInt64($0.count)) }
        }
        guard code == 0 else { throw StoreError(.storage, "crypto_pwhash_str failed (out of memory?)") }
        return String(decoding: output.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// A hash no password is known for: an attempt for an unknown or disabled login is
    /// verified against it, so that it takes as long as one for a real login (a refusal's
    /// timing does not tell which logins exist).
    package static let decoy: String = {
        (try? hash(Secret.token())) ?? "$argon2id$v=19$m=65536,t=2,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
    }()

    /// Whether `password` matches `hash` (constant-time inside libsodium).
    package static func verify(_ password: String, against hash: String) -> Bool {
        guard ready else { return false }
        let bytes = Array(password.utf8)
        return bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { csodium_verify_password(hash, $0.baseAddress, UInt64($0.count)) == 0 }
        }
    }
}
