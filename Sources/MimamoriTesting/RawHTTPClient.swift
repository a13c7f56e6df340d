import Foundation

/// A deliberately plain HTTP/1.1 client over a POSIX socket, so tests can send exactly the
/// bytes a misbehaving client would (huge headers, oversized or chunked bodies, silence).
package struct RawHTTPClient: Sendable {
    package let port: UInt16
    /// The local address the client connects from (any of 127.0.0.0/8), so a test can tell the
    /// address the server reports from a constant.
    package let sourceAddress: String
    /// The server's address (any of 127.0.0.0/8, for a server bound to one of them).
    package let address: String

    package init(port: UInt16, sourceAddress: String = "127.0.0.1", address: String = "127.0.0.1") {
        self.port = port
        self.sourceAddress = sourceAddress
        self.address = address
    }

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

    /// Sends `bytes` as they are (a malformed request, say), gives the server `patience` to answer,
    /// then shuts down the sending side (so a server waiting for more hangs up at once) and reads
    /// until the server closes. Returns every byte received, possibly none.
    package func exchange(_ bytes: [UInt8], patience: Duration = .milliseconds(250), timeout: Int = 5) throws -> [UInt8] {
        let socket = try connect(timeout: timeout)
        defer { close(socket) }
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { Foundation.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if sent <= 0 { break }
            offset += sent
        }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var pending = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
        let milliseconds = Int32(patience.components.seconds * 1000 + patience.components.attoseconds / 1_000_000_000_000_000)
        while poll(&pending, 1, milliseconds) > 0 {
            let count = recv(socket, &buffer, buffer.count, 0)
            if count <= 0 { return received }
            received += buffer[0..<count]
        }
        shutdown(socket, Int32(SHUT_WR))
        return received + readAll(socket)
    }

    /// Connects and sends nothing: returns how many seconds pass before the server hangs up.
    package func silentConnectionLifetime(limit: Int) throws -> Double {
        let socket = try connect(timeout: limit)
        defer { close(socket) }
        let started = Date()
        _ = readAll(socket)
        return Date().timeIntervalSince(started)
    }

    /// Opens a connection that sends nothing (a client holding a slot); `close` it when done.
    package func hold() throws -> Int32 {
        try connect(timeout: 5)
    }

    private func connect(timeout: Int) throws -> Int32 {
        let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw POSIXError(.EIO) }
        var time = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
        if sourceAddress != "127.0.0.1" {
            var local = sockaddr_in()
            local.sin_family = sa_family_t(AF_INET)
            local.sin_addr.s_addr = inet_addr(sourceAddress)
            let bound = withUnsafePointer(to: &local) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard bound == 0 else {
                close(socket)
                throw POSIXError(.EADDRNOTAVAIL)
            }
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr(self.address)
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
