package import Store

/// An error from the Indexer: opaque, like `StoreError`, so that kinds can grow. The search
/// index, the dictionaries and the change feed it follows fail with it; the Query layer
/// turns it into a `StoreError` at its boundary (`StoreError(_:)` there).
package struct IndexError: Error, Sendable, CustomStringConvertible {
    package enum Kind: Sendable, Hashable {
        /// The index file could not be opened, read or written.
        case storage
        /// The installation is wrong: a dictionary file missing or malformed, or an index
        /// written by a newer build.
        case configuration
        /// The Store failed while the index read its change feed (`storeError` says how).
        case store
    }

    package let kind: Kind
    package let description: String
    /// The Store's own error, when the failure came from the Store (`kind == .store`).
    package let storeError: StoreError?

    package init(_ kind: Kind, _ description: String) {
        self.kind = kind
        self.description = description
        storeError = nil
    }

    /// The Store's error, carried as it is (its description unchanged).
    package init(_ error: StoreError) {
        kind = .store
        description = error.description
        storeError = error
    }

    /// Runs `body`, a call into the Store, with its error carried as an index error.
    static func fromStore<T>(_ body: () throws(StoreError) -> T) throws(IndexError) -> T {
        do { return try body() } catch { throw IndexError(error) }
    }
}
