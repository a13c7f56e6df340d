import Foundation
import MimamoriTesting
import Store
import Testing

@testable import Query

/// The search result's own JSON writer (`SearchResult.json`) writes what `JSONEncoder` with
/// sorted keys writes, byte for byte: the API's answers did not change when it replaced it.
struct SearchResultJSONTests {
    @Test("random results: the writer's bytes are JSONEncoder's", arguments: 0..<200)
    func sameBytes(seed: UInt64) throws {
        var random = SplitMix64(seed: seed &+ 0x5EA7C4)
        let result = SearchResult(
            total: random.next(in: 0...1_000_000), truncated: random.next(in: 0...1) == 1,
            hits: (0..<random.next(in: 0...12)).map { _ in Self.hit(&random, depth: 0) })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let expected = try encoder.encode(result)
        #expect(String(decoding: result.json, as: UTF8.self) == String(decoding: expected, as: UTF8.self))
    }

    /// Text with what JSON must escape (quotes, backslashes, control characters), slashes it
    /// need not, and Japanese.
    static func text(_ random: inout SplitMix64) -> String {
        let pieces = ["山田", "太郎", "ヤマダ", "\"", "\\", "/", "\n", "\t", "\u{1}", "\u{1F}", "\u{7F}", "a", "Z9", " ", "髙", "😀", "\r", "\u{8}", "\u{C}"]
        return (0..<random.next(in: 0...6)).map { _ in pieces[random.next(in: 0...(pieces.count - 1))] }.joined()
    }

    static func optionalText(_ random: inout SplitMix64) -> String? {
        random.next(in: 0...2) == 0 ? nil : text(&random)
    }

    static func hit(_ random: inout SplitMix64, depth: Int) -> SearchHit {
        let scores: [Double] = [0, 90, 78, 62.5, 100, 0.1, 33.333333333333336, 1e-7, 12_345_678.9]
        let reasons: [MatchReason] = [
            .name(text(&random)), .reading(text(&random)), .fullName(family: text(&random), given: text(&random)),
            .guardian(.name(text(&random))),
        ]
        var hit = SearchHit(
            caseID: UUID().uuidString.lowercased(), externalID: optionalText(&random),
            person: SearchHit.Person(
                role: text(&random), relation: optionalText(&random), name: text(&random), kana: optionalText(&random),
                birthdate: optionalText(&random), sex: optionalText(&random)),
            authority: SearchHit.Authority(
                code: text(&random), name: text(&random), contact: optionalText(&random),
                contacts: AuthorityContacts(department: optionalText(&random), daytime: optionalText(&random), nightHoliday: optionalText(&random))),
            status: text(&random), score: scores[random.next(in: 0...(scores.count - 1))],
            grade: MatchGrade.allCases[random.next(in: 0...2)], why: (0..<random.next(in: 0...3)).map { _ in reasons[random.next(in: 0...3)] },
            access: random.next(in: 0...1) == 0 ? .full : .summary)
        if depth == 0 { hit.linked = (0..<random.next(in: 0...2)).map { _ in Self.hit(&random, depth: 1) } }
        return hit
    }
}
