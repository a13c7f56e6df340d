package import CoreMetrics

/// The Store's own figures, recorded through swift-metrics into whatever factory the server
/// passes (its Prometheus registry); the default records nothing. Labels never carry data.
package struct StoreMetrics: Sendable {
    /// Audit entries written, and the group commits that wrote them (their ratio is the batch size).
    let auditEntries: Counter
    let auditCommits: Counter
    /// Time from queueing an audit entry to its durable commit.
    let auditLatency: Timer
    /// Search stage timings: retrieval (index), scoring and disclosure (access and audit).
    package let searchStage: @Sendable (_ stage: String) -> Timer

    package init(factory: any MetricsFactory = NOOPMetricsHandler.instance) {
        auditEntries = Counter(label: "mimamori_audit_entries_total", dimensions: [], factory: factory)
        auditCommits = Counter(label: "mimamori_audit_commits_total", dimensions: [], factory: factory)
        auditLatency = Timer(label: "mimamori_audit_commit_seconds", dimensions: [], factory: factory)
        searchStage = { stage in Timer(label: "mimamori_search_stage_seconds", dimensions: [("stage", stage)], factory: factory) }
    }
}
