import DemoData
import Foundation
import MimamoriTesting
import Testing

struct DemoDataWriterTests {
    @Test("a file is written under FILE.tmp and appears under its name only when finished")
    func atomicFile() throws {
        let folder = TemporaryDirectory("demo-writer")
        let target = folder.file("cases.jsonl")
        let writer = try DemoDataWriter(path: target.path)
        for index in 0..<50_000 { try writer.write(line: "{\"n\":\(index)}") }
        #expect(!FileManager.default.fileExists(atPath: target.path))
        #expect(FileManager.default.fileExists(atPath: target.path + ".tmp"))
        try writer.finish()
        #expect(!FileManager.default.fileExists(atPath: target.path + ".tmp"))
        let lines = try String(contentsOf: target, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 50_001)
        #expect(lines[49_999] == "{\"n\":49999}")
        #expect(lines.last == "")
    }

    @Test("a writer dropped before finishing leaves nothing behind")
    func abandoned() throws {
        let folder = TemporaryDirectory("demo-writer")
        let target = folder.file("cases.jsonl")
        do {
            let writer = try DemoDataWriter(path: target.path)
            try writer.write(line: "{}")
        }
        #expect(!FileManager.default.fileExists(atPath: target.path))
        #expect(!FileManager.default.fileExists(atPath: target.path + ".tmp"))
    }

    @Test("an unwritable folder is a clear error")
    func unwritable() {
        let error = #expect(throws: DemoDataError.self) {
            try DemoDataWriter(path: "/nonexistent-folder/cases.jsonl")
        }
        #expect(error?.description.contains("/nonexistent-folder/cases.jsonl.tmp") == true)
    }
}
