/// A network in CIDR notation (`10.20.0.0/16`, `fd00::/8`; a bare address is a network of one).
package struct IPNetwork: Hashable, Sendable, CustomStringConvertible {
    /// The first address (host bits zero).
    package let address: IPAddress
    package let prefixLength: Int

    /// Why a network's text was not accepted (for the operator, in English like the CLI).
    package struct ParseError: Error, Sendable, CustomStringConvertible {
        package let description: String
    }

    /// Parses `ADDRESS/PREFIX` or `ADDRESS`. The address must be written strictly (dotted-quad
    /// decimal, or IPv6 text); the prefix must not leave host bits set (`10.1.2.3/8` is refused
    /// with the network it probably means), so what is allowed is what was written.
    package init(_ text: String) throws(ParseError) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = IPAddress(parts[0]) else {
            throw ParseError(description: "\(text.prefix(60)): not an IPv4 address (dotted decimal, as 192.168.10.0) or an IPv6 address")
        }
        let prefixLength: Int
        if parts.count == 2 {
            guard parts[1].count <= 3, parts[1].allSatisfy(\.isASCII), parts[1].allSatisfy(\.isNumber), let length = Int(parts[1]),
                (0...address.bitWidth).contains(length)
            else { throw ParseError(description: "\(text.prefix(60)): the prefix length must be 0–\(address.bitWidth)") }
            prefixLength = length
        } else {
            prefixLength = address.bitWidth
        }
        if case .v6 = address, address.effective != address {
            throw ParseError(description: "\(text.prefix(60)): write an IPv4 network in dotted decimal, not inside IPv6")
        }
        let network = Self(first: address, prefixLength: prefixLength)
        guard network.address == address else {
            throw ParseError(description: "\(text.prefix(60)): host bits are set; did you mean \(network)?")
        }
        self = network
    }

    /// The network of `prefixLength` bits that holds `address`.
    package init(first address: IPAddress, prefixLength: Int) {
        self.prefixLength = prefixLength
        switch address {
        // A shift by the full width gives 0 in Swift (a /0 network keeps no bit).
        case .v4(let value): self.address = .v4(value & ~UInt32(0) << (32 - prefixLength))
        case .v6(let value): self.address = .v6(value & ~UInt128(0) << (128 - prefixLength))
        }
    }

    /// Whether `other` is in this network (an IPv4 address is never in an IPv6 network).
    package func contains(_ other: IPAddress) -> Bool {
        switch (address, other) {
        case (.v4, .v4), (.v6, .v6): IPNetwork(first: other, prefixLength: prefixLength).address == address
        default: false
        }
    }

    /// Whether every address of `other` is in this network.
    package func contains(_ other: IPNetwork) -> Bool {
        other.prefixLength >= prefixLength && contains(other.address)
    }

    package var description: String { "\(address)/\(prefixLength)" }
}
