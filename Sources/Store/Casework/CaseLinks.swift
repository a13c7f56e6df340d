package import Foundation
import SQLiteDB

/// A link between two authorities' records of one child: proposed by the holder of `caseA`,
/// agreed (or declined) by the holder of `caseB`; either ends it.
package struct CaseLink: Sendable, Hashable, Codable {
    package enum State: String, Sendable, Hashable, Codable {
        case proposed, linked, declined, withdrawn, unlinked
    }

    package let id: String
    /// The proposer's record.
    package let caseA: String
    /// The record of the authority asked to agree.
    package let caseB: String
    package let state: State
    package let proposedBy: String
    package let proposedAt: String
    package let decidedBy: String?
    package let decidedAt: String?
    package let endedBy: String?
    package let endedAt: String?
    /// Who holds each record now (nil: no longer held, e.g. voided); filled when a case's links are listed.
    package var holderA: String?
    package var holderB: String?

    enum CodingKeys: String, CodingKey {
        case id, caseA = "case_a", caseB = "case_b", holderA = "holder_a", holderB = "holder_b", state, proposedBy = "proposed_by", proposedAt =
            "proposed_at"
        case decidedBy = "decided_by", decidedAt = "decided_at", endedBy = "ended_by", endedAt = "ended_at"
    }

    /// The other record of the link, seen from `caseID`, and who holds it.
    package func other(than caseID: String) -> (caseID: String, holder: String?) { caseID == caseA ? (caseB, holderB) : (caseA, holderA) }
}

