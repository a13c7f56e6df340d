package import Foundation
import SQLiteDB

/// How long the service keeps what it writes about its own work (docs/storage.md, "Retention").
package enum HousekeepingPeriods {
    /// Sessions, once ended or expired.
    package static let sessionDays = 90
    /// Webhook deliveries made (failed ones are kept longer, for the operator).
    package static let deliveredWebhookDays = 30
    package static let failedWebhookDays = 90
    /// Notifications once read (unread ones stay until read).
    package static let readNotificationDays = 365
    /// Counts of failed sign-ins, once the lock they could cause is long over.
    package static let loginFailureDays = 1
}

extension Retention {
    /// What one housekeeping run removed.
    package struct Housekeeping: Sendable, Equatable {
        package var sessions = 0
        package var webhookDeliveries = 0
        package var notifications = 0
        package var loginFailures = 0

        package init() {}

        /// Whether anything was removed.
        package var isEmpty: Bool { self == Housekeeping() }
    }

    /// Removes the service's own bookkeeping past its period (`HousekeepingPeriods`): ended or
    /// expired sessions, webhook deliveries made or given up, notifications read long ago,
    /// stale failed-sign-in counts. The audit log is never purged here: it is the record of
    /// who saw what, kept for as long as the cases' own retention requires and archived by the
    /// operator (docs/storage.md). One audit entry says what was removed.
    @discardableResult
    package func housekeeping(now: Date = Date()) throws(StoreError) -> Housekeeping {
        func before(days: Int) -> String { Timestamp.string(now.addingTimeInterval(-Double(days) * 86_400)) }
        let sessionCutoff = before(days: HousekeepingPeriods.sessionDays)
        // A session also ends by age (12 hours after sign-in) without an ended_at.
        let expiredCreated = Timestamp.string(
            now.addingTimeInterval(-Sessions.sessionAbsoluteSeconds - Double(HousekeepingPeriods.sessionDays) * 86_400))
        return try catalogue.write { connection throws(StoreError) -> Housekeeping in
            var removed = Housekeeping()
            try connection.run("DELETE FROM sessions WHERE ended_at < ? OR created_at < ?", [sessionCutoff, expiredCreated])
            removed.sessions = connection.changes
            try connection.run(
                "DELETE FROM webhook_deliveries WHERE delivered_at < ? OR failed_at < ?",
                [before(days: HousekeepingPeriods.deliveredWebhookDays), before(days: HousekeepingPeriods.failedWebhookDays)])
            removed.webhookDeliveries = connection.changes
            try connection.run(
                """
                DELETE FROM notifications WHERE read_at < ?
                    AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.notification_id = notifications.id)
                """, [before(days: HousekeepingPeriods.readNotificationDays)])
            removed.notifications = connection.changes
            try connection.run("DELETE FROM login_failures WHERE last_at < ?", [before(days: HousekeepingPeriods.loginFailureDays)])
            removed.loginFailures = connection.changes
            if !removed.isEmpty {
                try store.audit(
                    connection, actor: .localAdministrator, action: "housekeeping", target: nil,
                    detail:
                        "sessions=\(removed.sessions) webhook_deliveries=\(removed.webhookDeliveries) notifications=\(removed.notifications) login_failures=\(removed.loginFailures)"
                )
            }
            return removed
        }
    }
}
