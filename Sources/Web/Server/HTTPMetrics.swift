import Synchronization

/// The request metrics of one `HTTPServer`, safe to update from libmicrohttpd's threads and
/// rendered in the Prometheus text exposition format 0.0.4:
///
/// - `mimamori_http_requests_total{route,method,status}`: a counter of answered requests;
/// - `mimamori_http_request_duration_seconds{route}`: a histogram of the time from the request
///   line to the last byte of the response;
/// - `mimamori_http_requests_in_flight`: a gauge of requests being read, handled or answered.
///
/// Labels are the route template the application matched (`HTTPResponse.route`; "unmatched"
/// when none did), the method (one of `knownMethods`, else "other") and the status. Never a raw
/// path or query: those may carry names and birthdates.
///
/// See https://prometheus.io/docs/instrumenting/exposition_formats/.
package final class HTTPMetrics: Sendable {
    /// Upper bounds of the duration buckets, in seconds (`+Inf` follows).
    package static let durationBuckets: [Double] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
    /// Methods that keep their own label; any other method is labelled "other".
    package static let knownMethods: Set<String> = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
    /// Distinct route labels kept; requests of any further route are labelled "other", so a
    /// route template built from request data cannot grow the registry without bound.
    package static let maxRoutes = 200

    private struct RequestKey: Hashable {
        let route: String
        let method: String
        let status: Int
    }

    private struct Histogram {
        /// Per bucket (not cumulative), the last one for `+Inf`.
        var counts = [UInt64](repeating: 0, count: HTTPMetrics.durationBuckets.count + 1)
        var sum = 0.0
        var count: UInt64 = 0

        mutating func observe(_ seconds: Double) {
            let index = HTTPMetrics.durationBuckets.firstIndex { seconds <= $0 } ?? HTTPMetrics.durationBuckets.count
            counts[index] += 1
            sum += seconds
            count += 1
        }
    }

    private struct State {
        var requests: [RequestKey: UInt64] = [:]
        var durations: [String: Histogram] = [:]
        var inFlight = 0
    }

    private let state = Mutex(State())

    package init() {}

    /// The label of a method: itself when it is one of `knownMethods`, else "other".
    package static func methodLabel(_ method: String) -> String {
        knownMethods.contains(method) ? method : "other"
    }

    /// The label of a route template: "unmatched" for nil.
    package static func routeLabel(_ route: String?) -> String {
        route ?? "unmatched"
    }

    /// A request has begun (its headers are in).
    func requestStarted() {
        state.withLock { $0.inFlight += 1 }
    }

    /// A request has ended: it was answered with `status` (counted) or abandoned (nil: only the gauge moves).
    func requestEnded(route: String?, method: String, status: Int?, seconds: Double) {
        let method = Self.methodLabel(method)
        state.withLock { state in
            state.inFlight -= 1
            guard let status else { return }
            var route = Self.routeLabel(route)
            if state.durations[route] == nil && state.durations.count >= Self.maxRoutes { route = "other" }
            state.requests[RequestKey(route: route, method: method, status: status), default: 0] += 1
            state.durations[route, default: Histogram()].observe(seconds)
        }
    }

    /// Requests being read, handled or answered now.
    package var inFlight: Int { state.withLock { $0.inFlight } }

    /// Requests answered so far, over all labels.
    package var requestCount: UInt64 { state.withLock { $0.requests.values.reduce(0, +) } }

    /// Every metric in the Prometheus text exposition format 0.0.4 (serve it as
    /// `text/plain; version=0.0.4; charset=utf-8`), series in a stable order.
    package func render() -> String {
        let (requests, durations, inFlight) = state.withLock { ($0.requests, $0.durations, $0.inFlight) }
        var text = ""
        text += "# HELP mimamori_http_requests_total HTTP requests answered, by route template, method and status.\n"
        text += "# TYPE mimamori_http_requests_total counter\n"
        let keys = requests.keys.sorted { ($0.route, $0.method, $0.status) < ($1.route, $1.method, $1.status) }
        for key in keys {
            text += "mimamori_http_requests_total{route=\"\(Self.escaped(key.route))\",method=\"\(Self.escaped(key.method))\",status=\"\(key.status)\"} \(requests[key]!)\n"
        }
        text += "# HELP mimamori_http_request_duration_seconds Time from the request line to the last byte of the response, by route template.\n"
        text += "# TYPE mimamori_http_request_duration_seconds histogram\n"
        for route in durations.keys.sorted() {
            let histogram = durations[route]!
            let label = "route=\"\(Self.escaped(route))\""
            var cumulative: UInt64 = 0
            for (index, bound) in Self.durationBuckets.enumerated() {
                cumulative += histogram.counts[index]
                text += "mimamori_http_request_duration_seconds_bucket{\(label),le=\"\(Self.number(bound))\"} \(cumulative)\n"
            }
            text += "mimamori_http_request_duration_seconds_bucket{\(label),le=\"+Inf\"} \(histogram.count)\n"
            text += "mimamori_http_request_duration_seconds_sum{\(label)} \(Self.number(histogram.sum))\n"
            text += "mimamori_http_request_duration_seconds_count{\(label)} \(histogram.count)\n"
        }
        text += "# HELP mimamori_http_requests_in_flight HTTP requests being read, handled or answered.\n"
        text += "# TYPE mimamori_http_requests_in_flight gauge\n"
        text += "mimamori_http_requests_in_flight \(inFlight)\n"
        return text
    }

    /// A label value with `\`, `"` and line feeds escaped, as the format requires.
    private static func escaped(_ value: String) -> String {
        var result = ""
        for character in value.unicodeScalars {
            switch character {
            case "\\": result += "\\\\"
            case "\"": result += "\\\""
            case "\n": result += "\\n"
            default: result.unicodeScalars.append(character)
            }
        }
        return result
    }

    /// A float as Prometheus clients write it: whole numbers without a fraction ("1", "10").
    private static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }
}
