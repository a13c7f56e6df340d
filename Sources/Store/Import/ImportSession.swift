import CMalloc
import Foundation
import SQLiteDB

/// An all-or-nothing import of many records into any number of partitions. Records are
/// staged (invisible) as they are added; `commit()` makes all of them visible or, after a
/// crash, recovery does; `abort()` or a crash before the commit point discards them all.
/// Used from one thread.
package final class ImportSession {
    private let store: Store
    private let commits: CrossPartitionCommit
    private let actor: Actor
    private let commit: String
    private var buffers: [String: [StagedRow]] = [:]
    private var nextSeq: [String: Int] = [:]
    private var finished = false
    /// The (authority, external id) of every record staged.
    private var keys = Set<String>()
    package private(set) var count = 0

    static let flushThreshold = 2_000

    /// Records staged between two `releaseFreeHeap()` calls.
    static let trimInterval = 20_000
    private var stagedSinceTrim = 0

    init(store: Store, actor: Actor) throws(StoreError) {
        self.store = store
        self.actor = actor
        commits = CrossPartitionCommit(store: store)
        commit = try commits.beginCommit(kind: "import", actor: actor)
    }

    /// Stages one validated record, if `actor` may write cases of its authority.
    package func add(_ record: CaseRecord) throws(StoreError) {
        try add(record, body: StagedBody(record, json: Cases.encode(record)))
    }

    /// Stages one validated record whose stored body is already made (by the import's
    /// workers), if `actor` may write cases of its authority.
    func add(_ record: CaseRecord, body: StagedBody) throws(StoreError) {
        precondition(!finished, "the import session is finished")
        try store.require(.registerCases(holder: record.authority), as: actor, action: "case.create", target: record.authority)
        let prefecture = try store.prefectureCode(ofHolder: record.authority)
        let now = Timestamp.now()
        // A key seen before in this import is staged with its JSON and applied one by one, in
        // file order (the later line wins), not by the bulk insert of new cases.
        let first = keys.insert(record.authority + "\u{0}" + record.externalID).inserted
        let caseID = UUID().uuidString.lowercased()
        var row = StagedRow(
            op: .upsert, caseID: caseID, holder: record.authority, externalID: record.externalID, status: record.status.rawValue,
            body: body.json, version: 1, createdAt: now, packed: first ? body.packed : nil, listValues: body.listValues)
        // A row staged packed needs no JSON (`CrossPartitionCommit.stage`): up to 94,000 rows
        // wait in the buffers, and their JSON was most of the memory they held.
        if row.stagedPacked != nil { row.body = "" }
        buffers[prefecture, default: []].append(row)
        if first { store.recentIdentities.remember(caseID, body.identity) }
        count += 1
        if buffers[prefecture]!.count >= Self.flushThreshold { try flush(prefecture) }
    }

    /// Makes every staged record visible: inserted, updated, or unchanged if identical.
    package func commit(detail: String) throws(StoreError) -> ApplyCounts {
        precondition(!finished, "the import session is finished")
        for prefecture in buffers.keys.sorted() { try flush(prefecture) }
        Self.releaseFreeHeap()
        finished = true
        FaultInjection.reach("commit.prepared")
        try commits.markCommitted(commit, audit: (actor, "case.import", nil, "records=\(count) \(detail)"))
        FaultInjection.reach("commit.committed")
        // The index has caught up once the apply returns (it follows each write): what it did
        // not take is of no more use.
        defer { store.recentIdentities.removeAll() }
        return try commits.applyCommitted(commit, partitions: nextSeq.keys.sorted())
    }

    /// Discards everything staged.
    package func abort() throws(StoreError) {
        guard !finished else { return }
        finished = true
        store.recentIdentities.removeAll()
        try commits.abortCommit(commit, partitions: nextSeq.keys.sorted())
    }

    private func flush(_ prefecture: String) throws(StoreError) {
        guard let rows = buffers[prefecture], !rows.isEmpty else { return }
        let first = nextSeq[prefecture, default: 0]
        try commits.stage(rows, commit: commit, in: prefecture, firstSeq: first)
        // Staging visits every partition in turn: none keeps its page cache between turns
        // (up to 32 MiB each, 1.5 GB for 47 partitions).
        try store.partition(prefecture).releaseMemory()
        stagedSinceTrim += rows.count
        if stagedSinceTrim >= Self.trimInterval {
            Self.releaseFreeHeap()
            stagedSinceTrim = 0
        }
        nextSeq[prefecture] = first + rows.count
        buffers[prefecture] = []
        FaultInjection.reach("import.staged")
    }
}

extension ImportSession {
    /// Gives the memory glibc's allocator holds free back to the system (`malloc_trim`).
    ///
    /// Hand-written because nothing else returns it: an import's workers allocate each
    /// record's body, identity and list values, the main thread frees most of them once
    /// staged, and the few that live on (identities for the index, keys seen) keep the
    /// workers' heaps from shrinking. Measured at 300,000 records: 1.9 GB held by the heaps,
    /// 0.5 GB of it in use. Trimmed every `trimInterval` records, the process keeps what it
    /// uses. See https://man7.org/linux/man-pages/man3/malloc_trim.3.html.
    static func releaseFreeHeap() {
        _ = mimamori_malloc_trim()
    }
}

/// A record's body as an import stages it: its JSON (`Cases.encode`), that
/// JSON packed as `cases` stores it (`CaseBody.pack`), the values of its list columns
/// (`CaseBody.listValues(of:)`) and, when packed, its identity for the index's catch-up
/// (`RecentIdentities`), all made by the import's workers.
struct StagedBody: Sendable {
    let json: String
    let packed: [UInt8]
    let listValues: [SQLValue]
    let identity: RecentIdentities.Entry

    /// - Parameter deflater: packs the body (an import's worker keeps one for a batch of lines).
    init(_ record: CaseRecord, json: String, deflater: BodyDeflater = BodyDeflater()) {
        self.json = json
        packed = CaseBody.pack(json, with: deflater)
        listValues = CaseBody.listValues(of: record)
        identity = RecentIdentities.Entry(digest: .init(of: packed), body: CaseIdentity.Body(record))
    }
}
