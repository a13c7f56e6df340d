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

    /// Candidates read per ranked retrieval stage (best bm25 first).
    package static let candidateLimit = 200
    /// Candidates read per unranked stage (those only add `possible` hits to a page of 20).
    package static let unrankedCandidateLimit = 60

    /// - Parameter metrics: where the search stage timings go (none by default).
    package init(store: Store, index: SearchIndex, metrics: StoreMetrics = StoreMetrics()) {
        self.store = store
        self.index = index
        self.metrics = metrics
        parser = QueryParser(analyzer: index.analyzer, directory: store.directory)
        scorer = MatchScorer(analyzer: index.analyzer)
    }

    /// Runs one search for `actor` and records it in the audit log.
    package func search(_ request: SearchRequest, as actor: Actor) throws -> SearchResult {
        guard let outcome = try search(batch: [request], as: actor).first else { return SearchResult(total: 0, hits: []) }
        return try outcome.get()
    }

    /// Runs many searches for `actor`: each is parsed and ranked here, then filtered, paged
    /// and audited by the Store's core in one call (`Store.disclose`), the only path by which
    /// search results leave the Store's protection.
    package func search(batch requests: [SearchRequest], as actor: Actor) throws(StoreError) -> [Result<SearchResult, QueryError>] {
        var ranked: [Result<[Ranked], QueryError>] = []
        var disclosures: [SearchDisclosure.Request] = []
        for request in requests {
            let description = Self.describe(request)
            do {
                let query = try parser.parse(request)
                let people = try rank(query)
                ranked.append(.success(people))
                disclosures.append(
                    SearchDisclosure.Request(
                        description: description, candidates: people.map(\.candidate), offset: query.offset, limit: query.limit))
            } catch let error as QueryError {
                ranked.append(.failure(error))
                disclosures.append(SearchDisclosure.Request(description: description, candidates: [], refused: error.description))
            } catch let error as StoreError {
                throw error
            } catch {
                throw StoreError(.storage, "search failed: \(error)")
            }
        }
        let disclosed = try timed("disclosure") { () throws(StoreError) in try store.disclose(disclosures, to: actor) }
        return zip(ranked, disclosed).map { outcome, disclosure in
            outcome.map { people in result(people, disclosure) }
        }
    }

    /// Runs a parsed query as the service's own identity check (match alerts, measurement
    /// tools): the local administrator only, not audited as a search.
    package func check(_ query: SearchQuery, as actor: Actor) throws(StoreError) -> SearchResult {
        let people = try rank(query)
        let request = SearchDisclosure.Request(
            description: "", candidates: people.map(\.candidate), offset: query.offset, limit: query.limit)
        guard let disclosure = try store.disclose([request], to: actor, purpose: .serviceCheck).first else {
            return SearchResult(total: 0, hits: [])
        }
        return result(people, disclosure)
    }

    /// A person found and scored, before the core decides whether the caller may see it.
    private struct Ranked {
        let person: IndexedPerson
        var outcome: MatchScorer.Outcome

        var candidate: SearchDisclosure.Candidate {
            SearchDisclosure.Candidate(caseID: person.caseID, holder: person.holder, addressMunicipality: person.addressMunicipality)
        }
    }

    /// Retrieves and ranks the candidates of a parsed query, best first (not yet access-filtered).
    private func rank(_ query: SearchQuery) throws(StoreError) -> [Ranked] {
        var ranked: [Ranked] = []
        var seen = Set<String>()
        let variants = [query.names] + query.splits
        try timed("retrieval") { () throws(StoreError) in
            for names in variants where !names.isEmpty {
                var variantQuery = query
                variantQuery.names = names
                for person in try candidates(for: variantQuery) where seen.insert("\(person.caseID)#\(person.ordinal)").inserted {
                    if let prefecture = query.prefectureCode, person.prefectureCode != prefecture { continue }
                    if let outcome = scorer.score(variantQuery, person) { ranked.append(Ranked(person: person, outcome: outcome)) }
                }
            }
            if !query.guardianNames.isEmpty { try applyGuardians(query, to: &ranked) }
        }
        ranked.sort { $0.outcome.score != $1.outcome.score ? $0.outcome.score > $1.outcome.score : $0.person.caseID < $1.person.caseID }
        return ranked
    }

    /// A case's child as a search hit would show it, for an actor who may see its summary
    /// (the information request form shows what is being asked for); nil otherwise. Shown
    /// like a search hit, so disclosed and audited like one: the holder sees who looked it up.
    package func summary(ofCase caseID: String, as actor: Actor) throws(StoreError) -> SearchHit? {
        guard let person = try StoreError.fromIndex({ () throws(IndexError) in try index.child(ofCase: caseID) }) else { return nil }
        let ranked = Ranked(person: person, outcome: MatchScorer.Outcome(score: 0, grade: .possible, why: []))
        let request = SearchDisclosure.Request(description: "summary case=\(caseID)", candidates: [ranked.candidate])
        guard let shown = try store.disclose([request], to: actor).first?.hits.first else { return nil }
        return hit(ranked, shown)
    }

    /// Runs `body`, recording its time as a search stage.
    private func timed<T>(_ stage: String, _ body: () throws(StoreError) -> T) throws(StoreError) -> T {
        let start = DispatchTime.now().uptimeNanoseconds
        defer { metrics.searchStage(stage).recordNanoseconds(Int64(DispatchTime.now().uptimeNanoseconds - start)) }
        return try body()
    }

    /// One FTS5 query of a search.
    package struct Stage: Sendable {
        package var expression: FTSExpression
        /// Best bm25 first (scores every match) rather than the first found (stops at the limit).
        package var ranked: Bool
        /// A narrow stage that never ends the search by itself.
        package var precise: Bool

        package var limit: Int { ranked ? SearchEngine.candidateLimit : SearchEngine.unrankedCandidateLimit }
    }

    /// The FTS5 queries a search runs, in order. With a birthdate: every name piece matching
    /// with the birthdate as precise as given; then with a birthdate that fits but was
    /// recorded less precisely or not at all (both narrow, ranked); then — the first found —
    /// the same birth year (a mistyped day), any piece matching, every piece whatever the
    /// birthdate (a mistyped year). Those later stages only add `possible` hits, so they do not
    /// score every namesake, which would grow with the index. Without a birthdate: every piece,
    /// then any piece, ranked.
    package func stages(for query: SearchQuery) -> [Stage] {
        let pieces = query.names.compactMap { FTSExpression.any(Self.terms(for: $0.keys)) }
        guard let all = FTSExpression.all(pieces) else { return [] }
        let any = pieces.count > 1 ? FTSExpression.either(pieces) : nil
        guard let date = query.birthdate else {
            return [Stage(expression: all, ranked: true, precise: false)]
                + [any].compactMap { $0 }.map { Stage(expression: $0, ranked: true, precise: false) }
        }
        let year = FTSExpression.term("by\(date.year)")
        let precise = FTSExpression.term(IndexTerms.dateTerms(date).last!)
        var fitting = [FTSExpression.term("bu")]
        if date.month != nil { fitting.append(FTSExpression.all([year, .term("bq1")])!) }
        if let month = date.month, date.day != nil {
            fitting.append(FTSExpression.all([.term(IndexTerms.monthTerm(date.year, month)), .term("bq2")])!)
        }
        var stages = [
            Stage(expression: FTSExpression.all([all, precise])!, ranked: true, precise: true),
            Stage(expression: FTSExpression.all([all, FTSExpression.either(fitting)!])!, ranked: true, precise: true),
        ]
        if date.month != nil { stages.append(Stage(expression: FTSExpression.all([all, year])!, ranked: false, precise: false)) }
        if let any { stages.append(Stage(expression: FTSExpression.all([any, year])!, ranked: false, precise: false)) }
        stages.append(Stage(expression: all, ranked: false, precise: false))
        return stages
    }

    /// Whether a search stops after `stage`, having found `found` candidates.
    package static func stops(after stage: Stage, found: Int, query: SearchQuery) -> Bool {
        !stage.precise && found >= query.limit + query.offset
    }

    /// Candidates from the stages, until enough are found.
    private func candidates(for query: SearchQuery) throws(StoreError) -> [IndexedPerson] {
        var found: [IndexedPerson] = []
        var seen = Set<String>()
        for stage in stages(for: query) {
            let people = try StoreError.fromIndex { () throws(IndexError) in
                try index.candidates(matching: stage.expression, limit: stage.limit, ranked: stage.ranked)
            }
            for person in people where seen.insert("\(person.caseID)#\(person.ordinal)").inserted {
                found.append(person)
            }
            if Self.stops(after: stage, found: found.count, query: query) { break }
        }
        return found
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

    private func applyGuardians(_ query: SearchQuery, to ranked: inout [Ranked]) throws(StoreError) {
        var guardianQuery = query
        guardianQuery.names = query.guardianNames
        guardianQuery.birthdate = nil
        guardianQuery.birthdateRange = nil
        guardianQuery.splits = []
        var matchedCases: [String: MatchReason] = [:]
        for person in try candidates(for: guardianQuery) where person.role == .guardian {
            if let outcome = scorer.score(guardianQuery, person),
                scorer.nameMatch(guardianQuery.names, person).strength >= MatchScorer.PartMatch.looseReading
            {
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
    }

    /// The page the core disclosed of ranked candidates.
    private func result(_ people: [Ranked], _ disclosure: SearchDisclosure) -> SearchResult {
        SearchResult(total: disclosure.total, hits: disclosure.hits.map { hit(people[$0.candidate], $0) })
    }

    private func hit(_ ranked: Ranked, _ shown: SearchDisclosure.Hit) -> SearchHit {
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
            access: access)
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
