import Foundation
import MimamoriTesting
import Testing

/// `mimamori search --batch` as another program drives it.
struct SearchCommandTests {
    @Test("search --batch answers each line before the next is written, so a program can drive it as a coprocess; piped lines share a batch")
    func batchAsCoprocess() throws {
        let folder = TemporaryDirectory("mimamori-search-batch")
        let data = folder.url.appendingPathComponent("data").path
        let file = folder.url.appendingPathComponent("records.jsonl").path
        #expect(try CommandRun.mimamori(["demo-data", "--records", "50", "--seed", "3", "--output", file]).status == 0)
        #expect(try CommandRun.mimamori(["import", "--data", data, file]).status == 0)

        let search = try CommandRun.start(["search", "--data", data, "--batch"], input: true)
        defer {
            search.closeInput()
            _ = CommandRun.finish(search)
        }
        for query in [#"{"q": "山田"}"#, "not json", #"{"name": "佐藤", "limit": 3}"#] {
            search.write(query + "\n")
            let answer = try #require(search.readLine(timeout: 30), "no answer to \(query) while the input stays open")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(answer.utf8)) as? [String: Any])
            #expect(query == "not json" ? object["error"] != nil : object["hits"] != nil, "\(answer.prefix(200))")
        }
        // Lines written together are all answered, in order.
        search.write(String(repeating: #"{"q": "たなか"}"# + "\n", count: 20))
        for n in 1...20 { #expect(search.readLine(timeout: 30) != nil, "answer \(n) of 20") }
    }
}
