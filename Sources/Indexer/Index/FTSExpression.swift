/// An FTS5 query built only from index terms, each quoted: the one way text reaches
/// `MATCH`, so that nothing a user types can be read as FTS5 syntax.
package struct FTSExpression: Sendable, Hashable, CustomStringConvertible {
    package let text: String

    private init(_ text: String) { self.text = text }

    /// Matches a row holding the term.
    package static func term(_ term: String) -> FTSExpression {
        FTSExpression("\"" + term.replacing("\"", with: "\"\"") + "\"")
    }

    /// Matches a row holding any of the terms (nil for none).
    package static func any(_ terms: [String]) -> FTSExpression? {
        either(unique(terms).map(term))
    }

    package static func either(_ expressions: [FTSExpression]) -> FTSExpression? {
        switch expressions.count {
        case 0: nil
        case 1: expressions[0]
        default: FTSExpression("(" + expressions.map(\.text).joined(separator: " OR ") + ")")
        }
    }

    package static func all(_ expressions: [FTSExpression]) -> FTSExpression? {
        switch expressions.count {
        case 0: nil
        case 1: expressions[0]
        default: FTSExpression("(" + expressions.map(\.text).joined(separator: " AND ") + ")")
        }
    }

    package var description: String { text }
}
