import CCurl
import Glibc

/// Sends requests out of the service (webhook deliveries) with libcurl, connecting only where
/// `OutboundPolicy` allows.
///
/// The policy is applied to the address itself, right before it is connected to: libcurl
/// resolves the name, then asks `CURLOPT_OPENSOCKETFUNCTION` for a socket for each address it is
/// about to connect to, and gets none for a refused one; it then connects that socket to exactly
/// the address that was judged. No second resolution happens between the check and the connect,
/// so a name that resolves differently each time (DNS rebinding) gains nothing, and every
/// spelling of an address (`2130706433`, `0x7f.1`, `127.1`, `[::ffff:127.0.0.1]`) is judged as
/// the address it is. `CURLOPT_PREREQFUNCTION` checks the connected peer once more before
/// anything is sent. Redirects are not followed, only http and https are spoken, no proxy
/// from the environment is used (a proxy's address would be the one checked), and TLS is
/// verified against the name in the URL as usual.
package struct OutboundClient: Sendable {
    package let policy: OutboundPolicy
    /// Seconds to connect, and for the whole exchange.
    package let connectTimeout: Int
    package let timeout: Int

    package init(policy: OutboundPolicy, connectTimeout: Int = 5, timeout: Int = 10) {
        self.policy = policy
        self.connectTimeout = connectTimeout
        self.timeout = timeout
    }

    /// How one request ended.
    package enum Outcome: Equatable, Sendable {
        /// The server answered with this status (a redirect is an answer, not followed).
        case answered(Int)
        /// Every address the URL led to was refused by the policy: why.
        case refused(String)
        /// No answer: libcurl's reason.
        case failed(String)
    }

    /// libcurl's global state, set up once per process (FoundationNetworking shares the same
    /// library and reference-counts it).
    package static func initializeLibrary() { _ = initialized }
    private static let initialized: Bool = curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK

    /// POSTs `body` to `url` with `headers` (names and values without line breaks) and waits
    /// for the answer, whose body is read and dropped.
    package func post(_ url: String, body: [UInt8], headers: [(name: String, value: String)]) -> Outcome {
        Self.initializeLibrary()
        guard headers.allSatisfy({ !"\($0.name)\($0.value)".contains(where: \.isNewline) }) else { return .failed("a header holds a line break") }
        guard let handle = curl_easy_init() else { return .failed("libcurl could not start a request") }
        defer { curl_easy_cleanup(handle) }
        var list: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(list) }
        // "Expect:" keeps libcurl from waiting for a 100 Continue before a larger body.
        for line in headers.map({ "\($0.name): \($0.value)" }) + ["Expect:"] { list = curl_slist_append(list, line) }
        let check = ConnectCheck(policy: policy)
        let context = Unmanaged.passUnretained(check).toOpaque()
        // libcurl writes its reason here during the transfer: the buffer lives until the handle is done.
        let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        defer { errorBuffer.deallocate() }
        let steps: [CURLcode] = [
            ccurl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer),
            ccurl_setopt_string(handle, CURLOPT_URL, url),
            ccurl_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "http,https"),
            ccurl_setopt_string(handle, CURLOPT_REDIR_PROTOCOLS_STR, "http,https"),
            ccurl_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 0),
            ccurl_setopt_string(handle, CURLOPT_PROXY, ""),
            ccurl_setopt_string(handle, CURLOPT_NOPROXY, "*"),
            ccurl_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, 1),
            ccurl_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, 2),
            ccurl_setopt_long(handle, CURLOPT_NOSIGNAL, 1),
            ccurl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT, connectTimeout),
            ccurl_setopt_long(handle, CURLOPT_TIMEOUT, timeout),
            ccurl_setopt_string(handle, CURLOPT_USERAGENT, "Mimamori-Webhook"),
            ccurl_setopt_headers(handle, list),
            ccurl_setopt_long(handle, CURLOPT_POST, 1),
            ccurl_setopt_long(handle, CURLOPT_POSTFIELDSIZE, body.count),
            body.withUnsafeBytes { ccurl_setopt_pointer(handle, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: $0.baseAddress)) },
            ccurl_setopt_opensocket(handle, openSocket),
            ccurl_setopt_pointer(handle, CURLOPT_OPENSOCKETDATA, context),
            ccurl_setopt_prereq(handle, checkPeer),
            ccurl_setopt_pointer(handle, CURLOPT_PREREQDATA, context),
            ccurl_setopt_write(handle, discard),
        ]
        guard steps.allSatisfy({ $0 == CURLE_OK }) else { return .failed("libcurl refused an option (older than 7.85?)") }
        let result = withExtendedLifetime(check) { curl_easy_perform(handle) }
        guard result == CURLE_OK else {
            // A name may lead to several addresses: refused only when no allowed one answered.
            if let refusal = check.refusals.first { return .refused(refusal) }
            let detail = String(cString: errorBuffer)
            return .failed(detail.isEmpty ? String(cString: curl_easy_strerror(result)) : detail)
        }
        var status = 0
        _ = ccurl_response_code(handle, &status)
        return .answered(status)
    }
}

/// The policy and what it refused, for one request's callbacks (which run on the thread that
/// called `curl_easy_perform`, one at a time).
private final class ConnectCheck: @unchecked Sendable {
    let policy: OutboundPolicy
    var refusals: [String] = []

    init(policy: OutboundPolicy) { self.policy = policy }

    /// Whether `address` may be connected to; a refusal is remembered.
    func allows(_ address: IPAddress?) -> Bool {
        guard let address else {
            refusals.append("refused to connect: not an IPv4 or IPv6 address")
            return false
        }
        if let refusal = policy.refusal(of: address) {
            refusals.append(refusal)
            return false
        }
        return true
    }
}

/// `CURLOPT_OPENSOCKETFUNCTION`: a socket for an allowed address, none for a refused one.
private let openSocket: curl_opensocket_callback = { context, purpose, address in
    guard let context, let address, purpose == CURLSOCKTYPE_IPCXN else { return CURL_SOCKET_BAD }
    let check = Unmanaged<ConnectCheck>.fromOpaque(context).takeUnretainedValue()
    guard check.allows(IPAddress(socketAddress: ccurl_sockaddr_address(address))) else { return CURL_SOCKET_BAD }
    return socket(address.pointee.family, address.pointee.socktype | Int32(SOCK_CLOEXEC.rawValue), address.pointee.protocol)
}

/// `CURLOPT_PREREQFUNCTION`: the connected peer, checked again before the request is sent.
private let checkPeer: curl_prereq_callback = { context, primary, _, _, _ in
    guard let context, let primary else { return Int32(CURL_PREREQFUNC_ABORT) }
    let check = Unmanaged<ConnectCheck>.fromOpaque(context).takeUnretainedValue()
    let text = String(cString: primary)
    let address = IPAddress(text.split(separator: "%", maxSplits: 1).first ?? "")  // no zone
    return check.allows(address) ? Int32(CURL_PREREQFUNC_OK) : Int32(CURL_PREREQFUNC_ABORT)
}

/// `CURLOPT_WRITEFUNCTION`: the answer's body is not used.
private let discard: curl_write_callback = { _, size, count, _ in size * count }
