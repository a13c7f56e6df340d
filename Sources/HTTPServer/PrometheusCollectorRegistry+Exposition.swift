package import Prometheus

extension PrometheusCollectorRegistry {
    /// Every metric of the registry in the Prometheus text exposition format 0.0.4 (serve it as
    /// `text/plain; version=0.0.4; charset=utf-8`), for `GET /metrics`.
    ///
    /// Written with `emit(into:)` into a buffer of its own rather than `emitToString()`, whose
    /// one buffer is shared under a lock: scrapes on different libmicrohttpd threads never wait
    /// for each other. The registry writes families in no fixed order, each with its `# TYPE`
    /// line first; it writes no `# HELP` line for instruments made through swift-metrics.
    ///
    /// See https://prometheus.io/docs/instrumenting/exposition_formats/.
    package func exposition() -> String {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(16 << 10)
        emit(into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }
}
