import ArgumentParser
import Foundation
import Query
import Store

struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Search every prefecture for prior history by name, reading, romaji and birthdate.",
        discussion: """
            QUERY is what an intake worker would type: 山田 太郎 H30.4.1, やまだ たろう 2018, Yamada Taro,
            山田 花子 母. With --batch, standard input holds one JSON request per line ({"q": "..."} or the
            structured fields name, kana, birthdate, birthdate_from, birthdate_to, guardian, sex, prefecture,
            limit, offset) and standard output gets one JSON result per line, in the HTTP API's shape.
            Every search is audited.
            """
    )

    @OptionGroup var options: DataOptions

    @Option(name: .customLong("as"), help: "Act for this authority (its access rules apply). Without it: the local administrator.")
    var authority: String?

    @Option(help: "At most this many hits.") var limit = 20

    @Flag(help: "Read JSON requests from standard input, one per line; write JSON results.") var batch = false

    @Flag(help: "Print the result as JSON.") var json = false

    @Argument(help: "The search text.") var query: [String] = []

    func validate() throws {
        if batch, !query.isEmpty { throw ValidationError("--batch reads queries from standard input: give no QUERY") }
        if !batch, query.isEmpty { throw ValidationError("give a QUERY, e.g. mimamori search 山田 太郎 H30.4.1") }
    }

    func run() throws {
        let engine = try options.openSearch()
        let actor: Actor
        if let authority {
            guard engine.store.directory[authority] != nil else {
                throw ValidationError(engine.store.directory.unknownCodeMessage(authority))
            }
            actor = .user(login: "cli", authority: authority, role: .worker)
        } else {
            actor = .localAdministrator
        }
        if batch { return try runBatch(engine, actor) }
        let request = SearchRequest(q: query.joined(separator: " "), limit: limit)
        let result: SearchResult
        do { result = try engine.search(request, as: actor) } catch let error as QueryError {
            printError("error: \(error)")
            throw ExitStatus.invalidData
        }
        if json {
            print(try Self.encode(result))
            return
        }
        print("\(result.total) hit\(result.total == 1 ? "" : "s")")
        for (rank, hit) in result.hits.enumerated() {
            let person = hit.person
            let details = [person.kana.map { "(\($0))" }, person.birthdate, person.sex, person.role].compactMap { $0 }
            print("\(rank + 1). [\(hit.grade.rawValue)] \(hit.score)  \(person.name) \(details.joined(separator: " "))")
            print(
                "   \(hit.authority.name) (\(hit.authority.code))\(hit.authority.contact.map { " \($0)" } ?? "")  \(hit.status)  case \(hit.caseID)  access: \(hit.access.rawValue)"
            )
            print("   why: \(hit.why.map(\.description).joined(separator: "; "))")
        }
    }

    private func runBatch(_ engine: SearchEngine, _ actor: Actor) throws {
        var requests: [Result<SearchRequest, QueryError>] = []
        var lineNumber = 0
        func flush() throws {
            let valid = requests.compactMap { try? $0.get() }
            var answers = try engine.search(batch: valid, as: actor).makeIterator()
            for request in requests {
                switch request {
                case .success: print(try Self.encode(answers.next()!))
                case .failure(let error): print(try Self.encode(Result<SearchResult, QueryError>.failure(error)))
                }
            }
            requests.removeAll()
        }
        while let line = readLine(strippingNewline: true) {
            lineNumber += 1
            guard !line.trimmingCharacters(in: .whitespaces).isEmpty else { continue }
            do {
                var request = try JSONDecoder().decode(SearchRequest.self, from: Data(line.utf8))
                request.limit = request.limit ?? limit
                requests.append(.success(request))
            } catch {
                requests.append(.failure(QueryError("line \(lineNumber): not a search request: \(error)")))
            }
            if requests.count >= 500 { try flush() }
        }
        try flush()
    }

    static func encode(_ result: SearchResult) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(result), as: UTF8.self)
    }

    static func encode(_ outcome: Result<SearchResult, QueryError>) throws -> String {
        switch outcome {
        case .success(let result): return try encode(result)
        case .failure(let error):
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            return String(decoding: try encoder.encode(["error": error.description]), as: UTF8.self)
        }
    }
}
