import CoreMetrics
import Foundation

/// One audit entry waiting to be written, with the notifications that go with it.
struct AuditRecord: Sendable {
    let actor: Actor
    let action: String
    let target: String?
    let detail: String?
    let cases: [(id: String, holder: String)]
    /// Notifications written in the same transaction as the entry.
    var notifications: [NotificationDraft] = []
    /// The partition outbox entry this record was carried from (written once only).
    var outboxID: String?
}

/// A notification to be delivered to an authority's inbox.
struct NotificationDraft: Sendable, Codable {
    let authority: String
    let kind: String
    let caseID: String?
    let ref: String?
    let from: String?
}

/// Group commit for the audit log. Every search and read writes an entry, and each write
/// is a durable (fsync'd) catalogue transaction: one per request would cap the service at
/// the disk's sync rate. Callers queue their entries; whoever finds no write in progress
/// writes everything queued in one transaction, and each caller returns only once the
/// transaction holding its entries has committed, so no answer leaves before its audit entry
/// is on disk.
final class AuditQueue: @unchecked Sendable {  // state guarded by `condition`
    private let condition = NSCondition()
    private let metrics: StoreMetrics
    private var queued: [(ticket: Int, records: [AuditRecord])] = []
    private var nextTicket = 0
    private var writing = false
    private var outcomes: [Int: StoreError?] = [:]

    init(metrics: StoreMetrics) {
        self.metrics = metrics
    }

    /// Writes `records` (in one batch with whatever else is queued) through `write`.
    func submit(_ records: [AuditRecord], write: ([AuditRecord]) throws(StoreError) -> Void) throws(StoreError) {
        let queuedAt = DispatchTime.now().uptimeNanoseconds
        defer { metrics.auditLatency.recordNanoseconds(Int64(DispatchTime.now().uptimeNanoseconds - queuedAt)) }
        condition.lock()
        let ticket = nextTicket
        nextTicket += 1
        queued.append((ticket, records))
        while true {
            if let outcome = outcomes.removeValue(forKey: ticket) {
                condition.unlock()
                if let outcome { throw outcome }
                return
            }
            if writing {
                condition.wait()
                continue
            }
            writing = true
            let batch = queued
            queued = []
            condition.unlock()
            var failure: StoreError?
            let records = batch.flatMap(\.records)
            metrics.auditEntries.increment(by: records.count)
            metrics.auditCommits.increment()
            do { try write(records) } catch { failure = error }
            condition.lock()
            for entry in batch { outcomes[entry.ticket] = .some(failure) }
            writing = false
            condition.broadcast()
        }
    }
}
