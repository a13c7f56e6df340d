import CCrypto
import CSodium
package import Foundation

/// Time-based one-time passwords (RFC 6238 over RFC 4226): HMAC-SHA1, 30-second steps, six
/// digits — what every authenticator app makes from an `otpauth://` secret.
package enum TOTP {
    package static let stepSeconds: Int64 = 30
    /// Steps either side of now that are still accepted (a phone's clock drifts).
    static let drift: ClosedRange<Int64> = -1...1
    /// 160 bits, the size RFC 4226 recommends.
    static let secretBytes = 20

    package static func newSecret() -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: secretBytes)
        csodium_random(&bytes, bytes.count)
        return bytes
    }

    package static func step(at date: Date) -> Int64 { Int64(date.timeIntervalSince1970.rounded(.down)) / stepSeconds }

    /// The six-digit code of `secret` for one time step.
    package static func code(secret: [UInt8], step: Int64) -> String {
        let counter = withUnsafeBytes(of: UInt64(bitPattern: step).bigEndian) { Array($0) }
        var mac = [UInt8](repeating: 0, count: 20)
        guard ccrypto_hmac_sha1(secret, Int32(secret.count), counter, counter.count, &mac) == 1 else { return "" }
        let offset = Int(mac[19] & 0x0F)
        let binary =
            UInt32(mac[offset] & 0x7F) << 24 | UInt32(mac[offset + 1]) << 16 | UInt32(mac[offset + 2]) << 8 | UInt32(mac[offset + 3])
        let code = String(binary % 1_000_000)
        return String(repeating: "0", count: 6 - code.count) + code
    }

    /// The step at which `code` is valid within the accepted drift around `now`, if any.
    static func matchingStep(of code: String, secret: [UInt8], now: Date = Date()) -> Int64? {
        let current = step(at: now)
        return drift.map { current + $0 }.first { constantTimeEqual(Self.code(secret: secret, step: $0), code) }
    }

    /// Base32 (RFC 4648, upper case, no padding), the form authenticator apps take a secret in.
    /// Written here because none of the mirrored packages offers it, and it is a few lines.
    package static func base32(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
        var output = ""
        var buffer = 0
        var bits = 0
        for byte in bytes {
            buffer = (buffer << 8) | Int(byte)
            bits += 8
            while bits >= 5 {
                output.append(alphabet[(buffer >> (bits - 5)) & 31])
                bits -= 5
            }
        }
        if bits > 0 { output.append(alphabet[(buffer << (5 - bits)) & 31]) }
        return output
    }

    /// The `otpauth://` address an authenticator app reads (typed in or from a QR code).
    package static func uri(secret: [UInt8], login: String) -> String {
        var components = URLComponents()
        components.scheme = "otpauth"
        components.host = "totp"
        components.path = "/Mimamori:" + login
        components.queryItems = [
            URLQueryItem(name: "secret", value: base32(secret)), URLQueryItem(name: "issuer", value: "Mimamori"),
            URLQueryItem(name: "algorithm", value: "SHA1"), URLQueryItem(name: "digits", value: "6"), URLQueryItem(name: "period", value: "30"),
        ]
        return components.string ?? ""
    }

    static func constantTimeEqual(_ left: String, _ right: String) -> Bool {
        let a = Array(left.utf8)
        let b = Array(right.utf8)
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
