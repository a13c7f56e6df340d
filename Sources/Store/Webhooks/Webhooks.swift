package import Foundation
import SQLiteDB

/// One webhook delivery due now: where, what, and how to sign it.
package struct WebhookDelivery: Sendable {
    package let id: Int
    package let authority: String
    package let url: String
    package let secret: String
    package let payload: [UInt8]
    package let attempts: Int

    /// The `X-Mimamori-Signature` value: `sha256=` and the HMAC-SHA-256 of the body under the secret.
    package var signature: String { "sha256=" + Secret.hmacSHA256(key: secret, message: payload) }
}

/// The webhook outbox: deliveries queued with their notifications, sent and retried by
/// `serve`'s worker.
package struct Webhooks: StoreFeature {
    package let store: Store

    /// Attempts before a delivery is given up (about a day of back-off).
    package static let webhookMaxAttempts = 10

    /// Deliveries due at `now`, oldest first, with the authority's current URL and secret.
    package func due(as actor: Actor, now: Date = Date(), limit: Int = 100) throws(StoreError) -> [WebhookDelivery] {
        try store.require(.serviceData, as: actor, action: "webhook.due")
        let rows = try catalogue.read { connection throws(StoreError) in
            try connection.query(
                """
                SELECT d.id, d.authority, s.webhook_url, s.webhook_secret, d.payload, d.attempts
                FROM webhook_deliveries d JOIN settings s ON s.authority = d.authority
                WHERE d.delivered_at IS NULL AND d.failed_at IS NULL AND d.next_attempt_at <= ?
                    AND s.webhook_url IS NOT NULL AND s.webhook_secret IS NOT NULL
                ORDER BY d.next_attempt_at, d.id LIMIT ?
                """, [Timestamp.string(now), limit]
            ) { row in
                WebhookDelivery(
                    id: row.int(0), authority: row.text(1), url: row.text(2), secret: row.text(3), payload: Array(row.text(4).utf8),
                    attempts: row.int(5))
            }
        }
        // The secrets are stored sealed (`SecretsKey`); the sender signs with them opened.
        var deliveries: [WebhookDelivery] = []
        for row in rows {
            let secret = try store.secretsKey.unsealText(row.secret, column: SecretsAtRest.webhookColumn, row: row.authority)
            deliveries.append(
                WebhookDelivery(id: row.id, authority: row.authority, url: row.url, secret: secret, payload: row.payload, attempts: row.attempts))
        }
        return deliveries
    }

    /// Deliveries waiting to be sent or retried (the service's backlog figure).
    package func backlog(as actor: Actor) throws(StoreError) -> Int {
        try store.require(.serviceData, as: actor, action: "webhook.backlog")
        return try catalogue.read { connection throws(StoreError) in
            try connection.first("SELECT count(*) FROM webhook_deliveries WHERE delivered_at IS NULL AND failed_at IS NULL") { $0.int(0) } ?? 0
        }
    }

    /// Records an attempt: delivered, or retried after 30 s × 2^attempts (at most 6 h), and
    /// given up after `webhookMaxAttempts`.
    package func recordAttempt(_ id: Int, error: String?, now: Date = Date()) throws(StoreError) {
        try catalogue.write { connection throws(StoreError) in
            guard let error else {
                try connection.run(
                    "UPDATE webhook_deliveries SET delivered_at = ?, attempts = attempts + 1 WHERE id = ?", [Timestamp.string(now), id])
                return
            }
            let attempts = (try connection.first("SELECT attempts FROM webhook_deliveries WHERE id = ?", [id]) { $0.int(0) } ?? 0) + 1
            let delay = min(30 * pow(2, Double(attempts - 1)), 6 * 3600)
            try connection.run(
                """
                UPDATE webhook_deliveries SET attempts = ?, last_error = ?, next_attempt_at = ?, failed_at = ? WHERE id = ?
                """,
                [
                    attempts, String(error.prefix(500)), Timestamp.string(now.addingTimeInterval(delay)),
                    attempts >= Self.webhookMaxAttempts ? Timestamp.string(now) : nil, id,
                ])
        }
    }
}
