package import Foundation
import SQLiteDB

/// The operator's maintenance of a data folder: the authority directory and integrity checks.
/// No personal data passes here.
package struct Maintenance: StoreFeature {
    package let store: Store

    /// Replaces the CGCs with an authoritative list. Refuses a list that drops a CGC holding
    /// cases. Takes effect for stores opened afterwards.
    package func loadChildGuidanceCentres(from url: URL, as actor: Actor) throws(StoreError) -> Int {
        try store.require(.replaceDirectory, as: actor, action: "directory.load-cgc")
        let count = try DirectoryLoader(catalogue: catalogue).loadCentres(from: url) { code throws(StoreError) in
            try store.cases.count(heldBy: code)
        }
        try store.audit(actor: actor, action: "directory.load-cgc", target: nil, detail: "centres=\(count) file=\(url.lastPathComponent)")
        return count
    }

    /// Creates every prefecture's partition that does not exist yet (empty, with its schema), so
    /// that a replication started now covers all of them from the start: a partition created
    /// later would reach its replica only after Litestream noticed it, and a case moved into it
    /// meanwhile could be lost with the primary.
    package func createAllPartitions() throws(StoreError) {
        for number in 1...47 { _ = try partition(String(format: "%02d", number)) }
    }

    /// Runs `PRAGMA integrity_check` on the catalogue and every partition; returns the
    /// files whose check did not answer "ok", with what it said.
    package func integrityProblems() throws(StoreError) -> [String: String] {
        var problems: [String: String] = [:]
        let files =
            [("catalogue.sqlite", catalogue)]
            + (try store.existingPartitions().map { code throws(StoreError) in
                (Store.partitionFileName(code), try partition(code))
            })
        for (name, database) in files {
            let result = try database.read { connection throws(StoreError) in
                try connection.query("PRAGMA integrity_check") { $0.text(0) }.joined(separator: "; ")
            }
            if result != "ok" { problems[name] = result }
        }
        return problems
    }
}
