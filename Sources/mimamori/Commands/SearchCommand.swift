import ArgumentParser
import Foundation
import Glibc
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
            if let night = hit.authority.contacts.nightHoliday { print("   night/holiday: \(night)") }
            print("   why: \(hit.why.map(\.description).joined(separator: "; "))")
        }
    }

    /// Answers each line as soon as it is read, so that another program can write one query
    /// and wait for its answer (a coprocess). Lines that have already arrived together (a file
    /// piped in) are searched as one batch, sharing one audit transaction, up to 500 at a time.
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
            fflush(nil)  // every output stream: the answers reach the reader now
            requests.removeAll()
        }
        var input = StandardInputLines()
        while let line = input.next() {
            lineNumber += 1
            if !line.trimmingCharacters(in: .whitespaces).isEmpty {
                do {
                    var request = try JSONDecoder().decode(SearchRequest.self, from: Data(line.utf8))
                    request.limit = request.limit ?? limit
                    requests.append(.success(request))
                } catch {
                    requests.append(.failure(QueryError("line \(lineNumber): not a search request: \(error)")))
                }
            }
            if requests.count >= 500 || (!requests.isEmpty && !input.hasMoreReady) { try flush() }
        }
        try flush()
    }

    static func encode(_ result: SearchResult) throws -> String {
        String(decoding: result.json, as: UTF8.self)
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

/// Standard input, line by line, that can tell whether another line is ready without waiting.
/// Written by hand because `readLine` and `FileHandle` buffer input they do not expose: a batch
/// must be answered before blocking on the next line, yet lines that arrived together should
/// share one audit transaction.
struct StandardInputLines {
    private var buffer: [UInt8] = []
    private var ended = false

    /// The next line without its line break (a final line without one too); nil at the end.
    mutating func next() -> String? {
        while true {
            if let newline = buffer.firstIndex(of: 0x0A) {
                var line = buffer[..<newline]
                if line.last == 0x0D { line = line.dropLast() }
                defer { buffer.removeSubrange(...newline) }
                return String(decoding: line, as: UTF8.self)
            }
            if ended {
                guard !buffer.isEmpty else { return nil }
                defer { buffer.removeAll() }
                return String(decoding: buffer, as: UTF8.self)
            }
            readMore()
        }
    }

    /// Whether a whole line can be returned without waiting for the writer.
    var hasMoreReady: Bool {
        mutating get {
            if buffer.contains(0x0A) || ended { return true }
            var poll = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
            guard Glibc.poll(&poll, 1, 0) == 1 else { return false }
            readMore()
            return buffer.contains(0x0A) || ended
        }
    }

    private mutating func readMore() {
        var chunk = [UInt8](repeating: 0, count: 65_536)
        let count = chunk.withUnsafeMutableBytes { read(STDIN_FILENO, $0.baseAddress, $0.count) }
        if count > 0 {
            buffer += chunk[..<count]
        } else if count == 0 || errno != EINTR {
            ended = true
        }
    }
}
