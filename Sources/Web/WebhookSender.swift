package import Foundation
package import Store

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Sends the webhook outbox: each due delivery is POSTed as JSON with
/// `X-Mimamori-Signature: sha256=<HMAC-SHA-256 of the body under the authority's secret>` and
/// `X-Mimamori-Delivery: <id>`; a 2xx answer delivers it, anything else (or no answer in
/// 10 s) retries it later with back-off. Runs apart from the writes that queued the deliveries.
package final class WebhookSender: Sendable {
    private let store: Store
    private let session: URLSession

    package init(store: Store) {
        self.store = store
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 10
        configuration.httpCookieStorage = nil
        configuration.urlCache = nil
        session = URLSession(configuration: configuration)
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
        guard let url = URL(string: delivery.url) else { return "the webhook URL does not parse" }
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.httpBody = Data(delivery.payload)
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue(delivery.signature, forHTTPHeaderField: "X-Mimamori-Signature")
        request.setValue(String(delivery.id), forHTTPHeaderField: "X-Mimamori-Delivery")
        let outcome = Outcome()
        let done = DispatchSemaphore(value: 0)
        session.dataTask(with: request) { _, response, error in
            if let error {
                outcome.set("no answer: \(error.localizedDescription)")
            } else if let status = (response as? HTTPURLResponse)?.statusCode, !(200..<300).contains(status) {
                outcome.set("answered \(status)")
            }
            done.signal()
        }.resume()
        done.wait()
        return outcome.get()
    }

    private final class Outcome: @unchecked Sendable {  // written before the semaphore is signalled, read after
        private var error: String?
        func set(_ error: String) { self.error = error }
        func get() -> String? { error }
    }
}
