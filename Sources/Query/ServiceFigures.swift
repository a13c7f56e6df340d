package import CoreMetrics
import Indexer
import Logging
import Store

/// The figures of the service's background paths, read when the metrics are scraped: how far
/// the search index lags each partition (changes not yet applied), the webhook backlog, and
/// the match checks waiting. Gauges through swift-metrics, into the factory `serve` passes
/// (its Prometheus registry). No personal data: counts only, labelled by prefecture code.
package final class ServiceFigures: Sendable {
    private let engine: SearchEngine
    private let factory: any MetricsFactory
    private let webhookBacklog: Gauge
    private let matchQueue: Gauge

    package init(engine: SearchEngine, factory: any MetricsFactory) {
        self.engine = engine
        self.factory = factory
        webhookBacklog = Gauge(label: "mimamori_webhook_backlog", dimensions: [], factory: factory)
        matchQueue = Gauge(label: "mimamori_match_checks_waiting", dimensions: [], factory: factory)
    }

    /// Reads the figures now; a failure is logged and leaves the last value.
    package func refresh() {
        let store = engine.store
        do {
            webhookBacklog.record(try store.webhooks.backlog(as: .localAdministrator))
            matchQueue.record(try engine.index.pendingMatchCheckCount())
            let cursors = try engine.index.cursors()
            for code in store.existingPartitions() {
                let lag = try store.changeFeed.latestChange(inPrefecture: code) - (cursors[code] ?? 0)
                Gauge(label: "mimamori_index_lag_changes", dimensions: [("prefecture", code)], factory: factory).record(max(0, lag))
            }
        } catch {
            store.logger.error("the service figures could not be read", metadata: ["error": "\(error)"])
        }
    }
}
