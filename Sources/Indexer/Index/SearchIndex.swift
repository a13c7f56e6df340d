package import Foundation
import Logging
import SQLiteDB
package import Store
import Synchronization

/// The nationwide search index: follows every partition's change log, holds identity keys
/// only, and answers FTS5 candidate queries. It lags the Store by at most the write in
/// progress: the Store calls `catchUp` after each write, and `open` replays what a crash left.
package final class SearchIndex: Sendable {
    package let analyzer: NameAnalyzer
    let database: Database
    let newCaseObservers = Mutex<[@Sendable ([String]) -> Void]>([])
    /// Name parts analysed by this index's person builders (see `NamePartCache`).
    let nameParts = NamePartCache()
    private let personsDecoded = Atomic<Int>(0)

    /// Persons read from `persons` and decoded by the search queries since the index was
    /// opened (candidates of exact keys and FTS5): the work a search does per candidate.
    package var personsRead: Int { personsDecoded.load(ordering: .relaxed) }

    /// Opens (creating) `index.sqlite` in the data folder.
    package init(dataDirectory: URL, analyzer: NameAnalyzer) throws(IndexError) {
        self.analyzer = analyzer
        // Searches read the index far more than it is written: its readers map the file into
        // memory (no copy per page read) and keep a larger page cache than SQLite's 2 MiB.
        database = try Database(
            path: dataDirectory.appendingPathComponent("index.sqlite").path, migrations: IndexSchema.migrations,
            readerPragmas: "PRAGMA mmap_size = 17179869184; PRAGMA cache_size = -16384;")
        // The writer inserts persons' keys all over `person_keys` and FTS5's segments: a bulk
        // load (an import's catch-up) reads far fewer pages back with a 128 MiB page cache
        // than with the 32 MiB of every connection.
        try database.write { connection throws(IndexError) in try connection.execute("PRAGMA cache_size = -131072") }
    }

    /// Opens the index beside `store`, catches up with every partition, and keeps following:
    /// after each Store write the touched partitions are applied before the write returns.
    package static func attach(to store: Store, analyzer: NameAnalyzer) throws(IndexError) -> SearchIndex {
        let index = try SearchIndex(dataDirectory: store.dataDirectory, analyzer: analyzer)
        _ = try index.catchUp(from: store)
        store.onChange { [index, weak store] prefectures in
            guard let store else { return }
            // A failure here leaves the cursor behind; the next write or start applies it.
            do { try index.catchUp(from: store, prefectures: prefectures) } catch {
                store.logger.error(
                    "the search index could not follow a write; the next write or start catches up",
                    metadata: ["prefectures": "\(prefectures.sorted().joined(separator: ","))", "error": "\(error)"])
            }
        }
        return index
    }

    // MARK: Following the Store

    /// Applies every change logged since the cursor of each prefecture (all, or those given).
    /// - Returns: the number of changes applied.
    @discardableResult
    package func catchUp(from store: Store, prefectures: Set<String>? = nil) throws(IndexError) -> Int {
        // Exact keys a first load left unmoved (it ended by a crash or an error) go in first.
        try finishKeyLoad()
        // An empty index is being loaded (a new store, a migration or rebuild): its cases are
        // not new registrations, and are not queued for match checks; its exact keys are
        // written to `person_keys_load` and moved into `person_keys` at the end.
        let firstLoad = try database.read { connection throws(IndexError) in
            try connection.first("SELECT 1 FROM persons LIMIT 1") { _ in true } == nil
        }
        let applied = try catchUp(
            from: store, partitions: prefectures.map { Array($0).sorted() } ?? store.existingPartitions(), firstLoad: firstLoad)
        if firstLoad, applied > 0 {
            try finishKeyLoad()
            try optimizeTerms()
        }
        return applied
    }

    /// Builds `person_keys` from the exact keys a first load wrote to `person_keys_load`, if
    /// any, and gives the load table's pages back to the file system.
    func finishKeyLoad() throws(IndexError) {
        let pending = try database.read { connection throws(IndexError) in
            try connection.first("SELECT 1 FROM person_keys_load LIMIT 1") { _ in true } != nil
        }
        guard pending else { return }
        try database.write { connection throws(IndexError) in try Self.moveLoadedKeys(connection) }
        try database.reclaimFreePages()
    }

    /// Moves the exact keys of `person_keys_load` into `person_keys` in key order, so that
    /// SQLite appends each to the last leaf of the B-tree (one sorted build) instead of
    /// seeking a leaf per key. Called in the transaction of anything that deletes persons,
    /// whose keys must be found in `person_keys`, and when a first load ends.
    ///
    /// See https://www.sqlite.org/lang_insert.html (INSERT … SELECT) and
    /// https://www.sqlite.org/withoutrowid.html.
    static func moveLoadedKeys(_ connection: Connection) throws(IndexError) {
        guard try connection.first("SELECT 1 FROM person_keys_load LIMIT 1", [], { _ in true }) != nil else { return }
        try connection.execute(
            """
            INSERT OR IGNORE INTO person_keys (key, birth, person)
                SELECT key, birth, person FROM person_keys_load ORDER BY key, birth, person;
            DELETE FROM person_keys_load;
            """)
    }

    /// Merges the FTS5 index's segments into one. A bulk load leaves a segment per level of
    /// FTS5's automatic merging (11 at 1M records), and every term a search looks up is read
    /// from each of them: merged once, the FTS5 stage of a search costs a third to a half less
    /// (measured at 1M records; the merge itself took 4 s). Later writes leave the merging to
    /// FTS5, since merging a whole national index after each small import would cost more
    /// than it saves.
    func optimizeTerms() throws(IndexError) {
        try database.write { connection throws(IndexError) in
            try connection.execute("INSERT INTO person_terms (person_terms) VALUES ('optimize')")
        }
    }

    /// Registers a function called, after the index has taken them in, with the ids of cases
    /// it did not hold before (new registrations and imports; arrivals by a move). A rebuild
    /// announces nothing.
    package func onNewCases(_ observer: @escaping @Sendable ([String]) -> Void) {
        newCaseObservers.withLock { $0.append(observer) }
    }

    /// Cases waiting for their match check, oldest first.
    package func pendingMatchChecks(limit: Int) throws(IndexError) -> [String] {
        try database.read { connection throws(IndexError) in
            try connection.query("SELECT case_id FROM match_queue ORDER BY queued_at, case_id LIMIT ?", [limit]) { $0.text(0) }
        }
    }

    /// How many cases wait for their match check.
    package func pendingMatchCheckCount() throws(IndexError) -> Int {
        try database.read { connection throws(IndexError) in
            try connection.first("SELECT count(*) FROM match_queue") { $0.int(0) } ?? 0
        }
    }

    /// The last change of each prefecture's partition the index has applied.
    package func cursors() throws(IndexError) -> [String: Int] {
        let rows = try database.read { connection throws(IndexError) in
            try connection.query("SELECT prefecture, seq FROM cursors") { ($0.text(0), $0.int(1)) }
        }
        return Dictionary(rows, uniquingKeysWith: { $1 })
    }

    /// Takes cases off the match-check queue once their check has run.
    package func matchChecksDone(_ caseIDs: [String]) throws(IndexError) {
        guard !caseIDs.isEmpty else { return }
        try database.write { connection throws(IndexError) in
            for caseID in caseIDs { try connection.run("DELETE FROM match_queue WHERE case_id = ?", [caseID]) }
        }
    }

    /// Drops the index and builds it again from every partition.
    /// - Returns: the number of persons indexed.
    @discardableResult
    package func rebuild(from store: Store, progress: ((Int) -> Void)? = nil) throws(IndexError) -> Int {
        try database.write { connection throws(IndexError) in
            try connection.execute(
                """
                DELETE FROM persons; DELETE FROM person_keys; DELETE FROM person_keys_load; DELETE FROM cursors;
                INSERT INTO person_terms (person_terms) VALUES ('delete-all');
                """)
        }
        var total = 0
        for code in store.existingPartitions() {
            // The cursor is taken before reading, so changes made meanwhile are applied afterwards.
            let latest = try IndexError.fromStore { () throws(StoreError) in try store.changeFeed.latestChange(inPrefecture: code) }
            var after = ""
            while true {
                let page = try IndexError.fromStore { () throws(StoreError) in
                    try store.changeFeed.identities(inPrefecture: code, afterID: after, limit: 2_000, as: .localAdministrator)
                }
                guard let last = page.last else { break }
                let updates = replacements(for: page)
                total += try database.write { connection throws(IndexError) -> Int in
                    try write(updates, in: connection)
                    return updates.reduce(0) { count, update in
                        if case .replace(_, let persons) = update { count + persons.count } else { count }
                    }
                }
                after = last.caseID
                progress?(total)
            }
            try database.write { connection throws(IndexError) in
                try connection.run(
                    "INSERT INTO cursors (prefecture, seq) VALUES (?, ?) ON CONFLICT (prefecture) DO UPDATE SET seq = excluded.seq",
                    [code, latest])
            }
        }
        try optimizeTerms()
        _ = try catchUp(from: store)
        return total
    }

    enum Update: Sendable {
        /// The case's persons as they are now (replacing every row of the case).
        case replace(caseID: String, persons: [IndexedPerson])
        /// The case left a partition: its rows from that partition go.
        case remove(caseID: String, prefecture: String)
    }

    /// Applies updates in one transaction, keeping `person_terms` and `person_keys` in step.
    /// FTS5 flushes a segment per statement, so a batch's terms are written (and deleted) by
    /// one statement each; a person's terms and exact keys are derived from its stored keys,
    /// so deleting them needs nothing else stored. An index that holds no person yet (a first
    /// load) is written without looking anything up; new rows are numbered above the largest,
    /// their exact keys inserted in key order.
    /// - Parameter loadingKeys: a first load: the new persons' exact keys go to
    ///   `person_keys_load`, unsorted, for `moveLoadedKeys` to build `person_keys` at the end.
    /// - Returns: the cases of `.replace` updates of which the index held no row before (new
    ///   registrations, arrivals by a move), in the updates' order.
    @discardableResult
    func write(_ updates: [Update], in connection: Connection, loadingKeys: Bool = false) throws(IndexError) -> [String] {
        let empty = try connection.first("SELECT 1 FROM persons LIMIT 1") { _ in true } == nil
        var newCases: [String] = []
        var doomed: [(id: Int, person: IndexedPerson)] = []
        for update in updates {
            switch update {
            case .replace(let caseID, _):
                let found = empty ? [] : try Self.persons(ofCase: caseID, in: nil, connection)
                if found.isEmpty { newCases.append(caseID) }
                doomed += found
            case .remove(let caseID, let prefecture):
                guard !empty else { continue }
                doomed += try Self.persons(ofCase: caseID, in: prefecture, connection)
            }
        }
        if !doomed.isEmpty {
            // The doomed persons' exact keys may still wait in the load table (a case changed
            // twice during a first load, or another process's first load going on).
            try Self.moveLoadedKeys(connection)
            try connection.execute("CREATE TEMP TABLE IF NOT EXISTS doomed_terms (id INTEGER PRIMARY KEY, terms TEXT NOT NULL)")
            for (id, person) in doomed {
                let birth = LookupKeys.birth(person.identity.birthdate)
                for key in LookupKeys.keys(of: person) {
                    try connection.run("DELETE FROM person_keys WHERE key = ? AND birth = ? AND person = ?", [key, birth, id])
                }
                try connection.run("INSERT OR IGNORE INTO doomed_terms (id, terms) VALUES (?, ?)", [id, person.derivedTerms])
                try connection.run("DELETE FROM persons WHERE id = ?", [id])
            }
            try connection.execute(
                """
                INSERT INTO person_terms (person_terms, rowid, terms) SELECT 'delete', id, terms FROM doomed_terms;
                DELETE FROM doomed_terms;
                """)
        }
        // New rows get ids above the largest (INTEGER PRIMARY KEY, this connection holds the write lock).
        let base = try connection.first("SELECT coalesce(max(id), 0) FROM persons") { $0.int(0) } ?? 0
        var id = base
        var keys: [(key: String, birth: Int, person: Int)] = []
        var terms = Self.TermsArray()
        let insertPerson = try connection.prepare(
            """
            INSERT INTO persons (id, ordinal, role, relation, family_name, given_name, family_kana, given_kana, romaji,
                birthdate, sex, keys, case_id, case_persons, prefecture, holder, external_id, status, municipality)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for case .replace(_, let persons) in updates {
            for person in persons {
                id += 1
                let identity = person.identity
                // A case's persons are inserted one after another, its child first, which alone
                // carries the case's fields. Bound one by one (`Statement.bind(_:_:)`): one
                // insert per person of an import.
                let child = person.ordinal == 0
                try insertPerson.bind(1, id)
                try insertPerson.bind(2, person.ordinal)
                try insertPerson.bind(3, person.role.rawValue)
                try insertPerson.bind(4, person.relation)
                try insertPerson.bind(5, identity.familyName)
                try insertPerson.bind(6, identity.givenName)
                try insertPerson.bind(7, identity.familyNameKana)
                try insertPerson.bind(8, identity.givenNameKana)
                try insertPerson.bind(9, identity.romaji)
                try insertPerson.bind(10, identity.birthdate?.iso)
                try insertPerson.bind(11, identity.sex?.rawValue)
                try insertPerson.bind(12, blob: person.compactKeys)
                try insertPerson.bind(13, child ? person.caseID : nil)
                if child { try insertPerson.bind(14, persons.count) } else { try insertPerson.bind(14, nil as String?) }
                try insertPerson.bind(15, child ? person.prefectureCode : nil)
                try insertPerson.bind(16, child ? person.holder : nil)
                try insertPerson.bind(17, child ? person.externalID : nil)
                try insertPerson.bind(18, child ? person.status.rawValue : nil)
                try insertPerson.bind(19, child ? person.addressMunicipality : nil)
                try insertPerson.runBound()
                let birth = LookupKeys.birth(identity.birthdate)
                for key in person.lookupKeys.isEmpty ? LookupKeys.keys(of: person) : person.lookupKeys {
                    keys.append((key, birth, id))
                }
                terms.append(person.terms.isEmpty ? person.derivedTerms : person.terms)
            }
        }
        // A first load's keys go unsorted to the load table (`moveLoadedKeys` sorts the whole
        // load's keys once); otherwise in key order (SQLite's: the UTF-8 bytes), each insert
        // beside the one before it. Compared as bytes: `String`'s `<` and `!=` compare Unicode
        // canonical forms, which cost more than the inserts themselves on a large page.
        if !loadingKeys {
            keys.sort { a, b in
                let order = Self.compareUTF8(a.key, b.key)
                if order != 0 { return order < 0 }
                return (a.birth, a.person) < (b.birth, b.person)
            }
        }
        let insertKey = try connection.prepare(
            loadingKeys
                ? "INSERT INTO person_keys_load (key, birth, person) VALUES (?, ?, ?)"
                : "INSERT OR IGNORE INTO person_keys (key, birth, person) VALUES (?, ?, ?)")
        for key in keys {
            try insertKey.bind(1, key.key)
            try insertKey.bind(2, key.birth)
            try insertKey.bind(3, key.person)
            try insertKey.runBound()
        }
        if id > base {
            // One statement: the new persons' documents, numbered from base + 1, as a JSON array.
            try connection.run(
                "INSERT INTO person_terms (rowid, terms) SELECT ? + key + 1, value FROM json_each(?) ORDER BY key", [base, terms.finished])
        }
        return newCases
    }

    /// The persons of a case the index holds, of one partition or of every one. A case's
    /// persons have consecutive ids from its child's (ordinal 0), the only row of the case in
    /// `persons_by_case`, which holds their number (`case_persons`).
    private static func persons(ofCase caseID: String, in prefecture: String?, _ connection: Connection) throws(IndexError) -> [(
        id: Int, person: IndexedPerson
    )] {
        let ranges = try connection.query(
            "SELECT id, case_persons FROM persons WHERE case_id = ? AND ordinal = 0 AND (? IS NULL OR prefecture = ?)",
            [caseID, prefecture, prefecture]
        ) { row in (first: row.int(0), count: row.int(1)) }
        var found: [(id: Int, person: IndexedPerson)] = []
        for range in ranges {
            found += try connection.query(
                "SELECT p.id, \(personColumns) FROM \(personRows) WHERE p.id BETWEEN ? AND ? AND c.case_id = ?",
                [range.first, range.first + range.count - 1, caseID]
            ) { row in (id: row.int(0), person: person(row, from: 1)) }
        }
        return found
    }

    /// The order of two strings' UTF-8 bytes (SQLite's order of TEXT with the BINARY collation):
    /// negative, zero or positive.
    static func compareUTF8(_ a: String, _ b: String) -> Int {
        let fast = a.utf8.withContiguousStorageIfAvailable { x in
            b.utf8.withContiguousStorageIfAvailable { y -> Int in
                let common = min(x.count, y.count)
                if common > 0, let xa = x.baseAddress, let ya = y.baseAddress {
                    let order = memcmp(xa, ya, common)
                    if order != 0 { return Int(order) }
                }
                return x.count - y.count
            }
        }
        if let order = fast ?? nil { return order }
        if a.utf8.lexicographicallyPrecedes(b.utf8) { return -1 }
        return b.utf8.lexicographicallyPrecedes(a.utf8) ? 1 : 0
    }

    /// FTS5 documents as one JSON array of strings (terms hold letters, digits and non-ASCII
    /// characters; anything JSON must escape is escaped all the same).
    struct TermsArray {
        private var json = "["

        mutating func append(_ document: String) {
            if json.utf8.count > 1 { json += "," }
            json += "\""
            if document.utf8.allSatisfy({ $0 >= 0x20 && $0 != 0x22 && $0 != 0x5C }) {
                json += document
            } else {
                for scalar in document.unicodeScalars {
                    switch scalar.value {
                    case 0x22: json += "\\\""
                    case 0x5C: json += "\\\\"
                    case ..<0x20: json += "\\u00" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
                    default: json.unicodeScalars.append(scalar)
                    }
                }
            }
            json += "\""
        }

        var finished: String { json + "]" }
    }

    // MARK: Queries

    /// Persons whose terms match `expression`, at most `limit`: best bm25 first when `ranked`
    /// (which scores every match), else the first found (which stops at `limit`).
    package func candidates(matching expression: FTSExpression, limit: Int, ranked: Bool = true) throws(IndexError) -> [IndexedPerson] {
        let found = try database.read { connection throws(IndexError) in
            try connection.query(
                """
                SELECT \(Self.personColumns)
                FROM person_terms JOIN persons p ON p.id = person_terms.rowid JOIN persons c ON c.id = p.id - p.ordinal
                WHERE person_terms MATCH ? \(ranked ? "ORDER BY person_terms.rank" : "") LIMIT ?
                """,
                [expression.text, limit]
            ) { row in Self.person(row) }
        }
        personsDecoded.add(found.count, ordering: .relaxed)
        return found
    }

    /// Persons stored under `lookups` (exact keys of `LookupKeys` with birth values or a
    /// range), each once, in the order found: lookups in order, a range newest birth first.
    /// The work is bounded whatever the number of namesakes: at most `limitEach` rows per
    /// lookup and `budget` persons in all; `truncated` says that a bound cut the answer short.
    package func persons(matching lookups: [KeyLookup], limitEach: Int, budget: Int) throws(IndexError) -> (
        persons: [IndexedPerson], truncated: Bool
    ) {
        try database.read { connection throws(IndexError) in
            var ids: [Int] = []
            var seen = Set<Int>()
            var truncated = false
            func take(_ found: [Int], limit: Int) {
                if found.count >= limit { truncated = true }
                for id in found where seen.insert(id).inserted {
                    guard ids.count < budget else {
                        truncated = true
                        return
                    }
                    ids.append(id)
                }
            }
            for lookup in lookups {
                let limitEach = min(limitEach, lookup.limit ?? limitEach)
                switch lookup.births {
                case .values(let births):
                    // One statement per key: SQLite seeks each value of the IN list itself.
                    let most = Self.valuesLookups.last!.count
                    for start in stride(from: 0, to: births.count, by: most) {
                        let chunk = births[start..<min(start + most, births.count)]
                        let (count, sql) = Self.valuesLookups.first { $0.count >= chunk.count }!
                        let padded = Array(chunk) + Array(repeating: -1, count: count - chunk.count)
                        take(try connection.query(sql, [lookup.key] + padded + [limitEach]) { $0.int(0) }, limit: limitEach)
                    }
                case .range(let births):
                    take(
                        try connection.query(
                            "SELECT person FROM person_keys WHERE key = ? AND birth BETWEEN ? AND ? ORDER BY birth DESC LIMIT ?",
                            [lookup.key, births.lowerBound, births.upperBound, limitEach]
                        ) { $0.int(0) }, limit: limitEach)
                }
                if ids.count >= budget { break }
            }
            // Read in id order, a chunk per statement (each row is beside the one before it in
            // `persons`), then put back in the order found.
            var read: [Int: IndexedPerson] = [:]
            read.reserveCapacity(ids.count)
            let sorted = ids.sorted()
            for start in stride(from: 0, to: sorted.count, by: Self.personsPerStatement) {
                let chunk = sorted[start..<min(start + Self.personsPerStatement, sorted.count)]
                let padded = Array(chunk) + Array(repeating: -1, count: Self.personsPerStatement - chunk.count)
                for (id, person) in try connection.query(Self.personsByID, padded, { ($0.int(17), Self.person($0)) }) { read[id] = person }
            }
            let persons = ids.compactMap { read[$0] }
            personsDecoded.add(persons.count, ordering: .relaxed)
            return (persons, truncated)
        }
    }

    /// The statements that seek one key's birth values, by the number of values each takes
    /// (unused ones are -1, which no row has): a few sizes, so that a lookup of one or four
    /// values does not pay for sixty padded ones, and each statement is prepared once.
    static let valuesLookups: [(count: Int, sql: String)] = [1, 4, 16, 64].map { count in
        (count, "SELECT person FROM person_keys WHERE key = ? AND birth IN (\(placeholders(count))) LIMIT ?")
    }

    /// Persons read by one statement of `personsByID` (unused ids are -1, which no row has).
    static let personsPerStatement = 32
    static let personsByID =
        "SELECT \(personColumns), p.id FROM \(personRows) WHERE p.id IN (\(placeholders(personsPerStatement))) ORDER BY p.id"

    private static func placeholders(_ count: Int) -> String { Array(repeating: "?", count: count).joined(separator: ", ") }

    /// The child of a case as the index holds it (nil if the index has no such case).
    package func child(ofCase caseID: String) throws(IndexError) -> IndexedPerson? {
        try database.read { connection throws(IndexError) in
            try connection.first(
                """
                SELECT \(Self.personColumns)
                FROM \(Self.personRows) WHERE p.case_id = ? AND p.ordinal = 0 AND p.role = 'child' LIMIT 1
                """,
                [caseID]
            ) { row in Self.person(row) }
        }
    }

    /// The bare FTS5 query the search runs, without reading rows or scoring them in Swift (the
    /// benchmark baseline).
    package func matchCount(_ expression: FTSExpression, limit: Int, ranked: Bool = true) throws(IndexError) -> Int {
        try database.read { connection throws(IndexError) in
            try connection.query(
                "SELECT rowid FROM person_terms WHERE person_terms MATCH ? \(ranked ? "ORDER BY rank" : "") LIMIT ?",
                [expression.text, limit]
            ) { $0.int(0) }.count
        }
    }

    /// The stored keys (`keys` column) of up to `limit` persons, for measuring their decoding.
    package func sampleCompactKeys(limit: Int) throws(IndexError) -> [[UInt8]] {
        try database.read { connection throws(IndexError) in
            try connection.query("SELECT keys FROM persons LIMIT ?", [limit]) { $0.blob(0) }
        }
    }

    /// Runs FTS5's own check of `person_terms` (https://www.sqlite.org/fts5.html#the_integrity_check_command).
    /// - Throws: `IndexError` if the terms index is inconsistent.
    package func checkTermsIntegrity() throws(IndexError) {
        try database.write { connection throws(IndexError) in
            try connection.execute("INSERT INTO person_terms (person_terms) VALUES ('integrity-check')")
        }
    }

    /// How many persons the index holds.
    package func personCount() throws(IndexError) -> Int {
        try database.read { connection throws(IndexError) in
            try connection.first("SELECT count(*) FROM persons") { $0.int(0) } ?? 0
        }
    }

    /// The columns of `persons p` that `person(_:from:)` reads, in its order.
    /// The person's own columns come from `p`, its case's from `c`, the row of the case's child.
    static let personColumns = """
        c.case_id, p.ordinal, p.role, p.relation, c.prefecture, c.holder, c.external_id, c.status, p.family_name, p.given_name,
        p.family_kana, p.given_kana, p.romaji, p.birthdate, p.sex, p.keys, c.municipality
        """

    /// A person `p` with its case's child `c` (index migration 9: a case's own fields are on its
    /// child's row only, and a case's persons have consecutive ids from the child's, so the
    /// child of person `p` is row `p.id - p.ordinal`).
    static let personRows = "persons p JOIN persons c ON c.id = p.id - p.ordinal"

    /// The person of a row holding `personColumns` from column `first` on.
    static func person(_ row: Statement, from first: Int32 = 0) -> IndexedPerson {
        let parts = row.withBlob(first + 15) { CompactKeys.decode($0) }
        let empty = NamePartKeys(folded: "", canonical: "", readings: [], readingsGuessed: false, looseReadings: [], script: .empty)
        return IndexedPerson(
            caseID: row.text(first), ordinal: row.int(first + 1), role: PersonRole(rawValue: row.text(first + 2)) ?? .child,
            relation: row.optionalText(first + 3), prefectureCode: row.text(first + 4), holder: row.text(first + 5),
            addressMunicipality: row.optionalText(first + 16), externalID: row.text(first + 6),
            status: CaseStatus(rawValue: row.text(first + 7)) ?? .open,
            identity: PersonIdentity(
                familyName: row.optionalText(first + 8), givenName: row.optionalText(first + 9),
                familyNameKana: row.optionalText(first + 10), givenNameKana: row.optionalText(first + 11),
                romaji: row.optionalText(first + 12), birthdate: row.optionalText(first + 13).flatMap { try? PartialDate(iso: $0) },
                sex: row.optionalText(first + 14).flatMap(Sex.init(rawValue:))),
            family: parts.first ?? empty, given: parts.count > 1 ? parts[1] : empty, extraParts: Array(parts.dropFirst(2)))
    }
}

/// Turns case identities into indexed persons with their FTS5 documents, remembering the
/// keys and terms of names it has seen (names repeat a lot: deriving keys runs ICU transforms).
struct PersonBuilder {
    let analyzer: NameAnalyzer
    private let cache: NamePartCache

    /// - Parameter cache: the names seen, shared by the builders of one index (every page and
    ///   thread of a catch-up); a cache of this builder's own if nil.
    init(analyzer: NameAnalyzer, cache: NamePartCache? = nil) {
        self.analyzer = analyzer
        self.cache = cache ?? NamePartCache()
    }

    mutating func persons(of identity: CaseIdentity) -> [IndexedPerson] {
        identity.persons.enumerated().map { ordinal, entry in
            let person = entry.identity
            let family = part(person.familyName, person.familyNameKana, .family)
            let given = part(person.givenName, person.givenNameKana, .given)
            var extra: [(keys: NamePartKeys, terms: [String])] = []
            if let romaji = person.romaji {
                extra += romaji.split(whereSeparator: { $0 == " " || $0 == "\u{3000}" })
                    .map { part(String($0), nil, .unknown) }
                    .filter { latin in ![family.keys, given.keys].contains { $0.canonical == latin.keys.canonical } }
            }
            if given.keys.isEmpty, let name = person.familyName,
                let split = analyzer.readings.splits(ofFullName: analyzer.normalizer.fold(name)).first
            {
                extra += [part(split.family, nil, .family), part(split.given, nil, .given)]
            }
            var indexed = IndexedPerson(
                caseID: identity.caseID, ordinal: ordinal, role: entry.role, relation: entry.relation,
                prefectureCode: identity.prefectureCode, holder: identity.holder,
                addressMunicipality: identity.addressMunicipality, externalID: identity.externalID,
                status: identity.status, identity: person, family: family.keys, given: given.keys,
                extraParts: extra.map(\.keys))
            let parts = [family, given].filter { !$0.keys.isEmpty } + extra
            indexed.terms = IndexTerms.document(for: indexed, partTerms: parts.map(\.terms))
            indexed.lookupKeys = LookupKeys.keys(of: indexed)
            return indexed
        }
    }

    private mutating func part(_ name: String?, _ kana: String?, _ kind: NameAnalyzer.Kind) -> (keys: NamePartKeys, terms: [String]) {
        let key = NamePartCache.Key(kind: kind, name: name, kana: kana)
        if let cached = cache[key] { return cached }
        let keys = analyzer.keys(name: name, kana: kana, kind: kind)
        let entry = (keys, IndexTerms.terms(of: keys))
        cache[key] = entry
        return entry
    }
}

/// The keys and terms of name parts already analysed, shared by the person builders of one
/// index across threads and pages: a catch-up's builders each had a cache of their own, made
/// afresh for each chunk of each page (a few dozen cases), so most names were analysed again.
///
/// A name part is looked up by the UTF-8 bytes of what was written (kind, name, reading), not
/// by `String` equality, so every entry holds what `NameAnalyzer.keys` gives for those very
/// bytes: a builder returns what it would return with no cache at all.
final class NamePartCache: Sendable {
    /// A name part as written, compared and hashed by its bytes.
    struct Key: Hashable, Sendable {
        let kind: NameAnalyzer.Kind
        let name: String?
        let kana: String?

        static func == (lhs: Key, rhs: Key) -> Bool {
            lhs.kind == rhs.kind && same(lhs.name, rhs.name) && same(lhs.kana, rhs.kana)
        }

        private static func same(_ a: String?, _ b: String?) -> Bool {
            switch (a, b) {
            case (nil, nil): true
            case (let a?, let b?): a.utf8.count == b.utf8.count && a.utf8.elementsEqual(b.utf8)
            default: false
            }
        }

        func hash(into hasher: inout Hasher) {
            hasher.combine(kind)
            for text in [name, kana] {
                guard var text else {
                    hasher.combine(0 as UInt8)
                    continue
                }
                hasher.combine(1 as UInt8)
                hasher.combine(text.utf8.count)
                text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
            }
        }
    }

    typealias Entry = (keys: NamePartKeys, terms: [String])

    /// Entries kept at most; the cache starts again empty beyond them.
    static let limit = 200_000

    private let entries = Mutex<[Key: Entry]>([:])

    subscript(key: Key) -> Entry? {
        get { entries.withLock { $0[key] } }
        set {
            entries.withLock { entries in
                if entries.count >= Self.limit { entries.removeAll(keepingCapacity: true) }
                entries[key] = newValue
            }
        }
    }
}
