import Foundation
import MimamoriTesting
import Testing

@testable import Store

/// `Cases.encode` (`BodyWriter`) writes the very bytes `JSONEncoder` (sorted keys, slashes
/// unescaped) writes, which stored bodies have always been.
struct BodyWriterTests {
    /// Every character class a string may hold: the control characters, the ones JSON
    /// escapes, slashes, DEL, non-ASCII (kana, kanji, Latin with accents, a line separator,
    /// an emoji) and the empty string.
    static let texts: [String] = [
        "", "山田", "ヤマダ タロウ", "a/b\\c\"d", "\u{7F}é\u{2028}\u{2029}😀", "e\u{301}",
        String((0..<0x20).map { Character(Unicode.Scalar(UInt8($0))) }), "line 1\nline 2\r\n\ttab",
    ]

    static func person(_ text: String?, _ date: PartialDate?) -> PersonIdentity {
        PersonIdentity(
            familyName: text, givenName: text, familyNameKana: text, givenNameKana: text, romaji: text, birthdate: date,
            sex: text == nil ? nil : .female, nationality: text)
    }

    static var records: [CaseRecord] {
        var records = [CaseRecord(externalID: "E-1", authority: "131016", child: PersonIdentity())]
        let dates = [try? PartialDate(year: 2018), try? PartialDate(year: 2018, month: 4), try? PartialDate(year: 2018, month: 4, day: 1)]
        for (offset, text) in texts.enumerated() {
            let date = dates[offset % dates.count]
            records.append(
                CaseRecord(
                    externalID: "E-\(text)", authority: "130001-01", status: offset.isMultiple(of: 2) ? .open : .closed,
                    child: person(text, date),
                    guardians: [
                        Guardian(relation: .mother, identity: person(text, date)), Guardian(relation: .fosterParent, identity: PersonIdentity()),
                    ],
                    household: [HouseholdMember(relation: .halfSibling, identity: person(offset.isMultiple(of: 2) ? nil : text, nil))],
                    address: Address(prefecture: text, municipality: text, municipalityCode: "131016", line: text),
                    institutions: [
                        Institution(kind: .juniorHighSchool, name: text, schooling: .notApplicable), Institution(kind: .nursery),
                    ],
                    familySituation: text,
                    consultations: [
                        Consultation(
                            date: date, source: .welfare, abuseTypes: [.neglect, .physical], assessment: text, response: text, status: .closed),
                        Consultation(),
                    ],
                    notes: text, expectedDelivery: date))
        }
        records.append(CaseRecord(externalID: "E-2", authority: "131016", child: PersonIdentity(), address: Address(prefecture: "東京都")))
        return records
    }

    @Test("the body writer writes what JSONEncoder writes, byte for byte")
    func sameBytes() throws {
        for record in Self.records {
            let expected = try record.jsonEncoded()
            let written = Cases.encode(record)
            #expect(Array(written.utf8) == Array(expected.utf8), "\(expected)")
        }
    }
}
