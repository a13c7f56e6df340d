/// How sure a hit is, at a glance: `exact` (name and full birthdate agree), `likely`
/// (strong name agreement and a compatible birthdate), `possible` (anything weaker: a
/// namesake, a partial name, a conflicting birthdate).
package enum MatchGrade: String, Codable, Sendable, Comparable, CaseIterable {
    case possible, likely, exact

    package static func < (lhs: MatchGrade, rhs: MatchGrade) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
