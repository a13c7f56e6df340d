import CSodium
import Foundation

/// Random secrets and their digests (libsodium).
package enum Secret {
    /// A new random token: `mmr_` and 64 hex digits (256 bits).
    package static func token() -> String {
        var bytes = [UInt8](repeating: 0, count: 32)
        csodium_random(&bytes, bytes.count)
        return "mmr_" + hex(bytes)
    }

    /// The hex BLAKE2b-256 digest of a token, as stored.
    package static func digest(_ text: String) -> String {
        var output = [UInt8](repeating: 0, count: 32)
        let input = Array(text.utf8)
        _ = csodium_digest32(&output, input, UInt64(input.count))
        return hex(output)
    }

    /// The hex SHA-256 digest of a text (the audit log's chain).
    package static func sha256(_ text: String) -> String { sha256(Array(text.utf8)) }

    /// The hex SHA-256 digest of bytes (attachments).
    package static func sha256(_ input: [UInt8]) -> String {
        var output = [UInt8](repeating: 0, count: 32)
        _ = csodium_sha256(&output, input, UInt64(input.count))
        return hex(output)
    }

    /// The hex SHA-256 digest of a file's content, read a megabyte at a time, and its size.
    /// - Throws: `.storage` when the file cannot be opened or read.
    package static func sha256(ofFile path: String) throws(StoreError) -> (digest: String, size: Int) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard descriptor >= 0 else { throw StoreError(.storage, "cannot open \(path): \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        var state = crypto_hash_sha256_state()
        _ = crypto_hash_sha256_init(&state)
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var size = 0
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else { throw StoreError(.storage, "cannot read \(path): \(String(cString: strerror(errno)))") }
            if count == 0 { break }
            size += count
            _ = crypto_hash_sha256_update(&state, buffer, UInt64(count))
        }
        var output = [UInt8](repeating: 0, count: 32)
        _ = crypto_hash_sha256_final(&state, &output)
        return (hex(output), size)
    }

    /// The hex HMAC-SHA-256 of `message` under `key` (webhook signatures).
    package static func hmacSHA256(key: String, message: [UInt8]) -> String {
        var output = [UInt8](repeating: 0, count: 32)
        let keyBytes = Array(key.utf8)
        _ = csodium_hmac_sha256(&output, keyBytes, keyBytes.count, message, UInt64(message.count))
        return hex(output)
    }

    private static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef")
        return String(bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0xF)]] })
    }
}
