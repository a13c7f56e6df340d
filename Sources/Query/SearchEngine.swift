package import Indexer
package import Store

/// The nationwide search: parses a request, retrieves candidates from the index across all
/// prefectures, ranks them, keeps only what the caller may see, and audits the search.
package final class SearchEngine: Sendable {
    package let store: Store
    package let index: SearchIndex
    package let parser: QueryParser
    private let scorer: MatchScorer

    /// Candidates read per ranked retrieval stage (best bm25 first).
    package static let candidateLimit = 200
    /// Candidates read per unranked stage (those only add `possible` hits to a page of 20).
    package static let unrankedCandidateLimit = 60

    package init(store: Store, index: SearchIndex) {
        self.store = store
        self.index = index
        parser = QueryParser(analyzer: index.analyzer, directory: store.directory)
        scorer = MatchScorer(analyzer: index.analyzer)
    }

    /// Runs one search for `actor` and records it in the audit log.
    package func search(_ request: SearchRequest, as actor: Actor) throws -> SearchResult {
        guard let outcome = try search(batch: [request], as: actor).first else { return SearchResult(total: 0, hits: []) }
        return try outcome.get()
    }

    /// Runs many searches for `actor`; every one is audited (in one transaction).
    package func search(batch requests: [SearchRequest], as actor: Actor) throws(StoreError) -> [Result<SearchResult, QueryError>] {
        var outcomes: [Result<SearchResult, QueryError>] = []
        var audit: [SearchAudit] = []
        for request in requests {
            do {
                let result = try execute(try parser.parse(request), as: actor)
                outcomes.append(.success(result))
                audit.append(SearchAudit(request: Self.describe(request), cases: result.hits.map { ($0.caseID, $0.authority.code) }))
            } catch let error as QueryError {
                outcomes.append(.failure(error))
                audit.append(SearchAudit(request: Self.describe(request), cases: [], refused: error.description))
            } catch let error as StoreError {
                throw error
            } catch {
                throw StoreError(.storage, "search failed: \(error)")
            }
        }
        try store.auditSearches(audit, actor: actor)
        return outcomes
    }

    /// Retrieves, ranks and access-filters the hits of a parsed query. Not audited: callers
    /// outside measurement tools use `search`.
    package func execute(_ query: SearchQuery, as actor: Actor) throws(StoreError) -> SearchResult {
        var ranked: [(person: IndexedPerson, outcome: MatchScorer.Outcome)] = []
        var seen = Set<String>()
        let variants = [query.names] + query.splits
        for names in variants where !names.isEmpty {
            var variantQuery = query
            variantQuery.names = names
            for person in try candidates(for: variantQuery) where seen.insert("\(person.caseID)#\(person.ordinal)").inserted {
                if let prefecture = query.prefectureCode, person.prefectureCode != prefecture { continue }
                if let outcome = scorer.score(variantQuery, person) { ranked.append((person, outcome)) }
            }
        }
        if !query.guardianNames.isEmpty { try applyGuardians(query, to: &ranked) }
        ranked.sort { $0.outcome.score != $1.outcome.score ? $0.outcome.score > $1.outcome.score : $0.person.caseID < $1.person.caseID }

        var hits: [SearchHit] = []
        let facts = try store.accessFacts(of: ranked.map { ($0.person.caseID, $0.person.holder, $0.person.addressMunicipality) })
        for (person, outcome) in ranked {
            guard let facts = facts[person.caseID] else { continue }
            let capabilities = store.policy.capabilities(of: actor, on: facts)
            guard capabilities.contains(.seeSummary) else { continue }
            hits.append(hit(person, outcome, access: capabilities.contains(.readRecord) ? .full : .summary))
        }
        let page = hits.dropFirst(query.offset).prefix(query.limit)
        return SearchResult(total: hits.count, hits: Array(page))
    }

    /// A case's child as a search hit would show it, for an actor who may see its summary
    /// (the information request form shows what is being asked for); nil otherwise.
    package func summary(ofCase caseID: String, as actor: Actor) throws(StoreError) -> SearchHit? {
        guard let person = try index.child(ofCase: caseID),
            let facts = try store.accessFacts(of: [(person.caseID, person.holder, person.addressMunicipality)])[caseID]
        else { return nil }
        let capabilities = store.policy.capabilities(of: actor, on: facts)
        guard capabilities.contains(.seeSummary) else { return nil }
        // Shown like a search hit, so audited like one: the holder sees who looked it up.
        try store.auditSearches([SearchAudit(request: "summary case=\(caseID)", cases: [(caseID, person.holder)])], actor: actor)
        return hit(person, MatchScorer.Outcome(score: 0, grade: .possible, why: []), access: capabilities.contains(.readRecord) ? .full : .summary)
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
            for person in try index.candidates(matching: stage.expression, limit: stage.limit, ranked: stage.ranked)
            where seen.insert("\(person.caseID)#\(person.ordinal)").inserted {
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

    private func applyGuardians(_ query: SearchQuery, to ranked: inout [(person: IndexedPerson, outcome: MatchScorer.Outcome)]) throws(StoreError) {
        var guardianQuery = query
        guardianQuery.names = query.guardianNames
        guardianQuery.birthdate = nil
        guardianQuery.birthdateRange = nil
        guardianQuery.splits = []
        var matchedCases: [String: MatchReason] = [:]
        for person in try candidates(for: guardianQuery) where person.role == .guardian {
            if let outcome = scorer.score(guardianQuery, person), scorer.nameMatch(guardianQuery.names, person).strength >= MatchScorer.PartMatch.looseReading {
                // A scored outcome always starts with a name reason; the guardian's name stands in
                // should it not.
                matchedCases[person.caseID] = outcome.why.first ?? .name(person.identity.displayName)
                if query.names.isEmpty { ranked.append((person, outcome)) }
            }
        }
        for index in ranked.indices where ranked[index].person.role != .guardian {
            if let why = matchedCases[ranked[index].person.caseID] {
                ranked[index].outcome.score += 10
                ranked[index].outcome.why.append(.guardian(why))
            }
        }
    }

    private func hit(_ person: IndexedPerson, _ outcome: MatchScorer.Outcome, access: SearchHit.Access) -> SearchHit {
        let identity = person.identity
        let holder = store.directory[person.holder]
        let kana = [identity.familyNameKana, identity.givenNameKana].compactMap { $0 }.joined(separator: " ")
        return SearchHit(
            caseID: person.caseID, externalID: person.externalID,
            person: SearchHit.Person(
                role: person.role.rawValue, relation: person.relation, name: identity.displayName.isEmpty ? (identity.romaji ?? "") : identity.displayName,
                kana: kana.isEmpty ? nil : kana, birthdate: identity.birthdate?.iso, sex: identity.sex?.rawValue),
            authority: SearchHit.Authority(code: person.holder, name: holder?.name ?? person.holder, contact: holder?.contact),
            status: person.status.rawValue, score: (outcome.score * 10).rounded() / 10, grade: outcome.grade, why: outcome.why,
            access: access)
    }

    /// The request as the audit log records it (its designated field for search terms).
    static func describe(_ request: SearchRequest) -> String {
        [("q", request.q), ("name", request.name), ("kana", request.kana), ("birthdate", request.birthdate),
         ("birthdate_from", request.birthdateFrom), ("birthdate_to", request.birthdateTo), ("guardian", request.guardian),
         ("sex", request.sex), ("prefecture", request.prefecture)]
            .compactMap { key, value in value.map { "\(key)=\(String($0.prefix(200)))" } }
            .joined(separator: " ")
    }
}
