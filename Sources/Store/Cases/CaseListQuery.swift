import Foundation

/// Which of its own cases an authority lists (the staff UI's case list).
package struct CaseListQuery: Sendable, Hashable {
    package enum Sort: String, Sendable, Hashable, CaseIterable { case updated, created, name, birthdate }

    /// Part of the child's name, reading, romaji or the authority's own case number.
    package var text: String
    package var status: CaseStatus?
    package var sort: Sort
    package var limit: Int
    package var offset: Int

    package init(text: String = "", status: CaseStatus? = nil, sort: Sort = .updated, limit: Int = 50, offset: Int = 0) {
        self.text = text
        self.status = status
        self.sort = sort
        self.limit = limit
        self.offset = offset
    }

    /// The text as it is compared: without spaces, lower case, hiragana as katakana (readings are stored in katakana).
    var normalizedText: String {
        let compact = text.filter { !$0.isWhitespace }.lowercased()
        return compact.applyingTransform(.hiraganaToKatakana, reverse: false) ?? compact
    }
}
