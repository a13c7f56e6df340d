import DemoData
import Foundation
import Testing

@testable import Store

/// An import hands the index's catch-up the identity of each record it stored
/// (`RecentIdentities`) instead of the catch-up decoding the stored body: both must be the
/// same for every record the generator makes, and an entry must never stand for other bytes.
struct RecentIdentitiesTests {
    @Test("the identity taken from a record is the one decoded from its stored body")
    func sameAsDecoded() throws {
        let sample = try DemoDataSample.shared.get()
        let validator = try DemoDataSample.validator()
        let decoder = JSONDecoder()
        var compared = 0
        for line in sample.lines {
            guard case .success(let record) = validator.validate(json: Array(line.utf8)) else { continue }
            let decoded = try decoder.decode(CaseIdentity.Body.self, from: Data(Cases.encode(record).utf8))
            let made = CaseIdentity(caseID: "c", holder: record.authority, prefectureCode: "13", body: CaseIdentity.Body(record))
            let read = CaseIdentity(caseID: "c", holder: record.authority, prefectureCode: "13", body: decoded)
            #expect(made == read)
            #expect(made.persons.map(\.role) == read.persons.map(\.role))
            #expect(made.persons.map(\.relation) == read.persons.map(\.relation))
            compared += 1
        }
        #expect(compared == sample.lines.count)
    }

    @Test("an entry is taken once, and only for the bytes it was made for")
    func onlyTheSameBytes() throws {
        let record = CaseRecord(externalID: "E-1", authority: "131016", child: PersonIdentity(familyName: "山田"))
        let packed = CaseBody.pack(Cases.encode(record))
        let recent = RecentIdentities()
        let entry = RecentIdentities.Entry(digest: .init(of: packed), body: CaseIdentity.Body(record))
        recent.remember("a", entry)
        recent.remember("b", entry)
        #expect(packed.withUnsafeBytes { recent.take("a", bodyBytes: $0) }?.externalID == "E-1")
        #expect(packed.withUnsafeBytes { recent.take("a", bodyBytes: $0) } == nil)
        var other = packed
        other[other.count - 1] ^= 1
        #expect(other.withUnsafeBytes { recent.take("b", bodyBytes: $0) } == nil)
        #expect(packed.withUnsafeBytes { recent.take("b", bodyBytes: $0) } == nil)
    }
}
