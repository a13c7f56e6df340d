package import Indexer
package import Store

/// A parsed search: name pieces with their keys, dates, and filters.
package struct SearchQuery: Sendable {
    package struct Name: Sendable {
        /// What the user typed for this piece.
        package var text: String
        package var keys: NamePartKeys
    }

    /// The person's name pieces, in the order typed (family/given order is not assumed).
    package var names: [Name] = []
    /// Alternative readings of a name typed without a space (山田太郎 → 山田 / 太郎).
    package var splits: [[Name]] = []
    package var birthdate: PartialDate?
    package var birthdateRange: ClosedRange<PartialDate>?
    package var sex: Sex?
    /// Guardian name pieces: cases whose guardian matches rank higher.
    package var guardianNames: [Name] = []
    /// Set when the query says the person sought is a guardian (母, 父, 保護者).
    package var wantsGuardian = false
    package var prefectureCode: String?
    package var limit = 20
    package var offset = 0
}

/// Why a search request cannot be run, said so the user can fix it.
package struct QueryError: Error, Sendable, Hashable, CustomStringConvertible {
    package let description: String
    package init(_ description: String) { self.description = description }
}
