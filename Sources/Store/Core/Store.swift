package import Foundation
package import Logging
package import SQLiteDB
import Synchronization

/// The core of the Store: the only holder of the partitions, the catalogue, the access policy
/// and the audit writer. Every feature (`Cases`, `Transfers`, `Alerts`…, each in its own
/// folder) is a small type built on it, and reaches case data only through the guarantees
/// kept here:
///
/// - every access decision is a rule of the `AccessPolicy`, taken here (`authorize` for a
///   case's capabilities, `require` for everything else), and every refusal is audited;
/// - search hits are filtered and their search audited here, in one call (`disclose`);
/// - a write of case data commits with its audit entry and notifications, through the
///   partition's outbox (`commitCaseWrite`), so a crash cannot separate them;
/// - the audit log is written here only, as a hash chain, in group commits.
///
/// Case data lives in one SQLite file per prefecture; the national catalogue holds the
/// directory, the commit journal, the workflows and the audit log. See docs/architecture.md.
package final class Store: Sendable {
    package let dataDirectory: URL
    package let directory: AuthorityDirectory
    /// Failures on background paths and at the edge are logged here (never personal data).
    package let logger: Logger
    /// Not `package`: no layer above the Store decides access itself.
    let policy: AccessPolicy
    let catalogue: Database
    private let partitions: Mutex<[String: Database]>
    private let observers = Mutex<[@Sendable (Set<String>) -> Void]>([])
    /// Every authority's contacts, as the catalogue holds them (changed by `Settings.update`).
    let contactBook: Mutex<[String: AuthorityContacts]>
    let auditQueue: AuditQueue
    /// The audit log's case links by case and by holder, built behind the log (`AuditViews`).
    let auditViews: AuditViews
    /// Who checkpoints the catalogue's and the partitions' WAL (Litestream, while it replicates them).
    private let checkpoints: CheckpointOwner
    /// Seals the secrets the catalogue keeps (TOTP and webhook secrets); its file is outside the data folder.
    package let secretsKey: SecretsKey
    /// Identities of the bodies an import has just staged, for the index's catch-up.
    let recentIdentities = RecentIdentities()

    /// Opens the store in `dataDirectory`, creating it if needed: runs migrations, loads the
    /// authority directory when the dictionaries changed, finishes or undoes any
    /// cross-partition write a crash interrupted, and carries outbox entries a crash left
    /// behind into the audit log.
    /// - Parameters:
    ///   - dictionaries: the dictionaries folder (see `DictionaryDirectory.locate`).
    ///   - logger: where the Store reports failures it handles itself; silent by default.
    ///   - metrics: where the Store's figures go (audit batches); none by default.
    ///   - checkpoints: `.external` while Litestream replicates the files (docs/operations.md).
    ///   - secretsKey: the file of the key that seals the catalogue's secrets (`SecretsKey`);
    ///     nil: `<data folder>.key` beside the data folder.
    /// - Throws: `.configuration` when the catalogue holds sealed secrets and the key file is
    ///   missing or does not open them.
    package init(
        dataDirectory: URL, dictionaries: URL, logger: Logger = Logger(label: "mimamori.store", factory: { _ in SwiftLogNoOpLogHandler() }),
        metrics: StoreMetrics = StoreMetrics(), checkpoints: CheckpointOwner = .application, secretsKey: URL? = nil
    ) throws(StoreError) {
        do {
            try FileManager.default.createDirectory(at: dataDirectory, withIntermediateDirectories: true)
        } catch {
            throw StoreError(.configuration, "cannot create the data folder \(dataDirectory.path): \(error.localizedDescription)")
        }
        self.dataDirectory = dataDirectory
        self.logger = logger
        self.checkpoints = checkpoints
        auditQueue = AuditQueue(metrics: metrics)
        let views = try AuditViews.open(in: dataDirectory)
        catalogue = try Database(
            path: dataDirectory.appendingPathComponent("catalogue.sqlite").path, migrations: CatalogueSchema.migrations,
            readerPragmas: AuditViews.readerPragma(views), checkpoints: checkpoints)
        auditViews = try AuditViews(database: views, catalogue: catalogue, logger: logger)
        self.secretsKey = SecretsKey(file: secretsKey ?? SecretsKey.defaultFile(for: dataDirectory), logger: logger)
        try SecretsAtRest.prepare(
            catalogue, key: self.secretsKey, catalogueFile: dataDirectory.appendingPathComponent("catalogue.sqlite").path, logger: logger)
        partitions = Mutex([:])
        try DirectoryLoader(catalogue: catalogue).loadIfChanged(from: dictionaries)
        directory = try DirectoryLoader(catalogue: catalogue).read()
        policy = AccessPolicy(directory: directory, tightened: try Settings.accessRules(in: catalogue))
        contactBook = Mutex(try Settings.contacts(in: catalogue))
        try CrossPartitionCommit.recover(self)
        try carryOutboxLeftovers()
        try transfers.settleInterrupted()
    }

    /// Whom other authorities call about `code`'s cases: every signed-in user may see it, on
    /// search hits and summaries (all members nil where nothing is known).
    package func contacts(of code: String) -> AuthorityContacts {
        contactBook.withLock { $0[code] } ?? AuthorityContacts()
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
        let database = try Database(path: path, migrations: PartitionSchema.migrations, checkpoints: checkpoints)
        return partitions.withLock { open in
            if let raced = open[prefectureCode] { return raced }
            open[prefectureCode] = database
            return database
        }
    }

    /// The prefecture codes whose partition files exist.
    package func existingPartitions() -> [String] {
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: dataDirectory.path) } catch {
            logger.error("cannot list the data folder", metadata: ["error": "\(error)"])
            return []
        }
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

    /// Finds a case by id in whichever partition holds it (unchecked: callers check access).
    func locate(_ id: String) throws(StoreError) -> StoredCase? {
        try locate(all: [id])[id]
    }

    /// The most ids one `IN (…)` of `locate(all:)` binds (well under SQLite's variable limit).
    static let locateChunk = 400

    /// Finds many cases by id at once (unchecked: callers check access): one query per
    /// partition and chunk of ids (`id IN (…)`), partitions in the order `locate` tries them,
    /// stopping once every id is found. The catalogue keeps no case → partition locator, so
    /// every partition that exists is asked for the ids not found yet.
    /// - Returns: the cases found, by id (an id found nowhere is absent).
    func locate(all ids: [String]) throws(StoreError) -> [String: StoredCase] {
        var missing = Set(ids.filter { !$0.isEmpty && $0.count <= 64 })
        var found: [String: StoredCase] = [:]
        for code in existingPartitions() {
            guard !missing.isEmpty else { break }
            let wanted = missing.sorted()
            for start in stride(from: 0, to: wanted.count, by: Self.locateChunk) {
                let chunk = Array(wanted[start..<min(start + Self.locateChunk, wanted.count)])
                let placeholders = Array(repeating: "?", count: chunk.count).joined(separator: ", ")
                let rows = try partition(code).read { connection throws(StoreError) in
                    try connection.query("SELECT \(Cases.columns) FROM cases WHERE id IN (\(placeholders))", chunk) { row throws(StoreError) in
                        try Cases.storedCase(row, prefecture: code)
                    }
                }
                for stored in rows where found[stored.id] == nil {
                    found[stored.id] = stored
                    missing.remove(stored.id)
                }
            }
        }
        return found
    }

    // MARK: Changes

    /// Registers a function called after every write that changed cases, with the prefectures
    /// it touched (the search index catches up there).
    package func onChange(_ observer: @escaping @Sendable (Set<String>) -> Void) {
        observers.withLock { $0.append(observer) }
    }

    func notifyChanged(_ prefectures: Set<String>) {
        guard !prefectures.isEmpty else { return }
        for observer in observers.withLock({ $0 }) { observer(prefectures) }
    }

    // MARK: Features

    package var cases: Cases { Cases(store: self) }
    package var casework: Casework { Casework(store: self) }
    package var links: CaseLinks { CaseLinks(store: self) }
    package var attachments: Attachments { Attachments(store: self) }
    package var transfers: Transfers { Transfers(store: self) }
    package var requests: InformationRequests { InformationRequests(store: self) }
    package var seriousCases: SeriousCases { SeriousCases(store: self) }
    package var alerts: Alerts { Alerts(store: self) }
    package var reports: Reports { Reports(store: self) }
    package var notifications: Notifications { Notifications(store: self) }
    package var webhooks: Webhooks { Webhooks(store: self) }
    package var settings: Settings { Settings(store: self) }
    package var users: Users { Users(store: self) }
    package var sessions: Sessions { Sessions(store: self) }
    package var secondFactors: SecondFactors { SecondFactors(store: self) }
    package var tokens: Tokens { Tokens(store: self) }
    package var retention: Retention { Retention(store: self) }
    package var auditLog: AuditLog { AuditLog(store: self) }
    package var changeFeed: ChangeFeed { ChangeFeed(store: self) }
    package var maintenance: Maintenance { Maintenance(store: self) }
    package var backups: Backups { Backups(store: self) }
}

/// A feature of the Store: a small type over the core, which reaches the core's guarded
/// parts (partitions, catalogue, policy decisions, audit) through `store`.
protocol StoreFeature {
    var store: Store { get }
}

extension StoreFeature {
    var catalogue: Database { store.catalogue }
    var directory: AuthorityDirectory { store.directory }
    func partition(_ code: String) throws(StoreError) -> Database { try store.partition(code) }
    func locate(_ id: String) throws(StoreError) -> StoredCase? { try store.locate(id) }
    func locate(all ids: [String]) throws(StoreError) -> [String: StoredCase] { try store.locate(all: ids) }
}