/// Records of the same child held by different authorities, linked as one person once both
/// holders agree: search then shows them as one grouped hit. Every step is audited and
/// tells the other holder's inbox.
package struct CaseLinks: StoreFeature {
    package let store: Store

    /// The most links followed from one record when grouping (a child has a handful of records).
    static let maxGroup = 32

    /// Refuses (audited) unless `actor` may change the case (its holder): before a request's body is read.
    package func requireHolder(ofCase id: String, as actor: Actor) throws(StoreError) {
        guard let found = try locate(id) else { throw StoreError(.notFound, "no case \(id.prefix(64))") }
        try store.authorize(.edit, "link.propose", on: found, as: actor)
    }

    /// The holder of `own` proposes to link it with `other`, another authority's record of the
    /// same child that the actor may see (as a search hit, at least). The other holder is told.
    package func propose(_ own: String, with other: String, as actor: Actor) throws(StoreError) -> CaseLink {
        guard let mine = try locate(own) else { throw StoreError(.notFound, "no case \(own.prefix(64))") }
        try store.authorize(.edit, "link.propose", on: mine, as: actor)
        guard let theirs = try locate(other), try store.capabilities(of: actor, on: theirs).contains(.seeSummary) else {
            try store.hide(actor, "link.propose", target: other, "case")
        }
        guard theirs.holder != mine.holder else {
            throw StoreError(.invalidInput, "both records are held by \(mine.holder): a record registered twice is voided, not linked")
        }
        let link = CaseLink(
            id: UUID().uuidString.lowercased(), caseA: mine.id, caseB: theirs.id, state: .proposed, proposedBy: actor.description,
            proposedAt: Timestamp.now(), decidedBy: nil, decidedAt: nil, endedBy: nil, endedAt: nil)
        try catalogue.write { connection throws(StoreError) in
            let live = try connection.first(
                "SELECT 1 FROM case_links WHERE min(case_a, case_b) = min(?1, ?2) AND max(case_a, case_b) = max(?1, ?2) AND state IN ('proposed', 'linked')",
                [mine.id, theirs.id]
            ) { _ in true }
            guard live == nil else { throw StoreError(.conflict, "these records are already linked, or a link of them awaits an answer") }
            try connection.run(
                "INSERT INTO case_links (id, case_a, case_b, state, proposed_by, proposed_at) VALUES (?, ?, ?, 'proposed', ?, ?)",
                [link.id, link.caseA, link.caseB, link.proposedBy, link.proposedAt])
            try store.audit(
                connection, actor: actor, action: "link.propose", target: link.id, detail: "case_a=\(mine.id) case_b=\(theirs.id)",
                cases: [(mine.id, mine.holder), (theirs.id, theirs.holder)])
            try Notifications.deliver(
                [NotificationDraft(authority: theirs.holder, kind: "link.proposed", caseID: theirs.id, ref: link.id, from: mine.holder)], connection)
        }
        return link
    }

    /// The holder of the record asked to agree confirms (`agree`) or declines a proposed link;
    /// the proposer is told.
    package func decide(_ id: String, agree: Bool, as actor: Actor) throws(StoreError) -> CaseLink {
        let action = agree ? "link.confirm" : "link.decline"
        let (link, own) = try located(id, action, as: actor)
        guard let answering = own.first(where: { $0.id == link.caseB }) else {
            try store.auditRefusal(of: actor, action, target: link.id)
            throw StoreError(.permissionDenied, "only the holder of case \(link.caseB) answers this link")
        }
        guard link.state == .proposed else { throw StoreError(.conflict, "link \(link.id) is \(link.state.rawValue), not awaiting an answer") }
        return try settle(link, to: agree ? .linked : .declined, action, by: actor, notify: link.caseA, from: answering)
    }

    /// Ends a link: the proposer withdraws a proposal, or either holder unlinks linked records;
    /// the other holder is told.
    package func end(_ id: String, as actor: Actor) throws(StoreError) -> CaseLink {
        let (link, own) = try located(id, "link.end", as: actor)
        guard let side = own.first else { throw StoreError(.storage, "link \(link.id) located without a side") }
        switch link.state {
        case .linked:
            return try settle(link, to: .unlinked, "link.unlink", by: actor, notify: link.other(than: side.id).caseID, from: side)
        case .proposed where side.id == link.caseA:
            return try settle(link, to: .withdrawn, "link.withdraw", by: actor, notify: link.caseB, from: side)
        case .proposed:
            throw StoreError(.conflict, "link \(link.id) awaits your answer: confirm or decline it")
        case .declined, .withdrawn, .unlinked:
            throw StoreError(.conflict, "link \(link.id) is already \(link.state.rawValue)")
        }
    }

    /// The links of a case (every state, newest first), for whoever may read the record.
    package func links(ofCase id: String, as actor: Actor) throws(StoreError) -> [CaseLink] {
        guard let found = try locate(id) else { throw StoreError(.notFound, "no case \(id.prefix(64))") }
        try store.authorize(.readRecord, "link.list", on: found, as: actor)
        var links = try catalogue.read { connection throws(StoreError) in
            try connection.query(
                "SELECT \(Self.columns) FROM case_links WHERE case_a = ?1 OR case_b = ?1 ORDER BY proposed_at DESC, id", [found.id], Self.link)
        }
        for index in links.indices {
            links[index].holderA = try locate(links[index].caseA)?.holder
            links[index].holderB = try locate(links[index].caseB)?.holder
        }
        return links
    }

    /// For the cases among `ids` linked to others, the group each belongs to (the smallest case
    /// id of its linked records, followed through links between any records, at most
    /// `maxGroup` of them): the same value for every record of one child.
    package func groups(of ids: [String]) throws(StoreError) -> [String: String] {
        guard !ids.isEmpty else { return [:] }
        return try catalogue.read { connection throws(StoreError) -> [String: String] in
            // Most searches meet no link at all (links are rare): one short read, then nothing.
            guard try connection.first("SELECT 1 FROM case_links WHERE state = 'linked' LIMIT 1", [], { _ in true }) != nil else { return [:] }
            var neighbours: [String: Set<String>] = [:]
            var frontier = Set(ids)
            var seen = frontier
            while !frontier.isEmpty, seen.count <= Self.maxGroup * ids.count {
                var next = Set<String>()
                for chunk in Self.chunks(of: frontier.sorted()) {
                    let placeholders = Array(repeating: "?", count: chunk.count).joined(separator: ",")
                    let pairs = try connection.query(
                        """
                        SELECT case_a, case_b FROM case_links WHERE state = 'linked' AND case_a IN (\(placeholders))
                        UNION SELECT case_a, case_b FROM case_links WHERE state = 'linked' AND case_b IN (\(placeholders))
                        """, chunk + chunk
                    ) { ($0.text(0), $0.text(1)) }
                    for (a, b) in pairs {
                        neighbours[a, default: []].insert(b)
                        neighbours[b, default: []].insert(a)
                        for id in [a, b] where seen.insert(id).inserted { next.insert(id) }
                    }
                }
                frontier = next
            }
            var groups: [String: String] = [:]
            for id in ids where groups[id] == nil && neighbours[id] != nil {
                var component: Set<String> = [id]
                var stack = [id]
                while let current = stack.popLast() {
                    for other in neighbours[current] ?? [] where component.insert(other).inserted { stack.append(other) }
                }
                let representative = component.min() ?? id
                for member in component { groups[member] = representative }
            }
            return groups.filter { ids.contains($0.key) }
        }
    }

    /// The cases among `ids` with a link that is proposed or in force.
    package func linkedCases(among ids: [String]) throws(StoreError) -> Set<String> {
        var linked: Set<String> = []
        for chunk in Self.chunks(of: ids) {
            let placeholders = Array(repeating: "?", count: chunk.count).joined(separator: ",")
            let found = try catalogue.read { connection throws(StoreError) in
                try connection.query(
                    """
                    SELECT case_a FROM case_links WHERE state IN ('proposed', 'linked') AND case_a IN (\(placeholders))
                    UNION SELECT case_b FROM case_links WHERE state IN ('proposed', 'linked') AND case_b IN (\(placeholders))
                    """, chunk + chunk
                ) { $0.text(0) }
            }
            linked.formUnion(found)
        }
        return linked
    }

    /// The cases among `ids` linked to a record that is still open (retention keeps them).
    func linkedToOpenCases(among ids: [String]) throws(StoreError) -> Set<String> {
        var kept: Set<String> = []
        for id in try linkedCases(among: ids) {
            let others = try catalogue.read { connection throws(StoreError) in
                try connection.query(
                    """
                    SELECT case_b FROM case_links WHERE state = 'linked' AND case_a = ?1
                    UNION SELECT case_a FROM case_links WHERE state = 'linked' AND case_b = ?1
                    """, [id]
                ) { $0.text(0) }
            }
            for other in others where try locate(other)?.record.status == .open {
                kept.insert(id)
                break
            }
        }
        return kept
    }

    // MARK: Internals

    /// A link with the records of it that `actor` may change (its own side, never empty). To an
    /// actor that may change neither, the link does not exist.
    private func located(_ id: String, _ action: String, as actor: Actor) throws(StoreError) -> (CaseLink, [StoredCase]) {
        guard !id.isEmpty, id.count <= 64,
            let link = try catalogue.read({ connection throws(StoreError) in
                try connection.first("SELECT \(Self.columns) FROM case_links WHERE id = ?", [id], Self.link)
            })
        else { throw StoreError(.notFound, "no link \(id.prefix(64))") }
        var own: [StoredCase] = []
        for caseID in [link.caseA, link.caseB] {
            guard let found = try locate(caseID) else { continue }
            if try store.capabilities(of: actor, on: found).contains(.edit) { own.append(found) }
        }
        guard !own.isEmpty else { try store.hide(actor, action, target: link.id, "link") }
        return (link, own)
    }

    /// Moves a link to `state` (if it is still in the state read), audited, telling the holder of `notify`.
    private func settle(
        _ link: CaseLink, to state: CaseLink.State, _ action: String, by actor: Actor, notify: String, from side: StoredCase
    ) throws(StoreError) -> CaseLink {
        let at = Timestamp.now()
        let other = try locate(notify)
        let deciding = state == .linked || state == .declined
        try catalogue.write { connection throws(StoreError) in
            try connection.run(
                deciding
                    ? "UPDATE case_links SET state = ?, decided_by = ?, decided_at = ? WHERE id = ? AND state = ?"
                    : "UPDATE case_links SET state = ?, ended_by = ?, ended_at = ? WHERE id = ? AND state = ?",
                [state.rawValue, actor.description, at, link.id, link.state.rawValue])
            guard connection.changes == 1 else { throw StoreError(.conflict, "link \(link.id) changed meanwhile: read it again") }
            var cases = [(side.id, side.holder)]
            if let other { cases.append((other.id, other.holder)) }
            try store.audit(
                connection, actor: actor, action: action, target: link.id, detail: "case_a=\(link.caseA) case_b=\(link.caseB)", cases: cases)
            if let other, other.holder != side.holder {
                try Notifications.deliver(
                    [NotificationDraft(authority: other.holder, kind: "link.\(state.rawValue)", caseID: other.id, ref: link.id, from: side.holder)],
                    connection)
            }
        }
        return CaseLink(
            id: link.id, caseA: link.caseA, caseB: link.caseB, state: state, proposedBy: link.proposedBy, proposedAt: link.proposedAt,
            decidedBy: deciding ? actor.description : link.decidedBy, decidedAt: deciding ? at : link.decidedAt,
            endedBy: deciding ? nil : actor.description, endedAt: deciding ? nil : at)
    }

    private static let columns = "id, case_a, case_b, state, proposed_by, proposed_at, decided_by, decided_at, ended_by, ended_at"

    private static func link(_ row: Statement) throws(StoreError) -> CaseLink {
        guard let state = CaseLink.State(rawValue: row.text(3)) else { throw StoreError(.storage, "link \(row.text(0)) has an unknown state") }
        return CaseLink(
            id: row.text(0), caseA: row.text(1), caseB: row.text(2), state: state, proposedBy: row.text(4), proposedAt: row.text(5),
            decidedBy: row.optionalText(6), decidedAt: row.optionalText(7), endedBy: row.optionalText(8), endedAt: row.optionalText(9))
    }

    private static func chunks(of ids: [String]) -> [[String]] {
        stride(from: 0, to: ids.count, by: 400).map { Array(ids[$0..<min($0 + 400, ids.count)]) }
    }
}
