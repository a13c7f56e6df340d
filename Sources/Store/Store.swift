package import Foundation
import Synchronization

/// The one way to case data: every read and write names an `Actor`, is checked against
/// the `AccessPolicy` and is audited. Case data lives in one SQLite file per prefecture;
/// the national catalogue holds the directory, the commit journal and the audit log.
package final class Store: Sendable {
    package let dataDirectory: URL
    package let directory: AuthorityDirectory
    package let policy: AccessPolicy
    let catalogue: Database
    private let partitions: Mutex<[String: Database]>
    let observers = Mutex<[@Sendable (Set<String>) -> Void]>([])
    let auditQueue = AuditQueue()

    /// Opens the store in `dataDirectory`, creating it if needed: runs migrations, loads the
    /// authority directory when the dictionaries changed, and finishes or undoes any
    /// cross-partition write a crash interrupted.
    /// - Parameter dictionaries: the dictionaries folder (see `DictionaryDirectory.locate`).
    package init(dataDirectory: URL, dictionaries: URL) throws(StoreError) {
        do {
            try FileManager.default.createDirectory(at: dataDirectory, withIntermediateDirectories: true)
        } catch {
            throw StoreError(.configuration, "cannot create the data folder \(dataDirectory.path): \(error.localizedDescription)")
        }
        self.dataDirectory = dataDirectory
        catalogue = try Database(
            path: dataDirectory.appendingPathComponent("catalogue.sqlite").path, migrations: CatalogueSchema.migrations)
        partitions = Mutex([:])
        try DirectoryLoader(catalogue: catalogue).loadIfChanged(from: dictionaries)
        directory = try DirectoryLoader(catalogue: catalogue).read()
        policy = AccessPolicy(directory: directory, tightened: try Self.accessRules(in: catalogue))
        try recover()
        try settleTransfers()
    }

    // MARK: Partitions

    /// The file name of a prefecture's partition.
    static func partitionFileName(_ prefectureCode: String) -> String { "pref-\(prefectureCode).sqlite" }

    /// The partition of a prefecture (`"13"`), opened (and created) on first use.
    func partition(_ prefectureCode: String) throws(StoreError) -> Database {
        guard prefectureCode.count == 2, let number = Int(prefectureCode), (1...47).contains(number) else {
            throw StoreError(.invalidInput, "\"\(prefectureCode)\" is not a prefecture code (01–47)")
        }
        if let open = partitions.withLock({ $0[prefectureCode] }) { return open }
        let path = dataDirectory.appendingPathComponent(Self.partitionFileName(prefectureCode)).path
        let database = try Database(path: path, migrations: PartitionSchema.migrations)
        return partitions.withLock { open in
            if let raced = open[prefectureCode] { return raced }
            open[prefectureCode] = database
            return database
        }
    }

    /// The prefecture codes whose partition files exist.
    package func existingPartitions() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dataDirectory.path)) ?? []
        return names.compactMap { name -> String? in
            guard name.hasPrefix("pref-"), name.hasSuffix(".sqlite") else { return nil }
            let code = String(name.dropFirst(5).dropLast(7))
            return code.count == 2 && Int(code) != nil ? code : nil
        }.sorted()
    }

    /// The partition that stores the cases of an authority: its prefecture's.
    func prefectureCode(ofHolder code: String) throws(StoreError) -> String {
        guard let authority = directory[code] else { throw StoreError(.invalidInput, directory.unknownCodeMessage(code)) }
        guard authority.holdsCases else {
            throw StoreError(.invalidInput, "\(code) (\(authority.name)) does not hold cases")
        }
        return authority.prefectureCode
    }

    // MARK: Audit

    /// Appends an audit entry in the catalogue. Only designated fields may hold personal data.
    /// `cases` (id, holder) are the cases the entry concerns, listed so their holders can see it.
    func audit(
        _ connection: Connection, actor: Actor, action: String, target: String?, detail: String?,
        cases: [(id: String, holder: String)] = []
    ) throws(StoreError) {
        // Control characters (a NUL would cut the text short when read back) are written escaped.
        let actorName = Self.escapingControls(actor.description)
        let authority = actor.authority.map(Self.escapingControls)
        let target = target.map(Self.escapingControls)
        let detail = detail.map(Self.escapingControls)
        // Inside the catalogue's write transaction, so the previous hash cannot change meanwhile.
        let previous = try connection.first("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1") { $0.optionalText(0) } ?? nil
        let at = Timestamp.now()
        let hash = Self.auditHash(previous: previous ?? "", at: at, actor: actorName, authority: authority,
                                  action: action, target: target, detail: detail)
        try connection.run(
            "INSERT INTO audit_log (at, actor, authority, action, target, detail, hash) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [at, actorName, authority, action, target, detail, hash])
        guard !cases.isEmpty else { return }
        let id = try connection.first("SELECT last_insert_rowid()") { $0.int(0) } ?? 0
        for (caseID, holder) in cases {
            try connection.run("INSERT OR IGNORE INTO audit_cases (audit_id, case_id, holder) VALUES (?, ?, ?)", [id, caseID, holder])
        }
    }

    static func escapingControls(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else { return text }
        return text.unicodeScalars.map { scalar in
            scalar.value < 0x20 || scalar.value == 0x7F ? String(format: "\\u%04X", scalar.value) : String(scalar)
        }.joined()
    }

    /// The chain link of an audit row: SHA-256 over the previous hash and every field, each
    /// field length-prefixed so that no two different rows serialise alike.
    static func auditHash(
        previous: String, at: String, actor: String, authority: String?, action: String, target: String?, detail: String?
    ) -> String {
        let fields = [previous, at, actor, authority ?? "\u{0}", action, target ?? "\u{0}", detail ?? "\u{0}"]
        return Secret.sha256(fields.map { "\($0.utf8.count):\($0)" }.joined())
    }

    /// Checks the audit chain; returns the first row that does not fit, with why (nil: intact).
    package func verifyAudit() throws(StoreError) -> (id: Int, problem: String)? {
        try catalogue.read { connection throws(StoreError) -> (id: Int, problem: String)? in
            var previous = ""
            var expectedID = 1
            let statement = try connection.prepare("SELECT id, at, actor, authority, action, target, detail, hash FROM audit_log ORDER BY id")
            while try statement.step() {
                let id = statement.int(0)
                if id != expectedID { return (expectedID, "rows \(expectedID)–\(id - 1) are missing") }
                guard let stored = statement.optionalText(7) else { return (id, "has no hash (written before the chain existed)") }
                let computed = Self.auditHash(
                    previous: previous, at: statement.text(1), actor: statement.text(2), authority: statement.optionalText(3),
                    action: statement.text(4), target: statement.optionalText(5), detail: statement.optionalText(6))
                guard computed == stored else { return (id, "does not match its hash: it, or the row before it, was changed") }
                previous = stored
                expectedID = id + 1
            }
            return nil
        }
    }

    /// Appends audit entries durably, in a group commit with those of concurrent requests.
    func audit(_ records: [AuditRecord]) throws(StoreError) {
        guard !records.isEmpty else { return }
        try auditQueue.submit(records) { batch throws(StoreError) in
            try catalogue.write { connection throws(StoreError) in
                for record in batch {
                    try audit(
                        connection, actor: record.actor, action: record.action, target: record.target, detail: record.detail,
                        cases: record.cases)
                    try deliver(record.notifications, connection)
                }
            }
        }
    }

    func audit(
        actor: Actor, action: String, target: String?, detail: String?, cases: [(id: String, holder: String)] = []
    ) throws(StoreError) {
        try audit([AuditRecord(actor: actor, action: action, target: target, detail: detail, cases: cases)])
    }

    /// The audit log, newest first (for `mimamori audit` and tests).
    package func auditEntries(limit: Int = 100) throws(StoreError) -> [AuditEntry] {
        try catalogue.read { connection throws(StoreError) in
            try connection.query(
                "SELECT id, at, actor, authority, action, target, detail FROM audit_log ORDER BY id DESC LIMIT ?", [limit]
            ) { row in
                AuditEntry(
                    id: row.int(0), at: row.text(1), actor: row.text(2), authority: row.optionalText(3),
                    action: row.text(4), target: row.optionalText(5), detail: row.optionalText(6))
            }
        }
    }
}

