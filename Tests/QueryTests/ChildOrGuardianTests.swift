import Foundation
import MimamoriTesting
import Query
import Store
import Testing

/// A child's name that is also a common adult name: without a role marker the child comes
/// first among equally good namesakes; 母 (or an adult's birthdate) puts the guardians first.
/// And a `likely` hit never ranks below a `possible` one.
@Suite(.serialized)
struct ChildOrGuardianTests {
    /// One child named 佐藤 恵子 (born 2018) and three mothers of that name in other cases.
    static let records: [String] =
        [
            RecordFixture.line(
                "K-CHILD",
                [
                    "child.family_name": "\"佐藤\"", "child.given_name": "\"恵子\"", "child.family_name_kana": "\"サトウ\"",
                    "child.given_name_kana": "\"ケイコ\"", "child.birthdate": "\"2018-02-02\"", "child.sex": "\"female\"",
                ])
        ]
        + (1...3).map { number in
            RecordFixture.line(
                "K-MOTHER-\(number)",
                [
                    "child.family_name": "\"佐藤\"", "child.given_name": "\"次郎\"", "child.family_name_kana": "\"サトウ\"",
                    "child.given_name_kana": "\"ジロウ\"", "child.birthdate": "\"201\(number)-03-03\"",
                    "guardians":
                        #"[{"relation": "mother", "family_name": "佐藤", "given_name": "恵子", "family_name_kana": "サトウ", "given_name_kana": "ケイコ", "birthdate": "198\#(number)-04-04", "sex": "female"}]"#,
                ])
        }

    static let search: TestSearch = try! TestSearch(lines: records)

    @Test("without a role marker the child named 佐藤 恵子 comes before the mothers of that name", arguments: ["佐藤 恵子", "さとう けいこ", "SATO KEIKO"])
    func childFirst(q: String) throws {
        let hits = try Self.search.search(q).hits
        let first = try #require(hits.first)
        #expect(first.person.role == "child" && first.externalID == "K-CHILD", "\(q): \(hits.map { "\($0.externalID ?? "") \($0.person.role)" })")
        #expect(hits.filter { $0.person.role == "guardian" }.count == 3)
    }

    @Test("with 母, or an adult's birthdate, the guardians come first", arguments: ["佐藤 恵子 母", "佐藤 恵子 1982-04-04"])
    func guardianFirst(q: String) throws {
        let hits = try Self.search.search(q).hits
        let first = try #require(hits.first)
        #expect(first.person.role == "guardian", "\(q): \(hits.map { "\($0.externalID ?? "") \($0.person.role) \($0.grade)" })")
    }

    @Test("grades never interleave: every exact before every likely before every possible")
    func gradesInOrder() throws {
        for q in ["佐藤 恵子", "さとう けいこ", "佐藤", "佐藤 恵子 母", "けいこ 2018"] {
            let grades = try Self.search.search(q).hits.map(\.grade)
            #expect(grades == grades.sorted(by: >), "\(q): \(grades)")
        }
    }
}
