package import InMemoryLogging
package import Logging

/// Every log line the test process's stores, indexes and web applications write, in memory:
/// one collector for the whole suite, so a test can look for a line it caused and a privacy
/// test can scan all lines written so far for personal data.
package enum TestLogs {
    /// The collector (copies of an `InMemoryLogHandler` share its entries).
    package static let handler: InMemoryLogHandler = {
        var handler = InMemoryLogHandler()
        handler.logLevel = .trace
        return handler
    }()

    /// A logger writing into the collector.
    package static func logger(_ label: String = "mimamori.test") -> Logger {
        var logger = Logger(label: label) { _ in handler }
        logger.logLevel = .trace
        return logger
    }

    /// Each line as text: the message, then each metadata value.
    package static var lines: [String] {
        handler.entries.map { entry in
            ([entry.message.description] + entry.metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" })
                .joined(separator: " ")
        }
    }
}
