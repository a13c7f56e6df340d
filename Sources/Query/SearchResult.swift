package import Store

/// The answer to a search, in the shape the HTTP API and `mimamori search --batch` write.
/// `total` is the number of hits the caller may see, whatever page was asked for; `truncated`
/// says the search stopped at its work budget (`SearchEngine.Budget`: a name shared by very
/// many people, without a birthdate), so more records may match than `total` counts.
package struct SearchResult: Encodable, Sendable {
    package var total: Int
    package var truncated: Bool
    package var hits: [SearchHit]

    package init(total: Int, truncated: Bool, hits: [SearchHit]) {
        self.total = total
        self.truncated = truncated
        self.hits = hits
    }
}

/// One person found: the identity summary any authority may see, why it matched, and
/// whether the caller may open the full record.
package struct SearchHit: Encodable, Sendable, Hashable {
    package struct Person: Encodable, Sendable, Hashable {
        package var role: String
        package var relation: String?
        package var name: String
        package var kana: String?
        package var birthdate: String?
        package var sex: String?
    }

    package struct Authority: Encodable, Sendable, Hashable {
        package var code: String
        package var name: String
        /// The holder's contact as free text (kept for existing clients): the CGC list's
        /// `contact`, else the daytime telephone.
        package var contact: String?
        /// Whom to call, by day and by night (「夜間・休日連絡先」): every member present, null
        /// where unknown.
        package var contacts: AuthorityContacts
    }

    package enum Access: String, Encodable, Sendable, Hashable {
        case full, summary
    }

    package var caseID: String
    /// The holder's own record number: only for a caller who may open the record (a summary
    /// does not reveal it).
    package var externalID: String?
    package var person: Person
    package var authority: Authority
    package var status: String
    package var score: Double
    package var grade: MatchGrade
    /// Why it matched; encoded as the reasons' English (`MatchReason.description`), the API's
    /// array of strings.
    package var why: [MatchReason]
    package var access: Access
    /// Other records of the same child, linked by their holders (both agreed): shown within
    /// this hit, each with its own holder, grade and access; encoded only when there are some.
    package var linked: [SearchHit] = []

    enum CodingKeys: String, CodingKey {
        case caseID = "case_id", externalID = "external_id", person, authority, status, score, grade, why, access, linked
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(caseID, forKey: .caseID)
        try container.encodeIfPresent(externalID, forKey: .externalID)
        try container.encode(person, forKey: .person)
        try container.encode(authority, forKey: .authority)
        try container.encode(status, forKey: .status)
        try container.encode(score, forKey: .score)
        try container.encode(grade, forKey: .grade)
        try container.encode(why.map(\.description), forKey: .why)
        try container.encode(access, forKey: .access)
        if !linked.isEmpty { try container.encode(linked, forKey: .linked) }
    }
}

extension SearchHit.Authority {
    /// The holder `code` as a hit names it, with whom to call.
    package init(_ code: String, _ store: Store) {
        let contacts = store.contacts(of: code)
        let listed = store.directory[code]
        self.init(code: code, name: listed?.name ?? code, contact: listed?.contact ?? contacts.daytime, contacts: contacts)
    }
}
