import ArgumentParser
import Evaluation
import Foundation
import Store

struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Measure search quality on a demo dataset with known truth (recall@1, recall@10, MRR per variation class).",
        discussion: "Builds its own store in a temporary folder; --data is not touched."
    )

    @OptionGroup var options: DataOptions
    @Option(help: "Demo records to generate.") var records = 100_000
    @Option(help: "The seed of the dataset and the queries.") var seed: UInt64 = 11
    @Option(help: "Queries per variation class.") var queriesPerClass = 300

    func run() throws {
        let evaluation = SearchEvaluation(
            records: records, seed: seed, queriesPerClass: queriesPerClass,
            dictionaries: try DictionaryDirectory.locate(explicit: options.dictionaries))
        let report = try withTemporaryFolder("eval") { folder in try evaluation.run(in: folder) { printError($0) } }
        print(report.text)
    }
}
