/// Which addresses the service may connect to when it sends something out (webhooks).
///
/// Three kinds of address:
/// - **never**: loopback, link-local, unspecified (`0.0.0.0/8`, `::`), multicast, broadcast and
///   reserved blocks, in IPv4 and IPv6, and any IPv6 address that carries one of those IPv4
///   addresses (`::ffff:127.0.0.1`, `64:ff9b::7f00:1`). No configuration opens them: they reach
///   the server itself (its `/metrics`, its own ports) or the host's cloud metadata.
/// - **listed only**: private and other special-purpose blocks (`10/8`, `172.16/12`,
///   `192.168/16`, `100.64/10`, `198.18/15`, `192.0.0/24`, the documentation blocks, `fc00::/7`,
///   …): an internal network, allowed only inside a network the operator lists
///   (`mimamori serve --webhook-allow-network`); LGWAN endpoints are such addresses.
/// - **global**: everything else.
package struct OutboundPolicy: Sendable {
    /// The operator's networks where special-purpose addresses are allowed.
    package let allowedNetworks: [IPNetwork]

    package init(allowing networks: [IPNetwork] = []) {
        allowedNetworks = networks
    }

    /// What an address is, for this policy.
    package enum Kind: Equatable, Sendable {
        case global
        /// A special-purpose block (its name): allowed only inside an allowed network.
        case special(String)
        case never(Forbidden)
    }

    /// Why an address is never connected to.
    package enum Forbidden: String, Sendable {
        case unspecified, loopback, linkLocal = "link-local", multicast, broadcast, reserved

        /// The kind in Japanese, for the settings' messages.
        package var japanese: String {
            switch self {
            case .unspecified: "未指定アドレス（0.0.0.0/8、::）"
            case .loopback: "ループバックアドレス（127.0.0.0/8、::1、localhost）"
            case .linkLocal: "リンクローカルアドレス（169.254.0.0/16、fe80::/10）"
            case .multicast: "マルチキャストアドレス"
            case .broadcast: "ブロードキャストアドレス"
            case .reserved: "予約済みのアドレス"
            }
        }
    }

    /// nil when the service may connect to `address`; else why not (for the delivery's record
    /// and the log: the address and its kind, never anything of a case).
    package func refusal(of address: IPAddress) -> String? {
        let shown = address.effective == address ? "\(address)" : "\(address) (\(address.effective))"
        switch Self.kind(of: address) {
        case .global:
            return nil
        case .never(let reason):
            return "refused to connect to \(shown): \(reason.rawValue) addresses are never allowed"
        case .special(let name):
            if allowedNetworks.contains(where: { $0.contains(address.effective) }) { return nil }
            return "refused to connect to \(shown): \(name) is allowed only inside a network the operator lists (serve --webhook-allow-network)"
        }
    }

    /// The kind of an address (an IPv6 address carrying an IPv4 one is judged as that).
    package static func kind(of address: IPAddress) -> Kind {
        let address = address.effective
        for block in blocks where block.network.contains(address) { return block.kind }
        return .global
    }

    /// The never-allowed kind that wholly holds `network`, if one does (an operator's list entry
    /// there would be a mistake: it could never allow anything).
    package static func neverAllowed(_ network: IPNetwork) -> Forbidden? {
        for block in blocks where block.network.contains(network) {
            if case .never(let reason) = block.kind { return reason }
        }
        return nil
    }

    private struct Block {
        let network: IPNetwork
        let kind: Kind

        init(_ cidr: String, _ kind: Kind) {
            // The table below is written by hand and checked by OutboundTests.
            network = try! IPNetwork(cidr)
            self.kind = kind
        }
    }

    /// The special-purpose blocks (IANA's IPv4 and IPv6 special-purpose registries), the more
    /// specific first.
    private static let blocks: [Block] = [
        // IPv4
        Block("0.0.0.0/8", .never(.unspecified)),
        Block("127.0.0.0/8", .never(.loopback)),
        Block("169.254.0.0/16", .never(.linkLocal)),
        Block("224.0.0.0/4", .never(.multicast)),
        Block("255.255.255.255/32", .never(.broadcast)),
        Block("240.0.0.0/4", .never(.reserved)),
        Block("10.0.0.0/8", .special("private network 10.0.0.0/8")),
        Block("172.16.0.0/12", .special("private network 172.16.0.0/12")),
        Block("192.168.0.0/16", .special("private network 192.168.0.0/16")),
        Block("100.64.0.0/10", .special("shared address space 100.64.0.0/10")),
        Block("192.0.0.0/24", .special("IETF protocol assignments 192.0.0.0/24")),
        Block("192.0.2.0/24", .special("documentation network 192.0.2.0/24")),
        Block("198.51.100.0/24", .special("documentation network 198.51.100.0/24")),
        Block("203.0.113.0/24", .special("documentation network 203.0.113.0/24")),
        Block("198.18.0.0/15", .special("benchmarking network 198.18.0.0/15")),
        Block("192.88.99.0/24", .special("6to4 relay anycast 192.88.99.0/24")),
        // IPv6 (IPv4-mapped and NAT64 addresses were judged as their IPv4 address above)
        Block("::/128", .never(.unspecified)),
        Block("::1/128", .never(.loopback)),
        Block("::/8", .never(.reserved)),  // IPv4-compatible and other reserved forms
        Block("fe80::/10", .never(.linkLocal)),
        Block("ff00::/8", .never(.multicast)),
        Block("fc00::/7", .special("unique local network fc00::/7")),
        Block("fec0::/10", .special("site-local network fec0::/10")),
        Block("100::/64", .special("discard-only network 100::/64")),
        Block("64:ff9b:1::/48", .special("local-use NAT64 64:ff9b:1::/48")),
        Block("2001:db8::/32", .special("documentation network 2001:db8::/32")),
        Block("2001::/23", .special("IETF protocol assignments 2001::/23")),
        Block("2002::/16", .special("6to4 network 2002::/16")),
        Block("3fff::/20", .special("documentation network 3fff::/20")),
    ]
}
