import Foundation
import MimamoriTesting
import Testing

@testable import Store

/// The access rules as data: relations from the directory, the default table, tightening.
struct AccessPolicyTests {
    typealias Capabilities = AccessPolicy.Capabilities

    static func user(_ authority: String, _ role: Actor.Role = .worker) -> Actor {
        .user(login: "u", authority: authority, role: role)
    }

    @Test("the partner is the CGC of the child's address for a municipality's case, and the address municipality for a CGC's case")
    func partners() throws {
        let store = try TestStore().store
        let policy = store.policy
        #expect(policy.partners(holder: "131016", addressMunicipality: "131016") == ["130001-01"])
        #expect(policy.partners(holder: "131016", addressMunicipality: nil) == ["130001-01"])
        // The child moved to 港区, which has its own CGC: that CGC is the partner.
        #expect(policy.partners(holder: "131016", addressMunicipality: "131032") == ["131032-01"])
        #expect(policy.partners(holder: "130001-01", addressMunicipality: "131016") == ["131016"])
        // A CGC's case whose child lives outside its jurisdiction has no partner municipality.
        #expect(policy.partners(holder: "130001-01", addressMunicipality: "131032").isEmpty)
        #expect(policy.partners(holder: "130001-01", addressMunicipality: "271004").isEmpty)
    }

    @Test("the default table of REQUIREMENTS.md, relation by relation")
    func defaultTable() throws {
        let store = try TestStore().store
        let policy = store.policy
        var facts = try store.accessFacts(of: [("c", "131016", "131016")])["c"]!
        let full: Capabilities = [.seeSummary, .readRecord, .readAttachments]
        #expect(policy.capabilities(of: Self.user("131016"), on: facts) == .all)
        #expect(policy.capabilities(of: Self.user("130001-01"), on: facts) == full.union(.addNote))
        #expect(policy.capabilities(of: Self.user("131024"), on: facts) == .seeSummary)
        #expect(policy.capabilities(of: Self.user("271004-01"), on: facts) == .seeSummary)
        #expect(policy.capabilities(of: Self.user("000000", .ministry), on: facts) == .seeSummary)
        #expect(policy.capabilities(of: Self.user("131016", .systemOperator), on: facts).isEmpty)
        #expect(policy.capabilities(of: .localAdministrator, on: facts) == .all)
        // Grants, alerts and serious-case flags (set by the workflows) add their rows.
        facts.grantees = ["271004"]
        facts.alertOpen = true
        facts.flaggedSerious = true
        #expect(policy.capabilities(of: Self.user("271004"), on: facts) == full)
        #expect(policy.capabilities(of: Self.user("271004-01"), on: facts) == [.seeSummary, .readAlertProfile, .respondToAlert])
        #expect(policy.capabilities(of: Self.user("271004", .worker), on: facts).contains(.readAlertProfile) == false)  // not a CGC
        #expect(policy.capabilities(of: Self.user("000000", .ministry), on: facts) == full)
        #expect(policy.capabilities(of: Self.user("000000", .worker), on: facts) == .seeSummary)
        #expect(policy.capabilities(of: Self.user("131016", .systemOperator), on: facts).isEmpty)
    }

    @Test("a holder's administrator may tighten, never widen, and the rule survives a restart")
    func tightening() throws {
        let test = try TestStore()
        let admin = Self.user("131016", .administrator)
        let facts = try test.store.accessFacts(of: [("c", "131016", "131016")])["c"]!
        #expect { try test.store.settings.setAccessRule(of: "131016", for: .other, to: [.seeSummary, .readRecord], as: admin) } throws: {
            ($0 as? StoreError)?.kind == .invalidInput && "\($0)".contains("record")
        }
        #expect { try test.store.settings.setAccessRule(of: "131016", for: .holder, to: [], as: admin) } throws: {
            ($0 as? StoreError)?.kind == .invalidInput
        }
        #expect { try test.store.settings.setAccessRule(of: "131016", for: .partner, to: [], as: Self.user("131016")) } throws: {
            ($0 as? StoreError)?.kind == .permissionDenied
        }
        #expect { try test.store.settings.setAccessRule(of: "131016", for: .partner, to: [], as: Self.user("271004", .administrator)) } throws: {
            ($0 as? StoreError)?.kind == .permissionDenied
        }
        try test.store.settings.setAccessRule(of: "131016", for: .partner, to: [.seeSummary], as: admin)
        #expect(test.store.policy.capabilities(of: Self.user("130001-01"), on: facts) == .seeSummary)
        // Other holders keep the default.
        let other = try test.store.accessFacts(of: [("c", "131024", "131024")])["c"]!
        #expect(test.store.policy.capabilities(of: Self.user("130001-01"), on: other).contains(.readRecord))
        let reopened = try test.reopen()
        #expect(reopened.policy.capabilities(of: Self.user("130001-01"), on: facts) == .seeSummary)
        try reopened.settings.setAccessRule(of: "131016", for: .partner, to: nil, as: admin)
        #expect(reopened.policy.capabilities(of: Self.user("130001-01"), on: facts).contains(.addNote))
        #expect(try reopened.auditLog.entries(as: .localAdministrator).filter { $0.action == "access.rule" }.count == 2)
        #expect(try reopened.auditLog.entries(as: .localAdministrator).filter { $0.action == "denied" }.count == 2)
    }
}