/// One line of the audit log.
package struct AuditEntry: Sendable, Hashable, Encodable {
    package let id: Int
    package let at: String
    package let actor: String
    package let authority: String?
    package let action: String
    package let target: String?
    package let detail: String?
}

extension Store {
    /// Replaces the CGCs with an authoritative list. Refuses a list that drops a CGC holding
    /// cases. Takes effect for stores opened afterwards.
    package func loadChildGuidanceCentres(from url: URL, as actor: Actor) throws(StoreError) -> Int {
        guard case .localAdministrator = actor else {
            throw StoreError(.permissionDenied, "only the local administrator may replace the directory")
        }
        let count = try DirectoryLoader(catalogue: catalogue).loadCentres(from: url) { code throws(StoreError) in
            try caseCount(heldBy: code)
        }
        try audit(actor: actor, action: "directory.load-cgc", target: nil, detail: "centres=\(count) file=\(url.lastPathComponent)")
        return count
    }
}

extension Store {
    /// Runs `PRAGMA integrity_check` on the catalogue and every partition; returns the
    /// files whose check did not answer "ok", with what it said.
    package func integrityProblems() throws(StoreError) -> [String: String] {
        var problems: [String: String] = [:]
        let files = [("catalogue.sqlite", catalogue)] + (try existingPartitions().map { code throws(StoreError) in
            (Self.partitionFileName(code), try partition(code))
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
