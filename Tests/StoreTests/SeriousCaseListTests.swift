import Foundation
import MimamoriTesting
import Testing

@testable import Store

/// The ministry's serious-case list finds its cases in one lookup per partition.
struct SeriousCaseListTests {
    @Test("the serious-case list shows cases held in several prefectures' partitions, each with its holder")
    func severalPartitions() throws {
        let test = try TestStore()
        let store = test.store
        let holders = ["131016": "13", "271004": "27", "011002": "01"]
        var ids: [String: String] = [:]
        for (holder, _) in holders.sorted(by: { $0.key < $1.key }) {
            let id = try store.cases.create(json: Array(RecordFixture.line("S-\(holder)", authority: holder).utf8), as: .localAdministrator).id
            try store.seriousCases.flag(id, true, as: .localAdministrator)
            ids[id] = holder
        }
        // A case not flagged is not listed.
        _ = try store.cases.create(json: Array(RecordFixture.line("S-OTHER", authority: "271004").utf8), as: .localAdministrator)
        #expect(Set(store.existingPartitions()).isSuperset(of: ["01", "13", "27"]))

        let ministry = Actor.user(login: "ministry", authority: Authority.ministryCode, role: .ministry)
        let entries = try store.seriousCases.list(as: ministry)
        #expect(Set(entries.map(\.caseID)) == Set(ids.keys))
        for entry in entries {
            let found = try #require(entry.found, "\(entry.caseID)")
            #expect(found.holder == ids[entry.caseID])
            #expect(found.prefectureCode == holders[found.holder])
        }
        // The bulk lookup answers what one lookup per case would, and leaves out unknown ids.
        let located = try store.locate(all: Array(ids.keys) + ["no-such-case", ""])
        #expect(located.count == ids.count)
        for id in ids.keys { #expect(located[id] == (try store.locate(id))) }
        withExtendedLifetime(test) {}
    }
}
