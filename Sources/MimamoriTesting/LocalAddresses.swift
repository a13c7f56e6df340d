import Foundation

/// This machine's own addresses (`getifaddrs`), for tests that need a destination other than
/// loopback which is still on this machine (a webhook receiver on an allowed private network).
package enum LocalAddresses {
    /// One address of an interface that is up.
    package struct Address: Sendable, CustomStringConvertible {
        package let interface: String
        package let address: String
        package let prefixLength: Int
        package let isIPv6: Bool

        package var description: String { "\(address)/\(prefixLength) on \(interface)" }
        package var isLinkLocal: Bool { isIPv6 ? address.lowercased().hasPrefix("fe80:") : address.hasPrefix("169.254.") }
    }

    /// Why a test cannot run here.
    package struct Missing: Error, CustomStringConvertible {
        package let description: String
    }

    /// Every address of every interface that is up, loopback excluded.
    package static func all() -> [Address] {
        var first: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&first) == 0 else { return [] }
        defer { freeifaddrs(first) }
        var found: [Address] = []
        var cursor = first
        while let entry = cursor?.pointee {
            defer { cursor = entry.ifa_next }
            guard let address = entry.ifa_addr, let mask = entry.ifa_netmask, entry.ifa_flags & UInt32(IFF_UP) != 0,
                entry.ifa_flags & UInt32(IFF_LOOPBACK) == 0
            else { continue }
            let family = Int32(address.pointee.sa_family)
            guard family == AF_INET || family == AF_INET6 else { continue }
            let length = family == AF_INET ? MemoryLayout<sockaddr_in>.size : MemoryLayout<sockaddr_in6>.size
            var host = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            guard getnameinfo(address, socklen_t(length), &host, socklen_t(host.count), nil, 0, NI_NUMERICHOST) == 0 else { continue }
            let maskBytes: [UInt8] =
                family == AF_INET
                ? withUnsafeBytes(of: UnsafeRawPointer(mask).loadUnaligned(as: sockaddr_in.self).sin_addr) { Array($0) }
                : withUnsafeBytes(of: UnsafeRawPointer(mask).loadUnaligned(as: sockaddr_in6.self).sin6_addr) { Array($0) }
            let text = String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            found.append(
                Address(
                    interface: String(cString: entry.ifa_name), address: text, prefixLength: maskBytes.reduce(0) { $0 + $1.nonzeroBitCount },
                    isIPv6: family == AF_INET6))
        }
        return found
    }

    /// The first IPv4 address of this machine that is not loopback or link-local, and its network
    /// in CIDR notation.
    /// - Throws: `Missing` when there is none (the test then fails, saying so, rather than skip).
    package static func nonLoopbackIPv4() throws -> (address: String, network: String) {
        guard let found = all().first(where: { !$0.isIPv6 && !$0.isLinkLocal }) else {
            throw Missing(
                description:
                    "this machine has no IPv4 address other than loopback (getifaddrs found: \(all())); the webhook tests need one to receive on")
        }
        var address = in_addr()
        inet_pton(AF_INET, found.address, &address)
        let mask = found.prefixLength == 0 ? 0 : UInt32.max << (32 - found.prefixLength)
        var network = in_addr(s_addr: (UInt32(bigEndian: address.s_addr) & mask).bigEndian)
        var text = [CChar](repeating: 0, count: Int(INET_ADDRSTRLEN))
        inet_ntop(AF_INET, &network, &text, socklen_t(text.count))
        return (found.address, String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) + "/\(found.prefixLength)")
    }
}
