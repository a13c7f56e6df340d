/// A case as stored: the record plus the Store's bookkeeping.
package struct StoredCase: Sendable, Hashable {
    package let id: String
    package let holder: String
    package let version: Int
    package let createdAt: String
    package let updatedAt: String
    /// The prefecture whose partition holds the case.
    package let prefectureCode: String
    package let record: CaseRecord
}
