import ArgumentParser
import DemoData
import Store

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `mimamori demo-data`: writes a deterministic synthetic dataset in the JSON Lines import format.
struct DemoDataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo-data",
        abstract: "Write a realistic synthetic dataset (JSON Lines, the import format).",
        discussion: """
            The same --seed and dictionaries always give the same records, byte for byte; the first N \
            records do not depend on --records. Ages are counted at the dataset's fixed date, 2026-04-01.
            """
    )

    @OptionGroup var options: DataOptions

    @Option(name: .long, help: "How many case records to write (0 or more).")
    var records: Int = 1000

    @Option(name: .long, help: "The seed; each seed gives its own dataset.")
    var seed: UInt64 = 1

    @Option(
        name: .long, help: "The file to write (written as FILE.tmp, then renamed), or - for standard output.",
        completion: .file(extensions: ["jsonl"]))
    var output: String = "-"

    func validate() throws {
        guard records >= 0 else {
            throw ValidationError("--records must be 0 or more, not \(records)")
        }
        guard !output.isEmpty else {
            throw ValidationError("--output needs a file name, or - for standard output")
        }
    }

    func run() throws {
        let dictionaries = try DictionaryDirectory.locate(explicit: options.dictionaries)
        var generator = try DemoDataGenerator(dictionaries: dictionaries, seed: seed)
        let writer = try DemoDataWriter(path: output)
        let showProgress = isatty(STDERR_FILENO) != 0
        let step = max(1, min(10_000, records / 100))
        for index in 0..<records {
            try writer.write(line: generator.next().jsonLine)
            if showProgress && (index + 1) % step == 0 {
                progress("\rdemo-data: \(index + 1) of \(records) records")
            }
        }
        try writer.finish()
        if showProgress {
            progress("\rdemo-data: \(records) records written\(output == "-" ? "" : " to \(output)")\n")
        }
    }

    /// Writes `text` to standard error unbuffered (only called when it is a terminal).
    private func progress(_ text: String) {
        var text = text
        text.withUTF8 { bytes in _ = write(STDERR_FILENO, bytes.baseAddress, bytes.count) }
    }
}
