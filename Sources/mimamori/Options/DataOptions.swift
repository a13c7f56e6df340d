import ArgumentParser
import Foundation
import Store

/// Options every command shares.
struct DataOptions: ParsableArguments {
    @Option(name: .long, help: "The folder holding the store (catalogue and per-prefecture partitions).")
    var data: String = "./data"

    @Option(name: .long, help: "The dictionaries folder (authority directory, name lists). Found automatically in a checkout.")
    var dictionaries: String?

    @Option(
        help: ArgumentHelp(
            "The key that seals the TOTP and webhook secrets in the catalogue (32 bytes as hex, mode 0600, created on first use); keep it outside the data folder and back it up separately. Default: <data>.key beside the data folder",
            valueName: "file"))
    var secretsKey: String?

    /// The secrets key file of the store in `folder` (`--secrets-key`, else `<folder>.key`).
    func secretsKeyFile(for folder: URL) -> URL {
        secretsKey.map { URL(fileURLWithPath: $0) } ?? SecretsKey.defaultFile(for: folder)
    }
}
