/// What the core lets a caller see of one search's ranked candidates (`Store.disclose`).
package struct SearchDisclosure: Sendable, Hashable {
    /// Why a search runs.
    package enum Purpose: Sendable, Hashable {
        /// A user's (or an API client's) search: filtered and audited.
        case search
        /// The service's own identity check (match alerts, measurement): the local
        /// administrator only, not audited as a search.
        case serviceCheck
    }

    /// A case the search index found, with what the policy needs to decide on it.
    package struct Candidate: Sendable, Hashable {
        package let caseID: String
        package let holder: String
        package let addressMunicipality: String?
        /// The person found is the case's child (records linked as one child group by it).
        package let isChild: Bool

        package init(caseID: String, holder: String, addressMunicipality: String?, isChild: Bool = false) {
            self.caseID = caseID
            self.holder = holder
            self.addressMunicipality = addressMunicipality
            self.isChild = isChild
        }
    }

    /// One search: its candidates best first, the page asked for, and how the audit log
    /// records it.
    package struct Request: Sendable {
        /// The search terms as the audit log keeps them (its designated field for them).
        package let description: String
        package let candidates: [Candidate]
        package let offset: Int
        package let limit: Int
        /// Why the search was refused before any candidate was read (audited as such).
        package let refused: String?

        package init(description: String, candidates: [Candidate], offset: Int = 0, limit: Int = Int.max, refused: String? = nil) {
            self.description = description
            self.candidates = candidates
            self.offset = max(0, offset)
            self.limit = max(0, limit)
            self.refused = refused
        }
    }

    /// A candidate the caller may see.
    package struct Hit: Sendable, Hashable {
        /// Its position in the request's `candidates`.
        package let candidate: Int
        /// Whether the caller may open the full record (else the identity summary only).
        package let full: Bool
        /// Other records of the same child the caller may see, linked by their holders
        /// (`CaseLinks`): shown within this hit, after it in the candidates' order.
        package var linked: [Hit] = []
    }

    /// How many hits the caller may see in all (records linked as one child count once).
    package let total: Int
    /// The page of them asked for, in the candidates' order.
    package let hits: [Hit]
}
