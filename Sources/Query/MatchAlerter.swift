import Dispatch
import Indexer
import Logging
import Store

/// Match alerts: when a child is registered (created or imported) who is, by identity —
/// name and full birthdate, an `exact` search grade — a child in another authority's open
/// case, both holders are told (`Store.recordMatch`). Checks run on a background queue
/// after the index has taken the new cases in, so they never slow the write that caused them.
package final class MatchAlerter: Sendable {
    private let engine: SearchEngine
    private let queue = DispatchQueue(label: "mimamori.match-alerts", qos: .utility)

    /// Starts following the engine's index: every case it takes in for the first time is checked,
    /// beginning with those its durable queue still holds (taken in while no alerter ran: a CLI
    /// import while the server was down, or checks a crash interrupted).
    package init(engine: SearchEngine) {
        self.engine = engine
        engine.index.onNewCases { [self] ids in queue.async { self.checkAndDequeue(ids) } }
        queue.async { [self] in
            do {
                while case let pending = try engine.index.pendingMatchChecks(limit: 500), !pending.isEmpty {
                    check(pending)
                    try engine.index.matchChecksDone(pending)
                }
            } catch {
                logger.error("match checks left in the queue could not be run; they are retried at the next start", metadata: ["error": "\(error)"])
            }
        }
    }

    private var logger: Logger { engine.store.logger }

    /// Checks cases, then takes them off the index's queue (a crash between the two checks
    /// them again, which tells nobody twice: `recordMatch` records each pair once).
    private func checkAndDequeue(_ ids: [String]) {
        check(ids)
        do { try engine.index.matchChecksDone(ids) } catch {
            logger.error(
                "checked cases could not be taken off the match queue; they are checked again at the next start", metadata: ["error": "\(error)"])
        }
    }

    /// Waits until every check queued so far has run (for tests and orderly shutdown).
    package func waitUntilIdle() { queue.sync {} }

    /// Checks cases now; a failure is logged and skipped (the case is checked again only if
    /// re-registered).
    func check(_ ids: [String]) {
        for id in ids {
            do {
                try check(id)
            } catch {
                logger.error("a match check failed", metadata: ["case": "\(id)", "error": "\(error)"])
            }
        }
    }

    private func check(_ id: String) throws {
        let store = engine.store
        guard let identity = try store.changeFeed.identity(ofCase: id, as: .localAdministrator), identity.status == .open,
            let child = identity.persons.first(where: { $0.role == .child })?.identity,
            let birthdate = child.birthdate, birthdate.day != nil
        else { return }
        let name = [child.familyName ?? child.familyNameKana, child.givenName ?? child.givenNameKana].compactMap { $0 }
        guard name.count == 2 else { return }
        let query = try engine.parser.parse(SearchRequest(name: name.joined(separator: " "), birthdate: birthdate.iso, limit: 20))
        for hit in try engine.check(query, as: .localAdministrator).hits
        where hit.grade == .exact && hit.person.role == "child" && hit.caseID != id && hit.authority.code != identity.holder
            && hit.status == "open"
        {
            try store.notifications.recordMatch(
                newCase: id, newHolder: identity.holder, existingCase: hit.caseID, existingHolder: hit.authority.code)
        }
    }
}
