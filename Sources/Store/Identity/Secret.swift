import CSodium

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
