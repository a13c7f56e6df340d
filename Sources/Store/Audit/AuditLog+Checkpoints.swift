import Foundation
import SQLiteDB

/// What `AuditLog.verify(trusting:exported:)` found.
package struct AuditVerification: Sendable {
    /// The last row of the log (0: empty).
    package let lastRow: Int
    /// The checkpoints with a valid signature the log was compared with.
    package let checkpoints: Int
    /// The newest of them.
    package let latest: AuditCheckpoint?
    /// What is wrong, oldest row first where that applies; empty when the log is intact.
    package let problems: [AuditProblem]
    /// What the operator should know though nothing is wrong (rows not yet covered, no checkpoint yet).
    package let notes: [String]
}

extension AuditLog {
    /// Signs a checkpoint of the log's head with `key`, appends it to `folder` (first, so a
    /// failure leaves no checkpoint only the catalogue knows) and records it in the catalogue.
    ///
    /// Before signing it checks the chain from the newest checkpoint this key signed (or from
    /// the first row), so a log changed since is not signed over.
    /// - Parameter onlyIfGrown: write nothing when the newest checkpoint already covers the last row.
    /// - Returns: the checkpoint, or nil when there is nothing new to cover.
    /// - Throws: `.conflict` when the log does not verify since the last checkpoint.
    @discardableResult
    package func checkpoint(
        signingWith key: AuditSigningKey, exportTo folder: AuditCheckpointFolder, onlyIfGrown: Bool = false, as actor: Actor
    ) throws(StoreError) -> AuditCheckpoint? {
        try store.require(.serviceData, as: actor, action: "audit.checkpoint")
        let walk = try catalogue.read { connection throws(StoreError) -> AuditChainWalk? in
            let start = try Self.catalogueCheckpoints(connection, newest: 100).first { $0.isSigned(byOneOf: [key.publicKey]) }
            if onlyIfGrown, let start {
                let last = try connection.first("SELECT max(id) FROM audit_log") { $0.optionalInt(0) } ?? nil
                guard let last, last != start.sequence else { return nil }
            }
            return try AuditChainWalk.run(connection, after: start)
        }
        guard let walk, walk.lastID > 0 else { return nil }
        if let problem = walk.problems.first {
            throw StoreError(
                .conflict, "the audit log does not verify (\(problem.description)); no checkpoint signed: run mimamori audit verify")
        }
        let checkpoint = AuditCheckpoint(
            sequence: walk.lastID, hash: walk.lastHash, count: walk.rows, links: walk.links, at: Timestamp.now(), signedWith: key)
        try folder.append(checkpoint)
        try catalogue.write { connection throws(StoreError) in
            try connection.run(
                """
                INSERT INTO audit_checkpoints (sequence, hash, count, links, at, public_key, signature)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
                [checkpoint.sequence, checkpoint.hash, checkpoint.count, checkpoint.links, checkpoint.at, checkpoint.key, checkpoint.signature])
        }
        return checkpoint
    }

    /// Checks the chain and compares the log with every checkpoint in `folder` and in the
    /// catalogue whose signature one of `keys` made: each signature must hold, each catalogue
    /// checkpoint must also be in the folder, and at each checkpoint's row the log must still
    /// have the signed hash, row count and case-link count. Each problem names what is missing
    /// or changed (row numbers and times, no content).
    /// - Throws: `.configuration` when there are checkpoints but no key to check them with.
    package func verify(trusting keys: [AuditPublicKey], exported folder: AuditCheckpointFolder) throws(StoreError) -> AuditVerification {
        // The catalogue first: a checkpoint is exported before it is recorded there, so one
        // that `serve` writes meanwhile is never in the catalogue without being in the lines.
        let stored = try catalogue.read { connection throws(StoreError) in try Self.catalogueCheckpoints(connection) }
        let lines = try folder.lines()
        if keys.isEmpty, !lines.isEmpty || !stored.isEmpty {
            throw StoreError(
                .configuration,
                "\(lines.count + stored.count) audit checkpoints found but no public key to check their signatures with: pass --audit-public-key")
        }
        var problems: [AuditProblem] = []
        var trusted: [String: AuditCheckpoint] = [:]  // by signature
        for line in lines {
            guard let checkpoint = line.checkpoint else {
                problems.append(
                    AuditProblem(row: nil, description: "\(line.name) of \(folder.url.path) is not a checkpoint: damaged or not written by mimamori"))
                continue
            }
            guard checkpoint.isSigned(byOneOf: keys) else {
                problems.append(
                    AuditProblem(
                        row: checkpoint.sequence,
                        description: "\(line.name) (the \(checkpoint.name)) has no valid signature of the audit key: forged or altered"))
                continue
            }
            trusted[checkpoint.signature] = checkpoint
        }
        for checkpoint in stored {
            guard checkpoint.isSigned(byOneOf: keys) else {
                problems.append(
                    AuditProblem(
                        row: checkpoint.sequence,
                        description: "the catalogue's \(checkpoint.name) has no valid signature of the audit key: forged or altered"))
                continue
            }
            if trusted[checkpoint.signature] == nil {
                problems.append(
                    AuditProblem(
                        row: checkpoint.sequence,
                        description:
                            "the catalogue's \(checkpoint.name) is not in the checkpoint folder \(folder.url.path): checkpoint files were removed or cut short"
                    ))
                trusted[checkpoint.signature] = checkpoint
            }
        }
        let checkpoints = trusted.values.sorted { ($0.sequence, $0.at) < ($1.sequence, $1.at) }
        let walk = try catalogue.read { connection throws(StoreError) in
            try AuditChainWalk.run(connection, after: nil, marking: Set(checkpoints.map(\.sequence)))
        }
        problems += walk.problems.prefix(50)
        if walk.problems.count > 50 { problems.append(AuditProblem(row: nil, description: "and \(walk.problems.count - 50) more problems")) }
        problems += Self.compare(walk, with: checkpoints)
        var notes: [String] = []
        if let latest = checkpoints.last {
            if walk.lastID > latest.sequence {
                notes.append(
                    "rows \(latest.sequence + 1)–\(walk.lastID) are newer than the latest checkpoint (\(latest.at)) and not yet covered by one")
            }
        } else if walk.lastID > 0 {
            notes.append(
                "no signed checkpoint yet: rows removed from the end of the log would go unnoticed (serve writes one every minute; mimamori audit checkpoint writes one now)"
            )
        }
        return AuditVerification(lastRow: walk.lastID, checkpoints: checkpoints.count, latest: checkpoints.last, problems: problems, notes: notes)
    }

    /// What differs between the log (as walked) and the checkpoints, oldest first: rows
    /// missing at the end, and for hash, row count and link count each the first checkpoint
    /// the log no longer matches (later ones follow from it).
    private static func compare(_ walk: AuditChainWalk, with checkpoints: [AuditCheckpoint]) -> [AuditProblem] {
        var problems: [AuditProblem] = []
        var hashMatched: AuditCheckpoint?
        var hashDiffers = false
        var countDiffers = false
        var linksDiffer = false
        for checkpoint in checkpoints where checkpoint.sequence <= walk.lastID {
            guard let mark = walk.marks[checkpoint.sequence] else {
                problems.append(
                    AuditProblem(row: checkpoint.sequence, description: "row \(checkpoint.sequence), which the \(checkpoint.name) covers, is missing")
                )
                continue
            }
            if !hashDiffers {
                if mark.hash == checkpoint.hash {
                    hashMatched = checkpoint
                } else {
                    hashDiffers = true
                    let from = (hashMatched?.sequence ?? 0) + 1
                    problems.append(
                        AuditProblem(
                            row: checkpoint.sequence,
                            description:
                                "row \(checkpoint.sequence)'s hash differs from the one the \(checkpoint.name) signed: the log was rewritten between row \(from) and row \(checkpoint.sequence) (rows changed, removed or inserted and the chain recomputed)"
                        ))
                }
            }
            if !countDiffers, mark.rows != checkpoint.count {
                countDiffers = true
                problems.append(
                    AuditProblem(
                        row: checkpoint.sequence,
                        description:
                            "the log has \(mark.rows) rows up to row \(checkpoint.sequence), the \(checkpoint.name) counted \(checkpoint.count)"))
            }
            if !linksDiffer, mark.links != checkpoint.links {
                linksDiffer = true
                problems.append(
                    AuditProblem(
                        row: checkpoint.sequence,
                        description:
                            "the log has \(mark.links) case links up to row \(checkpoint.sequence), the \(checkpoint.name) counted \(checkpoint.links): case links were removed or added"
                    ))
            }
        }
        if let beyond = checkpoints.last(where: { $0.sequence > walk.lastID }) {
            let missing = walk.lastID + 1 == beyond.sequence ? "row \(beyond.sequence)" : "rows \(walk.lastID + 1)–\(beyond.sequence)"
            problems.append(
                AuditProblem(
                    row: walk.lastID + 1,
                    description: "\(missing) missing: the \(beyond.name) covers up to row \(beyond.sequence), the log ends at row \(walk.lastID)"))
        }
        return problems
    }

    /// The checkpoints recorded in the catalogue (signatures unchecked): all, oldest first, or
    /// the `newest` ones, newest first.
    private static func catalogueCheckpoints(_ connection: Connection, newest: Int? = nil) throws(StoreError) -> [AuditCheckpoint] {
        let order = newest.map { "ORDER BY id DESC LIMIT \($0)" } ?? "ORDER BY id"
        return try connection.query("SELECT sequence, hash, count, links, at, public_key, signature FROM audit_checkpoints \(order)") { row in
            AuditCheckpoint(
                sequence: row.int(0), hash: row.text(1), count: row.int(2), links: row.int(3), at: row.text(4), key: row.text(5),
                signature: row.text(6))
        }
    }
}
