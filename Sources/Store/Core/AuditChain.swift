import Foundation

/// The audit log's tamper evidence: each row carries SHA-256 over the previous row's hash and
/// its own fields, so a changed or deleted row breaks the chain (`AuditLog.verify`).
///
/// Two versions, recorded per row in `chain_version`:
/// - **1** (rows written before catalogue migration 17): the row's fields only; its case links
///   (`audit_cases`) are outside the hash, and covered only by the link count of the signed
///   checkpoints (`AuditCheckpoint.links`).
/// - **2**: also the row's own id and the digest of its case links (`links_hash`), so removing,
///   adding or changing a link breaks the row's hash. Once a version-2 row exists, every later
///   row must be version 2 (a downgrade would hide its links).
///
/// The chain is unkeyed: someone who can write the catalogue can recompute it after deleting
/// rows. What they cannot recompute is a checkpoint signed by the audit key kept outside the
/// database (`AuditCheckpoint`).
package enum AuditChain {
    /// The version new rows are written with.
    static let currentVersion = 2

    /// The chain link of a version-1 audit row: each field length-prefixed so that no two
    /// different rows serialise alike.
    package static func hash(
        previous: String, at: String, actor: String, authority: String?, action: String, target: String?, detail: String?
    ) -> String {
        digest([previous, at, actor, authority ?? "\u{0}", action, target ?? "\u{0}", detail ?? "\u{0}"])
    }

    /// The chain link of a version-2 audit row: its version, id, the previous hash, its fields
    /// and the digest of its case links (`linksHash`), each length-prefixed.
    package static func hash(
        id: Int, previous: String, at: String, actor: String, authority: String?, action: String, target: String?, detail: String?,
        linksHash: String
    ) -> String {
        digest(["v2", String(id), previous, at, actor, authority ?? "\u{0}", action, target ?? "\u{0}", detail ?? "\u{0}", linksHash])
    }

    /// The digest of an audit row's case links (case id and holder), in the order of the case
    /// ids' UTF-8 bytes (SQLite's order), so the writer and the checker agree however the
    /// links were listed.
    package static func linksHash(_ links: [(id: String, holder: String)]) -> String {
        let sorted = links.sorted { $0.id.utf8.lexicographicallyPrecedes($1.id.utf8) }
        return digest([String(sorted.count)] + sorted.flatMap { [$0.id, $0.holder] })
    }

    /// The links an audit row stores: one per case id, the first listing winning (as
    /// `INSERT OR IGNORE` on the key `(case_id, audit_id)` keeps it).
    static func distinctLinks(_ links: [(id: String, holder: String)]) -> [(id: String, holder: String)] {
        var seen = Set<String>()
        return links.filter { seen.insert($0.id).inserted }
    }

    private static func digest(_ fields: [String]) -> String {
        Secret.sha256(fields.map { "\($0.utf8.count):\($0)" }.joined())
    }

    /// Control characters written escaped: a NUL would cut the text short when read back.
    static func escapingControls(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else { return text }
        return text.unicodeScalars.map { scalar in
            scalar.value < 0x20 || scalar.value == 0x7F ? String(format: "\\u%04X", scalar.value) : String(scalar)
        }.joined()
    }
}
