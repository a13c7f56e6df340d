import CoreMetrics
package import Prometheus
import Synchronization

/// The request metrics of one `HTTPServer`: swift-metrics instruments made by a
/// `PrometheusMetricsFactory` over the registry the server was given, safe to update from
/// libmicrohttpd's threads. The series, named after the application by its prefix
/// (`HTTPServer.Configuration.metricsPrefix`, "http" by default):
///
/// - `<prefix>_requests_total{route,method,status}`: a counter of answered requests;
/// - `<prefix>_request_duration_seconds{route}`: a histogram of the time from the request
///   line to the last byte of the response, in seconds, with `durationBuckets`;
/// - `<prefix>_requests_in_flight`: a gauge of requests being read, handled or answered;
/// - `<prefix>_request_deadline_exceeded_total{phase}`: a counter of connections closed because
///   a request's headers or body did not arrive in time (`phase` "headers" or "body"; see
///   `RequestDeadlines`): slow clients, or a slow-loris attack.
///
/// Labels are the route template the application matched (`HTTPResponse.route`; "unmatched"
/// when none did), the method (one of `knownMethods`, else "other") and the status. Never a raw
/// path or query: those may carry personal data.
///
/// The instruments are made through a factory passed explicitly, never the global
/// `MetricsSystem`: each server (tests run many in one process) records into its own registry,
/// and the application may register its own metrics on the same registry, which
/// `PrometheusCollectorRegistry.exposition()` renders whole.
///
/// See https://prometheus.io/docs/practices/histograms/ and
/// https://github.com/swift-server/swift-prometheus (`PrometheusMetricsFactory`).
package final class HTTPMetrics: Sendable {
    /// Upper bounds of the duration buckets, in seconds (`+Inf` follows).
    package static let durationBuckets: [Double] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
    /// Methods that keep their own label; any other method is labelled "other".
    package static let knownMethods: Set<String> = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
    /// Distinct route labels kept; requests of any further route are labelled "other", so a
    /// route template built from request data cannot grow the registry without bound (the
    /// registry keeps every label set it is asked for, for the life of the process).
    package static let maxRoutes = 200

    /// The registry the instruments are in; `/metrics` renders it.
    package let registry: PrometheusCollectorRegistry
    /// Makes the instruments; its histograms have `durationBuckets`.
    private let factory: PrometheusMetricsFactory
    private let requestsName: String
    private let durationName: String
    private let inFlightMeter: Meter
    private let headersLate: CoreMetrics.Counter
    private let bodyLate: CoreMetrics.Counter

    private struct RequestKey: Hashable {
        let route: String
        let method: String
        let status: Int
    }

    /// The instruments made so far (so a request looks its own up rather than asking the
    /// registry under its lock), and what the tests and the route cap need to know.
    private struct State {
        var counters: [RequestKey: CoreMetrics.Counter] = [:]
        /// By route label: their count is the number of distinct route labels.
        var timers: [String: CoreMetrics.Timer] = [:]
        var inFlight = 0
        var requestCount: UInt64 = 0
    }

    private let state = Mutex(State())

    /// - Parameters:
    ///   - registry: where the instruments are registered (and what `/metrics` renders).
    ///   - prefix: the start of every series name ("http": `http_requests_total`, …); the
    ///     application puts its own name in it.
    package init(registry: PrometheusCollectorRegistry, prefix: String = "http") {
        self.registry = registry
        factory = Self.factory(registry: registry)
        requestsName = prefix + "_requests_total"
        durationName = prefix + "_request_duration_seconds"
        inFlightMeter = Meter(label: prefix + "_requests_in_flight", factory: factory)
        headersLate = CoreMetrics.Counter(label: prefix + "_request_deadline_exceeded_total", dimensions: [("phase", "headers")], factory: factory)
        bodyLate = CoreMetrics.Counter(label: prefix + "_request_deadline_exceeded_total", dimensions: [("phase", "body")], factory: factory)
    }

    /// A factory over `registry` whose duration histograms (swift-metrics `Timer`) and value
    /// histograms (aggregating `Recorder`) have `durationBuckets`, in seconds; the Prometheus
    /// backend writes a `Timer`'s bounds and sum in seconds whatever unit it was recorded in.
    /// The server's instruments are made by one; an application that adds its own instruments
    /// to the same registry may use one too (pass it as `factory:`, never bootstrap the global
    /// `MetricsSystem`).
    package static func factory(registry: PrometheusCollectorRegistry) -> PrometheusMetricsFactory {
        var factory = PrometheusMetricsFactory(registry: registry)
        // Whole microseconds, so each bound is exact ("0.0025", not a binary fraction's digits).
        factory.defaultDurationHistogramBuckets = durationBuckets.map { .microseconds(Int64(($0 * 1_000_000).rounded())) }
        factory.defaultValueHistogramBuckets = durationBuckets
        return factory
    }

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
        state.withLock { state in
            state.inFlight += 1
            inFlightMeter.increment()
        }
    }

    /// A request has ended: it was answered with `status` (counted) or abandoned (nil: only the gauge moves).
    ///
    /// The instruments are updated under the same lock as `requestCount` and `inFlight`, so a
    /// reader that sees a request counted there finds it in the registry too.
    func requestEnded(route: String?, method: String, status: Int?, duration: Duration) {
        let method = Self.methodLabel(method)
        state.withLock { state in
            state.inFlight -= 1
            inFlightMeter.decrement()
            guard let status else { return }
            var route = Self.routeLabel(route)
            if state.timers[route] == nil && state.timers.count >= Self.maxRoutes { route = "other" }
            let key = RequestKey(route: route, method: method, status: status)
            let counter =
                state.counters[key]
                ?? CoreMetrics.Counter(
                    label: requestsName, dimensions: [("route", route), ("method", method), ("status", String(status))], factory: factory)
            state.counters[key] = counter
            let timer =
                state.timers[route]
                ?? CoreMetrics.Timer(
                    label: durationName, dimensions: [("route", route)], preferredDisplayUnit: .seconds, factory: factory)
            state.timers[route] = timer
            counter.increment()
            let (seconds, attoseconds) = duration.components
            timer.recordNanoseconds(max(0, seconds) * 1_000_000_000 + attoseconds / 1_000_000_000)
            state.requestCount += 1
        }
    }

    /// A connection was closed because its request's headers or body came too late.
    func deadlineExceeded(phase: ConnectionClock.Overdue) {
        switch phase {
        case .headers: headersLate.increment()
        case .body: bodyLate.increment()
        }
    }

    /// Requests being read, handled or answered now.
    package var inFlight: Int { state.withLock { $0.inFlight } }

    /// Requests answered so far, over all labels.
    package var requestCount: UInt64 { state.withLock { $0.requestCount } }

    /// Every metric of the registry, the server's and any the application added, in the
    /// Prometheus text exposition format 0.0.4.
    package func render() -> String {
        registry.exposition()
    }
}
