import Foundation

/// A deliberately plain HTTP/1.1 client over a POSIX socket, so tests can send exactly the
/// bytes a misbehaving client would (huge headers, oversized or chunked bodies, silence).
package struct RawHTTPClient: Sendable {
    package let port: UInt16

    package init(port: UInt16) { self.port = port }

    package struct Reply: Sendable {
        package let status: Int
        package let head: String
        package let body: String
    }

    /// Sends `request` and reads the reply until the server closes (requests carry `Connection: close`).
    package func send(_ request: [UInt8], timeout: Int = 10) throws -> Reply? {
        let socket = try connect(timeout: timeout)
        defer { close(socket) }
        var offset = 0
        while offset < request.count {
            let sent = request[offset...].withUnsafeBytes { Foundation.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if sent <= 0 { break }  // the server may close early (e.g. after refusing the headers)
            offset += sent
        }
        let data = readAll(socket)
        guard !data.isEmpty else { return nil }
        let text = String(decoding: data, as: UTF8.self)
        let parts = text.components(separatedBy: "\r\n\r\n")
        let statusLine = parts[0].split(separator: "\r\n").first.map(String.init) ?? ""
        let status = Int(statusLine.split(separator: " ").dropFirst().first ?? "") ?? 0
        return Reply(status: status, head: parts[0], body: parts.dropFirst().joined(separator: "\r\n\r\n"))
    }

    package func get(_ path: String, headers: [String] = []) throws -> Reply? {
        let head = (["GET \(path) HTTP/1.1", "Host: 127.0.0.1", "Connection: close"] + headers).joined(separator: "\r\n")
        return try send(Array((head + "\r\n\r\n").utf8))
    }

    /// Connects and sends nothing: returns how many seconds pass before the server hangs up.
    package func silentConnectionLifetime(limit: Int) throws -> Double {
        let socket = try connect(timeout: limit)
        defer { close(socket) }
        let started = Date()
        _ = readAll(socket)
        return Date().timeIntervalSince(started)
    }

    private func connect(timeout: Int) throws -> Int32 {
        let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw POSIXError(.EIO) }
        var time = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Foundation.connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            close(socket)
            throw POSIXError(.ECONNREFUSED)
        }
        return socket
    }

    private func readAll(_ socket: Int32) -> [UInt8] {
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = recv(socket, &buffer, buffer.count, 0)
            if count <= 0 { break }
            data += buffer[0..<count]
        }
        return data
    }
}
