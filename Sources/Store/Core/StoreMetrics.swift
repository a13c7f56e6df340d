package import CoreMetrics

/// The Store's own figures, recorded through swift-metrics into whatever factory the server
/// passes (its Prometheus registry); the default records nothing. Labels never carry data.
package struct StoreMetrics: Sendable {
    /// Audit entries written per group commit.
    let auditBatchSize: Recorder
    /// Time from queueing an audit entry to its durable commit.
    let auditLatency: Timer
    /// Search stage timings: retrieval (index), scoring and disclosure (access and audit).
    package let searchStage: @Sendable (_ stage: String) -> Timer

    package init(factory: any MetricsFactory = NOOPMetricsHandler.instance) {
        auditBatchSize = Recorder(label: "mimamori_audit_batch_entries", aggregate: true, factory: factory)
        auditLatency = Timer(label: "mimamori_audit_commit_seconds", dimensions: [], factory: factory)
        searchStage = { stage in Timer(label: "mimamori_search_stage_seconds", dimensions: [("stage", stage)], factory: factory) }
    }
}
