import ArgumentParser

/// Options every command shares.
struct DataOptions: ParsableArguments {
    @Option(name: .long, help: "The folder holding the store (catalogue and per-prefecture partitions).")
    var data: String = "./data"

    @Option(name: .long, help: "The dictionaries folder (authority directory, name lists). Found automatically in a checkout.")
    var dictionaries: String?
}
