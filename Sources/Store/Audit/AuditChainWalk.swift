import SQLiteDB

/// One thing wrong with the audit log, in English for the operator (row numbers, times and
/// counts only: never what a row says).
package struct AuditProblem: Sendable, Hashable, CustomStringConvertible {
    /// The first audit row it concerns, if it concerns one.
    package let row: Int?
    package let description: String
}

/// A walk over the audit log in order, each row with its case links (`audit_cases`), checking
/// each row's chain hash and counting rows and links: what `AuditLog.verify` compares with the
/// signed checkpoints, and what a new checkpoint states.
///
/// After the first break of the chain (a missing, changed or unhashed row) every later row
/// would differ too, so only counting goes on; a row's case links that do not match its
/// `links_hash` are reported for each row.
struct AuditChainWalk {
    /// The chain's state just after one row: its stored hash, and the rows and links up to it.
    struct Mark {
        let hash: String?
        let rows: Int
        let links: Int
    }

    private(set) var lastID: Int
    private(set) var lastHash: String
    private(set) var rows: Int
    private(set) var links: Int
    private(set) var problems: [AuditProblem] = []
    /// The state at each row asked for (the rows that checkpoints cover).
    private(set) var marks: [Int: Mark] = [:]
    private var chainBroken = false
    private var sawVersion2: Bool
    private let marking: Set<Int>

    /// Walks the rows after `start` (all rows when nil), recording the state at the rows in `marking`.
    /// `start` must be a checkpoint whose signature was checked; its row must still hold its hash.
    static func run(_ connection: Connection, after start: AuditCheckpoint?, marking: Set<Int> = []) throws(StoreError) -> AuditChainWalk {
        var walk = AuditChainWalk(
            lastID: start?.sequence ?? 0, lastHash: start?.hash ?? "", rows: start?.count ?? 0, links: start?.links ?? 0,
            sawVersion2: false, marking: marking)
        if let start {
            let row = try connection.first("SELECT hash, chain_version FROM audit_log WHERE id = ?", [start.sequence]) {
                (hash: $0.optionalText(0), version: $0.int(1))
            }
            walk.sawVersion2 = row?.version == 2
            if row?.hash != start.hash {
                walk.report(
                    start.sequence, "row \(start.sequence) no longer has the hash that the \(start.name) signed: the log was rewritten up to there")
            }
        }
        let rows = try connection.prepare(
            """
            SELECT id, at, actor, authority, action, target, detail, hash, chain_version, links_hash
            FROM audit_log WHERE id > ? ORDER BY id
            """, [walk.lastID])
        let links = try connection.prepare(
            "SELECT audit_id, case_id, holder FROM audit_cases WHERE audit_id > ? ORDER BY audit_id", [walk.lastID])
        var pending = try links.step() ? (auditID: links.int(0), caseID: links.text(1), holder: links.text(2)) : nil
        var orphans: [Int] = []
        while try rows.step() {
            let id = rows.int(0)
            var rowLinks: [(id: String, holder: String)] = []
            while let link = pending, link.auditID <= id {
                if link.auditID < id { orphans.append(link.auditID) } else { rowLinks.append((link.caseID, link.holder)) }
                pending = try links.step() ? (links.int(0), links.text(1), links.text(2)) : nil
            }
            walk.check(rows, id: id, links: rowLinks)
        }
        while let link = pending {
            orphans.append(link.auditID)
            pending = try links.step() ? (links.int(0), links.text(1), links.text(2)) : nil
        }
        if !orphans.isEmpty {
            walk.report(
                orphans[0],
                "\(orphans.count) case links name audit rows that are not in the log (\(Self.rowRanges(orphans))): those rows were removed")
        }
        return walk
    }

    /// Checks one row (the current row of `statement`) with its case links.
    private mutating func check(_ statement: Statement, id: Int, links rowLinks: [(id: String, holder: String)]) {
        if id != lastID + 1 {
            report(lastID + 1, id == lastID + 2 ? "row \(lastID + 1) is missing" : "rows \(lastID + 1)–\(id - 1) are missing")
            chainBroken = true
        }
        rows += 1
        links += rowLinks.count
        let version = statement.int(8)
        let storedLinksHash = statement.optionalText(9)
        if version == 2 {
            sawVersion2 = true
            if let storedLinksHash, AuditChain.linksHash(rowLinks) != storedLinksHash {
                report(id, "row \(id)'s case links do not match its hash: links were removed, added or changed (\(rowLinks.count) now)")
            }
        }
        let stored = statement.optionalText(7)
        if !chainBroken {
            if version != 2, sawVersion2 {
                report(id, "row \(id) is of chain version \(version) after version-2 rows: it was rewritten so that its case links are not checked")
                chainBroken = true
            } else if let stored {
                let computed =
                    version == 2
                    ? AuditChain.hash(
                        id: id, previous: lastHash, at: statement.text(1), actor: statement.text(2), authority: statement.optionalText(3),
                        action: statement.text(4), target: statement.optionalText(5), detail: statement.optionalText(6),
                        linksHash: storedLinksHash ?? "")
                    : AuditChain.hash(
                        previous: lastHash, at: statement.text(1), actor: statement.text(2), authority: statement.optionalText(3),
                        action: statement.text(4), target: statement.optionalText(5), detail: statement.optionalText(6))
                if computed != stored {
                    report(id, "row \(id) does not match its hash: it, or the row before it, was changed")
                    chainBroken = true
                }
            } else {
                report(id, "row \(id) has no hash (written before the chain existed)")
                chainBroken = true
            }
        }
        if marking.contains(id) { marks[id] = Mark(hash: stored, rows: rows, links: links) }
        lastID = id
        lastHash = stored ?? ""
    }

    private mutating func report(_ row: Int?, _ description: String) {
        problems.append(AuditProblem(row: row, description: description))
    }

    /// Sorted row numbers as ranges: `41–45, 50`.
    static func rowRanges(_ ids: [Int]) -> String {
        var ranges: [(Int, Int)] = []
        for id in Set(ids).sorted() {
            if let last = ranges.last, last.1 + 1 == id { ranges[ranges.count - 1].1 = id } else { ranges.append((id, id)) }
        }
        let shown = ranges.prefix(10).map { $0.0 == $0.1 ? "row \($0.0)" : "rows \($0.0)–\($0.1)" }
        return shown.joined(separator: ", ") + (ranges.count > 10 ? " and \(ranges.count - 10) more ranges" : "")
    }
}
