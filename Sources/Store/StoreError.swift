/// An error from the Store: opaque, so that cases can grow; mapped to HTTP status and a
/// problem body only at the edge.
package struct StoreError: Error, Sendable, CustomStringConvertible {
    package enum Kind: Sendable, Hashable {
        case invalidInput, notFound, conflict, permissionDenied, tooManyAttempts, storage, configuration
        /// A write based on a version of the data that is no longer current.
        case stale
        /// A file of a kind that is not accepted, or whose declared type contradicts its content.
        case unsupportedMedia
        /// The password was right; the user has a second factor and must send its code.
        case secondFactorNeeded
    }

    package let kind: Kind
    package let description: String
    /// For an invalid record: each bad field with why (a form shows each beside its field).
    package let issues: [FieldIssue]
    /// For a refused upload (`.unsupportedMedia`): why, so that a page can say it in Japanese.
    package internal(set) var upload: UploadProblem?

    package init(_ kind: Kind, _ description: String, issues: [FieldIssue] = []) {
        self.kind = kind
        self.description = description
        self.issues = issues
    }

    static func dictionariesNotFound(searched: [String]) -> StoreError {
        StoreError(
            .configuration,
            "no dictionaries folder with authorities.csv found (looked in: \(searched.joined(separator: ", "))); pass --dictionaries DIR or set MIMAMORI_DICTIONARIES"
        )
    }
}
