import Foundation
import Logging
import Synchronization

/// One JSON object per line on standard error, as journald and log shippers take them:
/// `{"ts":"…","level":"error","logger":"mimamori","message":"…", …metadata}` (the time under
/// the same key as the access log's lines).
///
/// Written by hand because swift-log ships only a plain-text `StreamLogHandler`, and a JSON
/// handler is a few lines over `JSONEncoder`. What reaches it is the caller's responsibility:
/// the Store, the index and the web application log failures and figures, never names,
/// birthdates, addresses or search terms (those live in the audit log's designated fields).
struct JSONLogHandler: LogHandler {
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info
    private let label: String
    private let write: @Sendable (Data) -> Void

    /// - Parameter write: where each line goes (standard error by default; one write per line,
    ///   so lines from several threads do not interleave).
    init(label: String, write: @escaping @Sendable (Data) -> Void = { FileHandle.standardError.write($0) }) {
        self.label = label
        self.write = write
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var fields: [String: String] = [:]
        for (key, value) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 }) { fields[key] = "\(value)" }
        fields["ts"] = Self.timestamp()
        fields["level"] = event.level.rawValue
        fields["logger"] = label
        fields["message"] = event.message.description
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard var line = try? encoder.encode(fields) else { return }  // [String: String] always encodes
        line.append(0x0A)
        write(line)
    }

    private static func timestamp() -> String {
        Date().formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
    }
}
