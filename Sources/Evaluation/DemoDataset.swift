import DemoData
import Foundation
import Store

/// Writes demo records to a JSON Lines file, keeping the truth of the first ones in memory.
enum DemoDataset {
    /// Generates records until `enough` says so, writes them to `file`, and returns the first
    /// `keep` cases (their truth) and how many were written.
    static func write(
        to file: URL, dictionaries: URL, seed: UInt64, keep: Int, until enough: (_ records: Int, _ persons: Int) -> Bool
    ) throws -> (cases: [DemoCase], records: Int) {
        var generator = try DemoDataGenerator(dictionaries: dictionaries, seed: seed)
        guard FileManager.default.createFile(atPath: file.path, contents: nil) else {
            throw StoreError(.configuration, "cannot create \(file.path)")
        }
        let handle = try FileHandle(forWritingTo: file)
        var cases: [DemoCase] = []
        var buffer = Data()
        var persons = 0
        while !enough(generator.generated, persons) {
            let demo = generator.next()
            persons += demo.people.count
            if cases.count < keep { cases.append(demo) }
            buffer.append(contentsOf: Array((demo.jsonLine + "\n").utf8))
            if buffer.count > 1 << 22 {
                handle.write(buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        handle.write(buffer)
        try handle.close()
        return (cases, generator.generated)
    }
}
