import Foundation

/// Timestamps as stored: ISO 8601 in UTC with milliseconds, so they sort as text.
enum Timestamp {
    static func now() -> String { string(Date()) }

    static func date(_ text: String) -> Date? {
        try? Date(text, strategy: .iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
    }

    static func string(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
    }
}
