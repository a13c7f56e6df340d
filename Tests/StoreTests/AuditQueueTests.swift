import Dispatch
import Foundation
import MimamoriTesting
import Store
import Testing

/// The audit log's group commit: concurrent writers share transactions, lose nothing, and
/// keep the hash chain intact.
struct AuditQueueTests {
    @Test("400 searches audited from 8 threads at once: every entry written once, in order, the chain intact")
    func concurrentAudits() throws {
        let test = try TestStore()
        let store = test.store
        let failures = DispatchQueue(label: "failures")
        nonisolated(unsafe) var errors: [String] = []
        DispatchQueue.concurrentPerform(iterations: 8) { thread in
            for round in 0..<50 {
                do {
                    let candidate = SearchDisclosure.Candidate(caseID: "case-\(thread)", holder: "131016", addressMunicipality: nil)
                    _ = try store.disclose(
                        [SearchDisclosure.Request(description: "q=t\(thread)-r\(round)", candidates: [candidate])],
                        to: .user(login: "u\(thread)", authority: "131016", role: .worker))
                } catch {
                    failures.sync { errors.append("\(error)") }
                }
            }
        }
        #expect(errors.isEmpty)
        let entries = try store.auditLog.entries(as: .localAdministrator, limit: 10_000).filter { $0.action == "search" }
        #expect(entries.count == 400)
        #expect(Set(entries.compactMap(\.detail)).count == 400)
        #expect(try store.auditLog.verify() == nil)
        // Each thread's own entries are in the order it wrote them.
        for thread in 0..<8 {
            let rounds = entries.reversed().compactMap(\.detail).filter { $0.hasPrefix("q=t\(thread)-") }
            #expect(rounds == (0..<50).map { "q=t\(thread)-r\($0) hits=1" })
        }
        let referenced = try CommandRun.sqlite(
            test.dataDirectory.appendingPathComponent("catalogue.sqlite"), "SELECT count(*) FROM audit_cases WHERE holder = '131016'")
        #expect(referenced == "400")
    }
}
