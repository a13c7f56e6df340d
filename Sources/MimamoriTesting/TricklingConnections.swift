package import Foundation

/// Connections that each send a request one byte at a time (a slow-loris client), to test a
/// server's deadlines: `step()` sends every open connection its next byte and notes which ones
/// the server has closed, and when.
package final class TricklingConnections {
    private var sockets: [Int32?]
    private var sent: [Int]
    private let request: [UInt8]
    /// When the connections were opened.
    package let opened: Date
    /// When each connection was found closed by the server (nil: still open).
    package private(set) var closedAt: [Date?]
    /// What the server sent on each connection.
    package private(set) var received: [[UInt8]]

    /// Seconds from the connections' opening to the moment each was found closed (nil: open).
    package var closedAfter: [Double?] { closedAt.map { $0?.timeIntervalSince(opened) } }

    /// Opens `count` connections with `client` and sends each the first `prefix` bytes of
    /// `request` at once (e.g. whole headers, before trickling the body).
    package init(client: RawHTTPClient, count: Int, request: [UInt8], prefix: Int = 0) throws {
        self.request = request
        sockets = []
        for _ in 0..<count { sockets.append(try client.hold()) }
        opened = Date()
        sent = Array(repeating: 0, count: count)
        closedAt = Array(repeating: nil, count: count)
        received = Array(repeating: [], count: count)
        for index in sockets.indices where prefix > 0 { send(index, count: min(prefix, request.count)) }
    }

    deinit { closeAll() }

    /// How many connections the server has not closed.
    package var openCount: Int { sockets.count(where: { $0 != nil }) }

    /// Bytes of the request sent on connection `index` so far.
    package func bytesSent(_ index: Int) -> Int { sent[index] }

    /// Sends the next `bytes` of the request on every open connection (fewer at its end, none
    /// once it is all sent), then reads what the server sent and notes the connections it has
    /// closed. Returns `openCount`.
    @discardableResult
    package func step(bytes: Int = 1) -> Int {
        for index in sockets.indices {
            let count = min(bytes, request.count - sent[index])
            if count > 0 { send(index, count: count) }
            readAvailable(index)
        }
        return openCount
    }

    /// Trickles: `step(bytes:)` every `interval` seconds until every connection is closed or
    /// `seconds` have passed. Returns `openCount`.
    @discardableResult
    package func trickle(every interval: Double, for seconds: Double, bytes: Int = 1) -> Int {
        let end = Date().addingTimeInterval(seconds)
        while step(bytes: bytes) > 0 && Date() < end { Thread.sleep(forTimeInterval: interval) }
        return openCount
    }

    /// Closes every connection still open.
    package func closeAll() {
        for index in sockets.indices {
            if let socket = sockets[index] { close(socket) }
            sockets[index] = nil
        }
    }

    private func send(_ index: Int, count: Int) {
        guard let socket = sockets[index] else { return }
        let start = sent[index]
        let written = request[start..<(start + count)].withUnsafeBytes {
            Foundation.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
        }
        if written > 0 { sent[index] += written } else { markClosed(index) }
    }

    /// Reads whatever the server has sent; the server closed the connection when reading gives
    /// the end of the stream or an error (its shutdown may also arrive as a reset).
    private func readAvailable(_ index: Int) {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while let socket = sockets[index] {
            var pending = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
            guard poll(&pending, 1, 0) > 0 else { return }
            let count = recv(socket, &buffer, buffer.count, Int32(MSG_DONTWAIT))
            if count > 0 {
                received[index] += buffer[0..<count]
            } else {
                if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) { return }
                markClosed(index)
            }
        }
    }

    private func markClosed(_ index: Int) {
        guard let socket = sockets[index] else { return }
        close(socket)
        sockets[index] = nil
        closedAt[index] = Date()
    }
}
