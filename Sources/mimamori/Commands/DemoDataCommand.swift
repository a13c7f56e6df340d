import ArgumentParser

struct DemoDataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo-data",
        abstract: "Write a realistic synthetic dataset (JSON Lines, the import format)."
    )

    @OptionGroup var options: DataOptions

    func run() throws {}
}
