import Foundation

/// One line of the structured access log: a JSON object per completed request, with the
/// time (ISO 8601, UTC, milliseconds), method, route template, status, duration, body bytes
/// in and out, and the peer's address:
///
///     {"ts":"2026-04-01T09:30:00.123Z","method":"GET","route":"/items/{id}","status":200,"duration_ms":3.412,"bytes_in":0,"bytes_out":512,"remote":"127.0.0.1"}
///
/// Nothing else, by design: never the raw path or query string, a header or a body. Requests
/// may carry personal data (an application's paths, queries and bodies can hold names and
/// birthdates), and the log must not.
struct AccessLogLine {
    var time: timespec
    /// The method label (see `HTTPMetrics.methodLabel`).
    var method: String
    /// The route template, or nil when no route matched ("unmatched").
    var route: String?
    var status: Int
    var seconds: Double
    var bytesIn: Int
    var bytesOut: Int
    var remote: String

    /// The current wall-clock time, for `time`.
    static func now() -> timespec {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return now
    }

    /// The JSON text, without a line end.
    var text: String {
        var seconds = time.tv_sec
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let timestamp =
            "\(Self.digits(Int(parts.tm_year) + 1900, 4))-\(Self.digits(Int(parts.tm_mon) + 1, 2))-\(Self.digits(Int(parts.tm_mday), 2))"
            + "T\(Self.digits(Int(parts.tm_hour), 2)):\(Self.digits(Int(parts.tm_min), 2)):\(Self.digits(Int(parts.tm_sec), 2))"
            + ".\(Self.digits(Int(time.tv_nsec) / 1_000_000, 3))Z"
        let microseconds = max(0, Int((self.seconds * 1_000_000).rounded()))
        let duration = "\(microseconds / 1000).\(Self.digits(microseconds % 1000, 3))"
        return "{\"ts\":\"\(timestamp)\",\"method\":\(jsonString(method)),\"route\":\(jsonString(HTTPMetrics.routeLabel(route))),"
            + "\"status\":\(status),\"duration_ms\":\(duration),\"bytes_in\":\(bytesIn),\"bytes_out\":\(bytesOut),\"remote\":\(jsonString(remote))}"
    }

    /// `value` zero-padded to `width` digits.
    private static func digits(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}
