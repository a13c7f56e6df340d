package import Foundation

/// Timestamps as stored: ISO 8601 in UTC with milliseconds, so they sort as text.
package enum Timestamp {
    static func now() -> String { string(Date()) }

    package static func date(_ text: String) -> Date? {
        try? Date(text, strategy: .iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
    }

    static func string(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
    }
}
