/// What an actor may do with a case. The Store asks this before every read and write of
/// case data; the search layer will ask it for every hit.
///
/// This is the seam the access-rules issue fills in with the full table of
/// REQUIREMENTS.md (partner, granted, missing-child alert, ministry); until then a user
/// may act on its own authority's cases only, and sees the identity summary of any other
/// authority's case in search results. System operators see no case data at all.
package struct AccessPolicy: Sendable {
    package struct Capabilities: OptionSet, Sendable, Hashable {
        package let rawValue: Int
        package init(rawValue: Int) { self.rawValue = rawValue }

        package static let seeSummary = Capabilities(rawValue: 1 << 0)
        package static let readRecord = Capabilities(rawValue: 1 << 1)
        package static let edit = Capabilities(rawValue: 1 << 2)
        package static let transfer = Capabilities(rawValue: 1 << 3)
        package static let all: Capabilities = [.seeSummary, .readRecord, .edit, .transfer]
    }

    package init() {}

    /// The capabilities of `actor` on a case held by `holder`.
    package func capabilities(of actor: Actor, onCaseHeldBy holder: String) -> Capabilities {
        switch actor {
        case .localAdministrator:
            return .all
        case .user(_, let authority, let role):
            guard role != .systemOperator else { return [] }
            return authority == holder ? .all : [.seeSummary]
        }
    }

    /// Throws `StoreError.permissionDenied` unless `actor` has `needed` on the case.
    package func check(_ needed: Capabilities, for actor: Actor, onCaseHeldBy holder: String) throws(StoreError) {
        guard capabilities(of: actor, onCaseHeldBy: holder).isSuperset(of: needed) else {
            throw StoreError(.permissionDenied, "\(actor) may not do this with a case held by \(holder)")
        }
    }
}
