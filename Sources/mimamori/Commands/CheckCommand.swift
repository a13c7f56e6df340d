import ArgumentParser
import Store

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check the integrity of every database file of the store (after a crash, before a backup)."
    )

    @OptionGroup var options: DataOptions

    func run() throws {
        let store = try options.openStore()
        let problems = try store.maintenance.integrityProblems()
        let counts = try store.cases.countsByPrefecture()
        print("\(counts.values.reduce(0, +)) cases in \(counts.count) partitions")
        guard problems.isEmpty else {
            for (file, problem) in problems.sorted(by: { $0.key < $1.key }) { printError("\(file): \(problem)") }
            throw ExitStatus.storeFailure
        }
        print("ok")
    }
}
