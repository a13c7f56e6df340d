import Foundation
import HTTPServer
import Query
import Spreadsheet
import Store

/// Checking a list of children against the national index (居所不明児童の照会…): each row is
/// one search, audited as a search, answered with its best hits.
struct ListCheck {
    /// One row's answer: what was asked, and the result or why it could not be searched.
    struct Row: Encodable {
        let row: Int
        let reference: String?
        let total: Int?
        let hits: [SearchHit]?
        let error: String?
    }

    /// The best hits shown per row by default, and the most a caller may ask for.
    static let defaultHits = 3
    static let hitLimits = 1...20

    /// Runs the searches, 500 to an audit transaction.
    static func run(_ rows: [(row: Int, reference: String?, request: Result<SearchRequest, QueryError>)], engine: SearchEngine, actor: Actor)
        throws(StoreError) -> [Row]
    {
        var answers: [Row] = []
        var start = rows.startIndex
        while start < rows.endIndex {
            let chunk = rows[start..<min(start + 500, rows.endIndex)]
            var results = try engine.search(batch: chunk.compactMap { try? $0.request.get() }, as: actor).makeIterator()
            for item in chunk {
                let outcome: Result<SearchResult, QueryError>
                switch item.request {
                case .success: outcome = results.next() ?? .failure(QueryError("not searched"))
                case .failure(let error): outcome = .failure(error)
                }
                switch outcome {
                case .success(let result):
                    answers.append(Row(row: item.row, reference: item.reference, total: result.total, hits: result.hits, error: nil))
                case .failure(let error):
                    answers.append(Row(row: item.row, reference: item.reference, total: nil, hits: nil, error: error.description))
                }
            }
            start = chunk.endIndex
        }
        return answers
    }

    /// A list's rows as searches: name, reading, birthdate, sex (男/女 or male/female) and guardian.
    static func requests(_ list: ChildList, limit: Int) -> [(row: Int, reference: String?, request: Result<SearchRequest, QueryError>)] {
        list.entries.map { entry in
            let sex = entry.sex.map { Sex.labels.first(where: { $0.value == entry.sex })?.key.rawValue ?? $0 }
            let request = SearchRequest(
                name: entry.name, kana: entry.kana, birthdate: entry.birthdate, guardian: entry.guardian, sex: sex, limit: limit)
            return (entry.row, entry.reference, .success(request))
        }
    }

    /// The answers as a sheet (UTF-8 with a BOM): per row what was asked and the best hits with
    /// grade, holder and whom to call.
    static func csv(_ answers: [Row], list: ChildList?, hits: Int) -> [UInt8] {
        var headings = ["行", "番号", "氏名", "ふりがな", "生年月日", "該当件数", "照合できなかった理由"]
        for number in 1...hits {
            headings += ["候補\(number) 一致度", "候補\(number) 氏名", "候補\(number) 生年月日", "候補\(number) 保有機関", "候補\(number) 夜間・休日連絡先", "候補\(number) 記録ID"]
        }
        let asked = Dictionary(uniqueKeysWithValues: (list?.entries ?? []).map { ($0.row, $0) })
        var rows = [headings]
        for answer in answers {
            let entry = asked[answer.row]
            var row = [
                String(answer.row), answer.reference ?? "", entry?.name ?? "", entry?.kana ?? "", entry?.birthdate ?? "",
                answer.total.map(String.init) ?? "", answer.error ?? "",
            ]
            for index in 0..<hits {
                guard let hit = answer.hits?.dropFirst(index).first else {
                    row += Array(repeating: "", count: 6)
                    continue
                }
                let grade = ["exact": "一致", "likely": "ほぼ一致", "possible": "可能性あり"][hit.grade.rawValue] ?? hit.grade.rawValue
                row += [
                    grade, hit.person.name + (hit.person.role == "child" ? "" : "（\(hit.person.role == "guardian" ? "保護者" : "同居人")）"),
                    hit.person.birthdate ?? "", "\(hit.authority.name)（\(hit.authority.code)）", hit.authority.contacts.nightHoliday ?? "", hit.caseID,
                ]
            }
            rows.append(row)
        }
        return CaseSheetWriter.utf8Sheet(rows)
    }
}

extension WebApplication {
    /// POST /api/v1/search/batch: a list (CSV with 氏名, ふりがな, 生年月日, 性別, 保護者氏名, 番号;
    /// or JSON Lines of search requests) → one result per row, as JSON or, with
    /// `Accept: text/csv`, as a sheet. `?limit=` hits per row (1–20, default 3).
    func searchBatch(_ request: HTTPRequest, _ caller: Caller) -> HTTPResponse {
        respond {
            guard let engine else { throw Refusal(404, "Not found", "this server has no search index") }
            try request.requireType(["text/csv", "application/x-ndjson", "application/jsonl", "application/json-lines"])
            let limit = try request.integer("limit", in: ListCheck.hitLimits) ?? ListCheck.defaultHits
            var list: ChildList?
            let rows: [(row: Int, reference: String?, request: Result<SearchRequest, QueryError>)]
            if request.mediaType == "text/csv" {
                let encoding = try request.sheetEncoding()
                let read: ChildList
                do throws(EncodingProblem) { read = try ChildList(request.body, encoding: encoding) } catch {
                    throw Refusal(422, "Unreadable list", error.description)
                }
                guard read.issues.isEmpty else {
                    struct Problems: Encodable { let errors: [RowIssue] }
                    return .encoded(422, Problems(errors: read.issues))
                }
                list = read
                rows = ListCheck.requests(read, limit: limit)
            } else {
                rows = try Self.lineRequests(request.body, limit: limit)
            }
            let answers = try ListCheck.run(rows, engine: engine, actor: caller.actor)
            let accept = request.headers["accept"]?.lowercased() ?? ""
            if accept.contains("text/csv") {
                return HTTPResponse(
                    status: 200,
                    headers: [("Content-Type", "text/csv; charset=utf-8"), ("Content-Disposition", "attachment; filename=\"shougou-kekka.csv\"")]
                        + Self.privateDownload,
                    body: ListCheck.csv(answers, list: list, hits: limit))
            }
            struct Answer: Encodable { let results: [ListCheck.Row] }
            return .encoded(200, Answer(results: answers))
        }
    }

    /// JSON Lines of search requests, one per line (blank lines skipped), at most `ChildList.maxRows`.
    static func lineRequests(_ body: [UInt8], limit: Int) throws(Refusal) -> [(
        row: Int, reference: String?, request: Result<SearchRequest, QueryError>
    )] {
        var rows: [(row: Int, reference: String?, request: Result<SearchRequest, QueryError>)] = []
        for (index, line) in body.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated() {
            guard line.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }) else { continue }
            guard rows.count < ChildList.maxRows else { throw Refusal(413, "Too many rows", "a list holds at most \(ChildList.maxRows) rows") }
            do {
                var request = try JSONDecoder().decode(SearchRequest.self, from: Data(line))
                request.limit = min(request.limit ?? limit, ListCheck.hitLimits.upperBound)
                rows.append((index + 1, nil, .success(request)))
            } catch {
                rows.append((index + 1, nil, .failure(QueryError("line \(index + 1): not a search request"))))
            }
        }
        return rows
    }
}
