/// The answer to a search, in the shape the HTTP API and `mimamori search --batch` write.
package struct SearchResult: Encodable, Sendable {
    package var total: Int
    package var hits: [SearchHit]
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
        package var contact: String?
    }

    package enum Access: String, Encodable, Sendable, Hashable {
        case full, summary
    }

    package var caseID: String
    package var externalID: String
    package var person: Person
    package var authority: Authority
    package var status: String
    package var score: Double
    package var grade: MatchGrade
    package var why: [String]
    package var access: Access

    enum CodingKeys: String, CodingKey {
        case caseID = "case_id", externalID = "external_id", person, authority, status, score, grade, why, access
    }
}
