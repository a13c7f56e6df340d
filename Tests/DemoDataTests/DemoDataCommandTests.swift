import Foundation
import MimamoriTesting
import Testing

/// `mimamori demo-data`, run as a user would run it.
struct DemoDataCommandTests {
    @Test("two runs print byte-identical records (no per-process hashing leaks in)")
    func deterministicAcrossProcesses() throws {
        let first = try CommandRun.mimamori(["demo-data", "--records", "300", "--seed", "9"])
        let second = try CommandRun.mimamori(["demo-data", "--records", "300", "--seed", "9"])
        #expect(first.status == 0, "\(first.standardError)")
        #expect(first.standardOutput == second.standardOutput)
        #expect(first.standardOutput.split(separator: "\n").count == 300)
        #expect(first.standardError.isEmpty)  // no progress on a pipe
    }

    @Test("--output writes the file; the same records as on standard output")
    func outputFile() throws {
        let folder = TemporaryDirectory("demo-cli")
        let target = folder.file("demo.jsonl")
        let toFile = try CommandRun.mimamori(["demo-data", "--records", "120", "--output", target.path])
        let toStandardOutput = try CommandRun.mimamori(["demo-data", "--records", "120"])
        #expect(toFile.status == 0, "\(toFile.standardError)")
        #expect(try String(contentsOf: target, encoding: .utf8) == toStandardOutput.standardOutput)
        #expect(!FileManager.default.fileExists(atPath: target.path + ".tmp"))
    }

    @Test("zero records is an empty dataset")
    func zeroRecords() throws {
        let run = try CommandRun.mimamori(["demo-data", "--records", "0"])
        #expect(run.status == 0)
        #expect(run.standardOutput.isEmpty)
    }

    @Test("a negative record count is a usage error (exit 64)")
    func negativeRecords() throws {
        let run = try CommandRun.mimamori(["demo-data", "--records=-5"])
        #expect(run.status == 64)
        #expect(run.standardError.contains("--records must be 0 or more"))
    }

    @Test("a dictionaries folder without the files is an error naming the folder")
    func badDictionaries() throws {
        let folder = TemporaryDirectory("demo-cli")
        let run = try CommandRun.mimamori(
            ["demo-data", "--records", "1", "--dictionaries", folder.url.path],
            environment: ["MIMAMORI_DICTIONARIES": folder.url.path])
        #expect(run.status != 0)
        #expect(run.standardError.contains(folder.url.path))
    }
}
