import Outbound
import Testing

/// Where the service may send: the kinds of address, the operator's list, the networks it
/// accepts, and the save-time reading of a URL (libcurl's parser, as the sender reads it).
struct OutboundPolicyTests {
    @Test(
        "every special-purpose block has its kind; an IPv6 address carrying an IPv4 one is judged as that",
        arguments: [
            ("127.0.0.1", "loopback"), ("127.255.255.254", "loopback"), ("0.0.0.0", "unspecified"), ("0.1.2.3", "unspecified"),
            ("169.254.169.254", "link-local"), ("224.0.0.1", "multicast"), ("239.255.255.250", "multicast"),
            ("255.255.255.255", "broadcast"), ("240.0.0.1", "reserved"), ("10.1.2.3", "special"), ("172.16.0.1", "special"),
            ("172.31.255.255", "special"), ("172.32.0.1", "global"), ("192.168.1.1", "special"), ("100.64.0.1", "special"),
            ("100.128.0.1", "global"), ("198.18.0.1", "special"), ("198.20.0.1", "global"), ("192.0.0.8", "special"),
            ("192.0.2.2", "special"), ("203.0.113.9", "special"), ("8.8.8.8", "global"), ("::1", "loopback"), ("::", "unspecified"),
            ("::ffff:127.0.0.1", "loopback"), ("::ffff:7f00:1", "loopback"), ("::ffff:169.254.169.254", "link-local"),
            ("::ffff:10.0.0.1", "special"), ("::ffff:8.8.8.8", "global"), ("64:ff9b::7f00:1", "loopback"), ("64:ff9b::808:808", "global"),
            ("::127.0.0.1", "reserved"), ("fe80::1", "link-local"), ("febf::1", "link-local"), ("ff02::1", "multicast"),
            ("fd00::2", "special"), ("fc00::1", "special"), ("fec0::1", "special"), ("2001:db8::1", "special"), ("2002:7f00:1::", "special"),
            ("2606:4700::1", "global"),
        ])
    func kinds(_ text: String, _ expected: String) throws {
        let address = try #require(IPAddress(text))
        let kind: String =
            switch OutboundPolicy.kind(of: address) {
            case .global: "global"
            case .special: "special"
            case .never(let reason): reason.rawValue
            }
        #expect(kind == expected, "\(text)")
    }

