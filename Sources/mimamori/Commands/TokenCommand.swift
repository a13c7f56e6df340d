import ArgumentParser
import Store

struct TokenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Create and revoke API bearer tokens (the local administrator's access; audited).",
        subcommands: [Create.self, Revoke.self]
    )

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a token for a user; it is printed once.")
        @OptionGroup var options: DataOptions
        @Option(help: "The user the token acts for.") var login: String
        @Option(help: "Days until it expires (1–366).") var days = 90
        @Option(help: "What the token is for.") var label = "api"

        func run() throws {
            let (token, info) = try options.openStore().tokens.create(for: login, label: label, days: days, as: .localAdministrator)
            print("Token \(info.id) for \(info.login), expires \(info.expiresAt). Shown once:")
            print(token)
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a token at once.")
        @OptionGroup var options: DataOptions
        @Argument(help: "The token's id.") var id: Int

        func run() throws {
            try options.openStore().tokens.revoke(id, as: .localAdministrator)
            print("Revoked token \(id).")
        }
    }
}
