package import Indexer
package import Store

/// The search index's errors as Store errors, at the Query layer's boundary: the API, the
/// pages and the CLI map one error type (`StoreError`) to HTTP statuses and exit codes.
extension StoreError {
    /// The Store's own error if the index was reading the Store's change feed; otherwise a
    /// storage or configuration error with the index's message.
    package init(_ error: IndexError) {
        if let storeError = error.storeError {
            self = storeError
            return
        }
        switch error.kind {
        case .configuration: self.init(.configuration, error.description)
        case .storage, .store: self.init(.storage, error.description)
        }
    }

    /// Runs `body`, a call into the search index, with its error as a Store error.
    package static func fromIndex<T>(_ body: () throws(IndexError) -> T) throws(StoreError) -> T {
        do { return try body() } catch { throw StoreError(error) }
    }
}
