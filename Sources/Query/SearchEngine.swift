import CoreMetrics
import Dispatch
package import Indexer
package import Store

/// The nationwide search: parses a request, retrieves candidates from the index across all
/// prefectures, ranks them, keeps only what the caller may see, and audits the search.
package final class SearchEngine: Sendable {
    package let store: Store
    package let index: SearchIndex
    package let parser: QueryParser
    private let scorer: MatchScorer
    private let metrics: StoreMetrics
    private let rankingSlots: DispatchSemaphore?

    /// Candidates read per ranked retrieval stage (best bm25 first).
    package static let candidateLimit = 200
    /// Candidates read per unranked stage (those only add `possible` hits to a page of 20).
    package static let unrankedCandidateLimit = 60

    /// - Parameters:
    ///   - metrics: where the search stage timings go (none by default).
    ///   - rankingSlots: how many searches may parse and rank at once (nil: no limit). The
    ///     server has many more handler threads than cores, since a handler mostly waits for
    ///     the audit's group commit; if all of them ranked at once, the cores would be shared
    ///     among them all and a search costing 10 ms of CPU would take 80 ms with 16 running.
    ///     With one slot per core, a search ranks at full speed once it has a slot, and a
    ///     thread waiting for its audit entry's commit holds none.
    package init(store: Store, index: SearchIndex, metrics: StoreMetrics = StoreMetrics(), rankingSlots: Int? = nil) {
        self.store = store
        self.index = index
        self.metrics = metrics
        self.rankingSlots = rankingSlots.map { DispatchSemaphore(value: max(1, $0)) }
        parser = QueryParser(analyzer: index.analyzer, directory: store.directory)
        scorer = MatchScorer(analyzer: index.analyzer)
    }

    /// Runs one search for `actor` and records it in the audit log.
    package func search(_ request: SearchRequest, as actor: Actor) throws -> SearchResult {
        guard let outcome = try search(batch: [request], as: actor).first else { return SearchResult(total: 0, truncated: false, hits: []) }
        return try outcome.get()
    }

    /// Runs many searches for `actor`: each is parsed and ranked here, then filtered, paged
    /// and audited by the Store's core in one call (`Store.disclose`), the only path by which
    /// search results leave the Store's protection.
    package func search(batch requests: [SearchRequest], as actor: Actor) throws(StoreError) -> [Result<SearchResult, QueryError>] {
        rankingSlots?.wait()
        let ranking = Result { () throws(StoreError) in try prepare(requests) }
        rankingSlots?.signal()
        let prepared = try ranking.get()
        let disclosed = try timed("disclosure") { () throws(StoreError) in try store.disclose(prepared.disclosures, to: actor) }
        return zip(prepared.ranked, disclosed).map { outcome, disclosure in
            outcome.map { people in result(people.ranked, people.truncated, disclosure) }
        }
    }

    /// Parses and ranks each request: its outcome, and what the core is asked to disclose.
    private func prepare(_ requests: [SearchRequest]) throws(StoreError)
        -> (ranked: [Result<(ranked: [Ranked], truncated: Bool), QueryError>], disclosures: [SearchDisclosure.Request])
    {
        var ranked: [Result<(ranked: [Ranked], truncated: Bool), QueryError>] = []
        var disclosures: [SearchDisclosure.Request] = []
        for request in requests {
            let description = Self.describe(request)
            do {
                let query = try parser.parse(request)
                let people = try rank(query)
                ranked.append(.success(people))
                disclosures.append(
                    SearchDisclosure.Request(
                        description: description, candidates: people.ranked.map(\.candidate), offset: query.offset, limit: query.limit))
            } catch let error as QueryError {
                ranked.append(.failure(error))
                disclosures.append(SearchDisclosure.Request(description: description, candidates: [], refused: error.description))
            } catch let error as StoreError {
                throw error
            } catch {
                throw StoreError(.storage, "search failed: \(error)")
            }
        }
        return (ranked, disclosures)
    }

    /// Runs a parsed query as the service's own identity check (match alerts, measurement
    /// tools): the local administrator only, not audited as a search.
    package func check(_ query: SearchQuery, as actor: Actor) throws(StoreError) -> SearchResult {
        let people = try rank(query)
        let request = SearchDisclosure.Request(
            description: "", candidates: people.ranked.map(\.candidate), offset: query.offset, limit: query.limit)
        guard let disclosure = try store.disclose([request], to: actor, purpose: .serviceCheck).first else {
            return SearchResult(total: 0, truncated: false, hits: [])
        }
        return result(people.ranked, people.truncated, disclosure)
    }

    /// A person found and scored, before the core decides whether the caller may see it.
    private struct Ranked {
        let person: IndexedPerson
        var outcome: MatchScorer.Outcome

        var candidate: SearchDisclosure.Candidate {
            SearchDisclosure.Candidate(
                caseID: person.caseID, holder: person.holder, addressMunicipality: person.addressMunicipality, isChild: person.role == .child)
        }
    }

    /// Retrieves and ranks the candidates of a parsed query, best first (not yet
    /// access-filtered): every `exact` before every `likely` before every `possible`, then by
    /// score. The candidates do not depend on the page asked for, so neither does `total`.
    private func rank(_ query: SearchQuery) throws(StoreError) -> (ranked: [Ranked], truncated: Bool) {
        var ranked: [Ranked] = []
        var seen = Set<String>()
        var truncated = false
        let variants = [query.names] + query.splits
        try timed("retrieval") { () throws(StoreError) in
            for (position, names) in variants.enumerated() where !names.isEmpty {
                var variantQuery = query
                variantQuery.names = names
                // A dictionary split of a name typed without a space is a guess: its exact keys
                // are looked up, but names typed in part are sought as typed only (the split of
                // 田中 into 田 / 中 sent FTS5 through every name holding either character: about
                // 20 ms per search at 1M records, for candidates the split itself made up).
                let found = try candidates(for: variantQuery, partialNames: position == 0)
                truncated = truncated || found.truncated
                for hit in found.hits where seen.insert("\(hit.person.caseID)#\(hit.person.ordinal)").inserted {
                    if let prefecture = query.prefectureCode, hit.person.prefectureCode != prefecture { continue }
                    ranked.append(hit)
                }
            }
            if !query.guardianNames.isEmpty { truncated = try applyGuardians(query, to: &ranked) || truncated }
        }
        // Equal scores (namesakes, when the query cannot tell them apart): children before
        // adults, open cases before closed ones, the youngest first.
        ranked.sort { a, b in
            if a.outcome.grade != b.outcome.grade { return a.outcome.grade > b.outcome.grade }
            if a.outcome.score != b.outcome.score { return a.outcome.score > b.outcome.score }
            let (x, y) = (a.person, b.person)
            if (x.role == .child) != (y.role == .child) { return x.role == .child }
            if (x.status == .open) != (y.status == .open) { return x.status == .open }
            let (bx, by) = (LookupKeys.birth(x.identity.birthdate), LookupKeys.birth(y.identity.birthdate))
            if bx != by { return bx > by }
            return (x.caseID, x.ordinal) < (y.caseID, y.ordinal)
        }
        return (ranked, truncated)
    }

    /// A case's child as a search hit would show it, for an actor who may see its summary
    /// (the information request form shows what is being asked for); nil otherwise. Shown
    /// like a search hit, so disclosed and audited like one: the holder sees who looked it up.
    package func summary(ofCase caseID: String, as actor: Actor) throws(StoreError) -> SearchHit? {
        guard let person = try StoreError.fromIndex({ () throws(IndexError) in try index.child(ofCase: caseID) }) else { return nil }
        let ranked = Ranked(person: person, outcome: MatchScorer.Outcome(score: 0, grade: .possible, why: []))
        let request = SearchDisclosure.Request(description: "summary case=\(caseID)", candidates: [ranked.candidate])
        guard let shown = try store.disclose([request], to: actor).first?.hits.first else { return nil }
        return hit([ranked], shown)
    }

    /// Runs `body`, recording its time as a search stage.
    private func timed<T>(_ stage: String, _ body: () throws(StoreError) -> T) throws(StoreError) -> T {
        let start = DispatchTime.now().uptimeNanoseconds
        defer { metrics.searchStage(stage).recordNanoseconds(Int64(DispatchTime.now().uptimeNanoseconds - start)) }
        return try body()
    }

    /// The bounds of a search's work, whatever the number of namesakes (none depends on the
    /// page asked for).
    package enum Budget {
        /// Rows read per exact-key lookup (one key, one birth value or range).
        package static let rowsPerLookup = 500
        /// Persons read and scored per query variant from the exact keys.
        package static let candidates = 1_000
        /// Persons read by the FTS5 stages of a query variant, all together (the first found).
        package static let ftsCandidates = 60
        /// The FTS5 stages run only when the exact keys found fewer hits than this, none of them
        /// `exact` or `likely`.
        package static let ftsThreshold = 10
        /// Rows read for a single name with no birthdate recorded (they cannot confirm it).
        package static let unrecordedSingleName = 50
    }

    /// The exact-key lookups of a query, most precise first (so a budget cuts the weakest).
    /// With a whole birthdate D: the whole name born on D, in D's month or year with the day
    /// (or month) unrecorded, or with no birthdate; each name piece born on D (or fitting it),
    /// for a piece typed in part; the whole name born on a plausible slip of D (`DateSlip`).
    /// With a partial birthdate: the whole name and each piece born within it, and the whole
    /// name with no birthdate. Without one: the whole name, and a single piece, born at any
    /// time (newest first), within `birthdateRange` if given.
    package func lookups(for query: SearchQuery) -> [KeyLookup] {
        let pieces = query.names.map(\.keys)
        guard !pieces.isEmpty else { return [] }
        // The typed order and its rotations: a name typed given name first is still found.
        let orders = pieces.indices.map { Array(pieces[$0...] + pieces[..<$0]) }
        let whole = unique(orders.flatMap(LookupKeys.wholeKeys(of:)))
        let parts = unique(pieces.flatMap(LookupKeys.partKeys(of:)))
        func each(_ keys: [String], _ births: KeyLookup.Births) -> [KeyLookup] { keys.map { KeyLookup(key: $0, births: births) } }
        guard let date = query.birthdate else {
            var range = 0...99_999_999
            if let bounds = query.birthdateRange {
                range = (bounds.lowerBound.year * 10_000)...LookupKeys.birth(bounds.upperBound) + (bounds.upperBound.day == nil ? 99 : 0)
            }
            return each(whole, .range(range)) + (pieces.count == 1 ? each(parts, .range(range)) : [])
        }
        let year = date.year * 10_000
        guard let month = date.month else {
            return each(whole, .range(year...year + 9_999)) + each(whole, .values([0])) + each(parts, .range(year...year + 9_999))
        }
        guard date.day != nil else {
            let monthStart = year + month * 100
            return each(whole, .range(monthStart...monthStart + 99)) + each(whole, .values([year, 0]))
                + each(parts, .range(monthStart...monthStart + 99)) + each(parts, .values([year]))
        }
        let fitting = [LookupKeys.birth(date), year + month * 100, year]
        let slips = DateSlip.candidates(of: date, latestYear: scorer.today.year).map(LookupKeys.birth)
        // A single name with no birthdate recorded cannot confirm it: the first few only.
        let unrecorded = pieces.count == 1 ? parts.map { KeyLookup(key: $0, births: .values([0]), limit: Budget.unrecordedSingleName) } : []
        return each(whole, .values(fitting + [0])) + each(parts, .values(fitting)) + each(whole, .values(slips)) + unrecorded
    }

    /// One FTS5 query of a search: the way to names typed in part (grams, prefixes), used only
    /// when the exact keys found little.
    package struct Stage: Sendable {
        package var expression: FTSExpression
    }

    /// The FTS5 queries for names typed in part, in order, sharing `Budget.ftsCandidates`
    /// persons read (the first found, unranked): every piece matching (with the birthdate as
    /// given, or a partial one that fits it, or none recorded, if the query has one); then,
    /// without a birthdate, any piece matching.
    package func stages(for query: SearchQuery) -> [Stage] {
        let pieces = query.names.compactMap { FTSExpression.any(Self.terms(for: $0.keys)) }
        guard let all = FTSExpression.all(pieces) else { return [] }
        guard let date = query.birthdate else {
            let any = pieces.count > 1 ? FTSExpression.either(pieces) : nil
            return [Stage(expression: all)] + [any].compactMap { $0 }.map { Stage(expression: $0) }
        }
        // Born on the day, in the month or in the year typed (the query's own precision), or
        // with a partial birthdate that fits it, or with none recorded.
        let precise = date.day != nil ? IndexTerms.dateTerms(date).last! : date.month.map { IndexTerms.monthTerm(date.year, $0) } ?? "by\(date.year)"
        var fitting = [FTSExpression.term(precise), FTSExpression.term("bu")]
        if let month = date.month {
            if date.day != nil { fitting.append(FTSExpression.all([.term(IndexTerms.monthTerm(date.year, month)), .term("bq2")])!) }
            fitting.append(FTSExpression.all([.term("by\(date.year)"), .term("bq1")])!)
        }
        return [Stage(expression: FTSExpression.all([all, FTSExpression.either(fitting)!])!)]
    }

    /// The hits of one query variant, each candidate scored once: the exact keys, then — only
    /// for `partialNames`, and if they gave fewer than `Budget.ftsThreshold` hits and none
    /// `exact` or `likely` — the FTS5 stages for names typed in part. A hit of the whole piece
    /// as typed with a fitting birthdate answers the query; what FTS5 would add to it is other
    /// people whose name merely begins or shares grams with it, which are the weak candidates a
    /// page should not be flooded with.
    private func candidates(for query: SearchQuery, partialNames: Bool = true) throws(StoreError) -> (hits: [Ranked], truncated: Bool) {
        let (found, cut) = try StoreError.fromIndex { () throws(IndexError) in
            try index.persons(matching: lookups(for: query), limitEach: Budget.rowsPerLookup, budget: Budget.candidates)
        }
        var truncated = cut
        var hits = found.compactMap { person in scorer.score(query, person).map { Ranked(person: person, outcome: $0) } }
        guard partialNames, hits.count < Budget.ftsThreshold, !hits.contains(where: { $0.outcome.grade >= .likely }) else {
            return (hits, truncated)
        }
        var seen = Set(found.map { "\($0.caseID)#\($0.ordinal)" })
        var budget = Budget.ftsCandidates
        for stage in stages(for: query) where budget > 0 {
            let people = try StoreError.fromIndex { () throws(IndexError) in
                try index.candidates(matching: stage.expression, limit: budget, ranked: false)
            }
            budget -= people.count
            for person in people where seen.insert("\(person.caseID)#\(person.ordinal)").inserted {
                if let outcome = scorer.score(query, person) { hits.append(Ranked(person: person, outcome: outcome)) }
            }
        }
        return (hits, truncated || budget == 0)
    }

    /// The index terms a query piece may match.
    static func terms(for keys: NamePartKeys) -> [String] {
        var terms: [String] = []
        if let term = IndexTerms.term("kf", keys.canonical) { terms.append(term) }
        if let term = IndexTerms.term("kw", keys.canonical) { terms.append(term) }
        let length = keys.canonical.count
        if (1...2).contains(length), keys.script == .kanji || keys.script == .kana || keys.script == .mixed,
            let term = IndexTerms.term("kg", keys.canonical)
        {
            terms.append(term)
        }
        for reading in keys.readings {
            terms += [IndexTerms.term("rf", reading), IndexTerms.term("rw", reading)].compactMap { $0 }
            if (1...2).contains(reading.count), let term = IndexTerms.term("rp", reading) { terms.append(term) }
        }
        // The index keeps a loose reading as `rl` only where it differs from the strong one.
        for loose in keys.looseReadings {
            terms += [IndexTerms.term("rl", loose), IndexTerms.term("rf", loose)].compactMap { $0 }
        }
        return terms
    }

    /// Ranks cases whose guardian matches the query's guardian higher (or, for a query of a
    /// guardian alone, adds the guardians found). Returns whether the budget cut the guardians short.
    private func applyGuardians(_ query: SearchQuery, to ranked: inout [Ranked]) throws(StoreError) -> Bool {
        var guardianQuery = query
        guardianQuery.names = query.guardianNames
        guardianQuery.birthdate = nil
        guardianQuery.birthdateRange = nil
        guardianQuery.splits = []
        var matchedCases: [String: MatchReason] = [:]
        let found = try candidates(for: guardianQuery)
        for hit in found.hits where hit.person.role == .guardian {
            let (person, outcome) = (hit.person, hit.outcome)
            if scorer.nameMatch(guardianQuery.names, person).strength >= MatchScorer.PartMatch.looseReading {
                // A scored outcome always starts with a name reason; the guardian's name stands in
                // should it not.
                matchedCases[person.caseID] = outcome.why.first ?? .name(person.identity.displayName)
                if query.names.isEmpty { ranked.append(Ranked(person: person, outcome: outcome)) }
            }
        }
        for index in ranked.indices where ranked[index].person.role != .guardian {
            if let why = matchedCases[ranked[index].person.caseID] {
                ranked[index].outcome.score += 10
                ranked[index].outcome.why.append(.guardian(why))
            }
        }
        return found.truncated
    }

    /// The page the core disclosed of ranked candidates.
    private func result(_ people: [Ranked], _ truncated: Bool, _ disclosure: SearchDisclosure) -> SearchResult {
        SearchResult(total: disclosure.total, truncated: truncated, hits: disclosure.hits.map { hit(people, $0) })
    }

    private func hit(_ people: [Ranked], _ shown: SearchDisclosure.Hit) -> SearchHit {
        let ranked = people[shown.candidate]
        let access: SearchHit.Access = shown.full ? .full : .summary
        let (person, outcome) = (ranked.person, ranked.outcome)
        let identity = person.identity
        let kana = [identity.familyNameKana, identity.givenNameKana].compactMap { $0 }.joined(separator: " ")
        return SearchHit(
            caseID: person.caseID, externalID: access == .full ? person.externalID : nil,
            person: SearchHit.Person(
                role: person.role.rawValue, relation: person.relation,
                name: identity.displayName.isEmpty ? (identity.romaji ?? "") : identity.displayName,
                kana: kana.isEmpty ? nil : kana, birthdate: identity.birthdate?.iso, sex: identity.sex?.rawValue),
            authority: SearchHit.Authority(person.holder, store),
            status: person.status.rawValue, score: (outcome.score * 10).rounded() / 10, grade: outcome.grade, why: outcome.why,
            access: access, linked: shown.linked.map { hit(people, $0) })
    }

    /// The request as the audit log records it (its designated field for search terms).
    static func describe(_ request: SearchRequest) -> String {
        [
            ("q", request.q), ("name", request.name), ("kana", request.kana), ("birthdate", request.birthdate),
            ("birthdate_from", request.birthdateFrom), ("birthdate_to", request.birthdateTo), ("guardian", request.guardian),
            ("sex", request.sex), ("prefecture", request.prefecture),
        ]
        .compactMap { key, value in value.map { "\(key)=\(String($0.prefix(200)))" } }
        .joined(separator: " ")
    }
}
