package import Foundation
import Logging
package import Outbound
package import Store

/// Sends the webhook outbox: each due delivery is POSTed as JSON with
/// `X-Mimamori-Signature: sha256=<HMAC-SHA-256 of the body under the authority's secret>` and
/// `X-Mimamori-Delivery: <id>`; a 2xx answer delivers it, anything else (a redirect too: none is
/// followed), no answer in 10 s, or a destination the policy refuses, retries it later with
/// back-off and records why. Runs apart from the writes that queued the deliveries.
///
/// Where a delivery may connect is `OutboundPolicy`'s, judged on the address actually connected
/// to (`OutboundClient`): never loopback, link-local and the like; private networks only inside
/// the operator's list (`serve --webhook-allow-network`).
package final class WebhookSender: Sendable {
    private let store: Store
    private let client: OutboundClient

    package init(store: Store, policy: OutboundPolicy = OutboundPolicy()) {
        self.store = store
        client = OutboundClient(policy: policy)
    }

    /// Sends every delivery due now; returns how many were delivered.
    @discardableResult
    package func sendDue(now: Date = Date()) throws(StoreError) -> Int {
        var delivered = 0
        for delivery in try store.webhooks.due(as: .localAdministrator, now: now) {
            let error = post(delivery)
            try store.webhooks.recordAttempt(delivery.id, error: error, now: now)
            if error == nil { delivered += 1 }
        }
        return delivered
    }

    /// POSTs one delivery; nil on a 2xx answer, else what went wrong.
    private func post(_ delivery: WebhookDelivery) -> String? {
        let outcome = client.post(
            delivery.url, body: delivery.payload,
            headers: [
                ("Content-Type", "application/json"), ("X-Mimamori-Signature", delivery.signature),
                ("X-Mimamori-Delivery", String(delivery.id)),
            ])
        switch outcome {
        case .answered(let status) where (200..<300).contains(status):
            return nil
        case .answered(let status):
            return "answered \(status)"
        case .refused(let reason):
            // The operator learns of it here (the authority and the address, nothing of a case).
            store.logger.warning("webhook destination refused", metadata: ["authority": "\(delivery.authority)", "reason": "\(reason)"])
            return reason
        case .failed(let reason):
            return "no answer: \(reason)"
        }
    }
}
