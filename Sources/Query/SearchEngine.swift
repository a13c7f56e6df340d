package import Indexer
package import Store

/// The nationwide search: parses a request, retrieves candidates from the index across all
/// prefectures, ranks them, keeps only what the caller may see, and audits the search.
package final class SearchEngine: Sendable {
    package let store: Store
    package let index: SearchIndex
    package let parser: QueryParser
    private let scorer: MatchScorer

    /// Candidates read per retrieval stage (best bm25 first).
    package static let candidateLimit = 200

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
                audit.append(SearchAudit(request: Self.describe(request), caseIDs: result.hits.map(\.caseID)))
            } catch let error as QueryError {
                outcomes.append(.failure(error))
                audit.append(SearchAudit(request: Self.describe(request), caseIDs: [], refused: error.description))
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
        for (person, outcome) in ranked {
            let capabilities = store.policy.capabilities(of: actor, onCaseHeldBy: person.holder)
            guard capabilities.contains(.seeSummary) else { continue }
            hits.append(hit(person, outcome, access: capabilities.contains(.readRecord) ? .full : .summary))
        }
        let page = hits.dropFirst(query.offset).prefix(query.limit)
        return SearchResult(total: hits.count, hits: Array(page))
    }

    /// The FTS5 queries a search runs, in order: every name piece matching with the birthdate
    /// as precise as given (so a common name is narrowed to the right day inside the index,
    /// not among bm25's best), then with the birth year fitting or unknown, then any piece
    /// matching, then — when a birthdate was given — every piece whatever the birthdate, so
    /// that a record with a mistyped birthdate is still found.
    package func stages(for query: SearchQuery) -> [FTSExpression] {
        let pieces = query.names.compactMap { FTSExpression.any(Self.terms(for: $0.keys)) }
        guard let all = FTSExpression.all(pieces) else { return [] }
        let year = query.birthdate.map { FTSExpression.any(["by\($0.year)", "bu"])! }
        var stages: [FTSExpression] = []
        if let birthdate = query.birthdate, birthdate.month != nil, let precise = IndexTerms.dateTerms(birthdate).last {
            stages.append(FTSExpression.all([all, .term(precise)])!)
        }
        stages.append(FTSExpression.all([all] + [year].compactMap { $0 })!)
        if pieces.count > 1, let any = FTSExpression.either(pieces) {
            stages.append(FTSExpression.all([any] + [year].compactMap { $0 })!)
        }
        if year != nil { stages.append(all) }
        return stages
    }

    /// Candidates from the stages, until enough are found (the precise-birthdate stage never
    /// stops the search by itself: records with an unknown birthdate come after it).
    private func candidates(for query: SearchQuery) throws(StoreError) -> [IndexedPerson] {
        var found: [IndexedPerson] = []
        var seen = Set<String>()
        let stages = stages(for: query)
        let precise = stages.count > 1 && query.birthdate?.month != nil
        for (number, stage) in stages.enumerated() {
            for person in try index.candidates(matching: stage, limit: Self.candidateLimit)
            where seen.insert("\(person.caseID)#\(person.ordinal)").inserted {
                found.append(person)
            }
            if !(precise && number == 0), found.count >= query.limit + query.offset { break }
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
        var matchedCases: [String: String] = [:]
        for person in try candidates(for: guardianQuery) where person.role == .guardian {
            if let outcome = scorer.score(guardianQuery, person), scorer.nameMatch(guardianQuery.names, person).strength >= MatchScorer.PartMatch.looseReading {
                matchedCases[person.caseID] = outcome.why.first ?? person.identity.displayName
                if query.names.isEmpty { ranked.append((person, outcome)) }
            }
        }
        for index in ranked.indices where ranked[index].person.role != .guardian {
            if let why = matchedCases[ranked[index].person.caseID] {
                ranked[index].outcome.score += 10
                ranked[index].outcome.why.append("guardian \(why)")
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