    @Test("special-purpose addresses are allowed only inside a listed network; never-allowed ones not even under 0.0.0.0/0 and ::/0")
    func allowList() throws {
        func refusal(_ text: String, _ policy: OutboundPolicy) throws -> String? { policy.refusal(of: try #require(IPAddress(text))) }
        let none = OutboundPolicy()
        #expect(try refusal("8.8.8.8", none) == nil)
        #expect(try refusal("192.0.2.2", none)?.contains("documentation network 192.0.2.0/24 is allowed only inside") == true)
        #expect(try refusal("127.0.0.1", none)?.contains("loopback addresses are never allowed") == true)
        let lgwan = OutboundPolicy(allowing: [try IPNetwork("192.0.2.0/24"), try IPNetwork("fd00::/8")])
        for allowed in ["192.0.2.2", "::ffff:192.0.2.2", "fd00::2", "8.8.8.8"] { #expect(try refusal(allowed, lgwan) == nil, "\(allowed)") }
        for refused in ["192.0.3.0", "10.0.0.1", "fc00::1"] where OutboundPolicy.kind(of: try #require(IPAddress(refused))) != .global {
            #expect(try refusal(refused, lgwan) != nil, "\(refused)")
        }
        let everything = OutboundPolicy(allowing: [try IPNetwork("0.0.0.0/0"), try IPNetwork("::/0")])
        for refused in ["127.0.0.1", "::1", "::ffff:127.0.0.1", "169.254.169.254", "fe80::1", "0.0.0.0", "::", "255.255.255.255", "224.0.0.1"] {
            #expect(try refusal(refused, everything) != nil, "\(refused)")
        }
        #expect(try refusal("10.0.0.1", everything) == nil)
    }

    @Test("a listed network is written strictly: dotted decimal, a prefix in range, no host bits")
    func networks() throws {
        #expect(try IPNetwork("10.0.0.0/8").description == "10.0.0.0/8")
        #expect(try IPNetwork("192.0.2.7").description == "192.0.2.7/32")
        #expect(try IPNetwork("fd00::/8").description == "fd00::/8")
        #expect(try IPNetwork("0.0.0.0/0").contains(try #require(IPAddress("203.0.113.1"))))
        #expect(!(try IPNetwork("0.0.0.0/0").contains(try #require(IPAddress("::1")))))
        for (text, message) in [
            ("10.1.2.3/8", "did you mean 10.0.0.0/8"), ("10.0.0.0/33", "prefix length must be 0–32"), ("127.1/8", "not an IPv4 address"),
            ("0x7f.0.0.0/8", "not an IPv4 address"), ("2130706433", "not an IPv4 address"), (" 10.0.0.0/8", "not an IPv4 address"),
            ("10.0.0.0/-1", "prefix length"), ("10.0.0.0/", "prefix length"), ("::ffff:10.0.0.0/104", "dotted decimal"),
            ("fd00::/129", "prefix length must be 0–128"),
        ] {
            #expect(throws: IPNetwork.ParseError.self, "\(text)") { try IPNetwork(text) }
            do { _ = try IPNetwork(text) } catch { #expect(error.description.contains(message), "\(text): \(error)") }
        }
        #expect(OutboundPolicy.neverAllowed(try IPNetwork("127.0.0.0/8")) == .loopback)
        #expect(OutboundPolicy.neverAllowed(try IPNetwork("169.254.169.254")) == .linkLocal)
        #expect(OutboundPolicy.neverAllowed(try IPNetwork("0.0.0.0/0")) == nil)
        #expect(OutboundPolicy.neverAllowed(try IPNetwork("10.0.0.0/8")) == nil)
    }

    @Test(
        "a saved URL is read by libcurl's parser: every spelling of a never-allowed address, user-info and other schemes are refused",
        arguments: [
            ("http://127.0.0.1:8080/hook", DestinationURL.Problem.forbidden(host: "127.0.0.1", .loopback)),
            ("http://2130706433/", .forbidden(host: "127.0.0.1", .loopback)), ("http://0x7f000001/", .forbidden(host: "127.0.0.1", .loopback)),
            ("http://0x7f.1/", .forbidden(host: "127.0.0.1", .loopback)), ("http://127.1/", .forbidden(host: "127.0.0.1", .loopback)),
            ("http://0177.0.0.1/", .forbidden(host: "127.0.0.1", .loopback)), ("HTTP://[::1]/", .forbidden(host: "[::1]", .loopback)),
            ("http://[::ffff:127.0.0.1]/", .forbidden(host: "[::ffff:127.0.0.1]", .loopback)),
            ("http://[::ffff:7f00:1]/", .forbidden(host: "[::ffff:7f00:1]", .loopback)),
            ("http://localhost/", .forbidden(host: "localhost", .loopback)),
            ("http://LOCALHOST./", .forbidden(host: "LOCALHOST.", .loopback)), ("http://a.localhost/", .forbidden(host: "a.localhost", .loopback)),
            ("http://0/", .forbidden(host: "0.0.0.0", .unspecified)), ("http://[::]/", .forbidden(host: "[::]", .unspecified)),
            ("http://169.254.169.254/latest/meta-data/", .forbidden(host: "169.254.169.254", .linkLocal)),
            ("http://[fe80::1%25eth0]/", .forbidden(host: "[fe80::1]", .linkLocal)),
            ("http://255.255.255.255/", .forbidden(host: "255.255.255.255", .broadcast)),
            ("http://a@127.0.0.1/", .userInfo), ("http://a:b@hooks.example.jp/", .userInfo), ("http://evil.example\\@127.0.0.1/", .userInfo),
            ("file:///etc/passwd", .notHTTP), ("gopher://hooks.example.jp/", .notHTTP), ("hooks.example.jp/hook", .notHTTP),
            ("http://exa mple.jp/", .notHTTP), ("http://" + String(repeating: "a", count: 2_000) + ".jp/", .tooLong),
        ])
    func savedURLs(_ url: String, _ problem: DestinationURL.Problem) {
        #expect(throws: problem, "\(url)") { try DestinationURL.check(url) }
    }

    @Test("names, public and private addresses pass the save-time check (where they lead is judged at connect time)")
    func acceptedURLs() throws {
        #expect(try DestinationURL.check("https://hooks.example.jp/mimamori?x=1") == "hooks.example.jp")
        #expect(try DestinationURL.check("http://10.20.0.5:8080/hook") == "10.20.0.5")
        #expect(try DestinationURL.check("http://[fd00::2]/hook") == "[fd00::2]")
    }

    @Test("the client refuses a never-allowed address before connecting, and says why")
    func clientRefuses() {
        let client = OutboundClient(policy: OutboundPolicy())
        for url in ["http://127.0.0.1:1/", "http://2130706433:1/", "http://[::1]:1/", "http://[::ffff:127.0.0.1]:1/", "http://localhost:1/"] {
            let outcome = client.post(url, body: Array("{}".utf8), headers: [])
            guard case .refused(let reason) = outcome else {
                Issue.record("\(url): \(outcome)")
                continue
            }
            #expect(reason.contains("loopback addresses are never allowed"), "\(url): \(reason)")
        }
    }
}
