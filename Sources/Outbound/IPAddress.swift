import Glibc

/// An IPv4 or IPv6 address: one the sender is about to connect to, or one written in an
/// operator's network list. Only the strict numeric forms parse here (`inet_pton`): dotted-quad
/// decimal for IPv4, RFC 4291 text for IPv6. Legacy spellings (`127.1`, `0x7f.1`, `2130706433`)
/// never reach this type as text: the resolver has already turned them into an address.
package enum IPAddress: Hashable, Sendable, CustomStringConvertible {
    case v4(UInt32)
    case v6(UInt128)

    /// Parses `10.0.0.1` or `fd00::1` (no brackets, no zone); nil for anything else.
    package init?(_ text: some StringProtocol) {
        let text = String(text)
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            self = .v4(UInt32(bigEndian: v4.s_addr))
            return
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, text, &v6) == 1 else { return nil }
        self = .v6(Self.value(of: v6))
    }

    /// The address of a socket address about to be connected to (nil for a family that is not
    /// IPv4 or IPv6). `address` must point at storage of the family's full size.
    init?(socketAddress address: UnsafePointer<sockaddr>) {
        switch Int32(address.pointee.sa_family) {
        case AF_INET:
            let v4 = UnsafeRawPointer(address).loadUnaligned(as: sockaddr_in.self)
            self = .v4(UInt32(bigEndian: v4.sin_addr.s_addr))
        case AF_INET6:
            let v6 = UnsafeRawPointer(address).loadUnaligned(as: sockaddr_in6.self)
            self = .v6(Self.value(of: v6.sin6_addr))
        default:
            return nil
        }
    }

    /// The IPv4 address an IPv6 address carries and is delivered to: an IPv4-mapped address
    /// (`::ffff:127.0.0.1`, which a dual-stack socket connects to over IPv4) or one in NAT64's
    /// well-known prefix (`64:ff9b::/96`, which a gateway translates). Every other address is
    /// itself.
    package var effective: IPAddress {
        guard case .v6(let value) = self else { return self }
        let prefix = value >> 32
        if prefix == 0xFFFF || prefix == (0x0064_FF9B as UInt128) << 64 { return .v4(UInt32(truncatingIfNeeded: value)) }
        return self
    }

    /// The address's width in bits (32 or 128).
    package var bitWidth: Int {
        if case .v4 = self { 32 } else { 128 }
    }

    /// The canonical text (`inet_ntop`).
    package var description: String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        switch self {
        case .v4(let value):
            var address = in_addr(s_addr: value.bigEndian)
            inet_ntop(AF_INET, &address, &buffer, socklen_t(buffer.count))
        case .v6(let value):
            var address = in6_addr()
            withUnsafeMutableBytes(of: &address) { bytes in
                for index in 0..<16 { bytes[index] = UInt8(truncatingIfNeeded: value >> (8 * (15 - index))) }
            }
            inet_ntop(AF_INET6, &address, &buffer, socklen_t(buffer.count))
        }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The 128-bit value of an IPv6 address (network byte order read as a big-endian number).
    private static func value(of address: in6_addr) -> UInt128 {
        withUnsafeBytes(of: address) { bytes in bytes.reduce(UInt128(0)) { $0 << 8 | UInt128($1) } }
    }
}
