import ArgumentParser
import Store

struct TokenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Create, list and revoke API bearer tokens, and set their longest lifetime (the local administrator's access; audited).",
        subcommands: [Create.self, List.self, Revoke.self, MaxDays.self]
    )

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a token for a user; it is printed once.")
        @OptionGroup var options: DataOptions
        @Option(help: "The user the token acts for.") var login: String
        @Option(help: "Days until it expires (1 up to the longest lifetime, see token max-days; default 90, or that maximum if lower).")
        var days: Int?
        @Option(help: "What the token is for.") var label = "api"

        func run() throws {
            let store = try options.openStore()
            let days = try self.days ?? min(90, store.tokens.maximumDays())
            let (token, info) = try store.tokens.create(for: login, label: label, days: days, as: .localAdministrator)
            print("Token \(info.id) for \(info.login), expires \(info.expiresAt). Shown once:")
            print(token)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List tokens (never their secret): id, login, label, created, expires, last used, state (active, expired, revoked).")
        @OptionGroup var options: DataOptions
        @Option(help: "Only this user's tokens.") var login: String?
        @Option(help: "Only the tokens of this authority's users.") var authority: String?

        func validate() throws {
            if login != nil, authority != nil { throw ValidationError("give --login or --authority, not both") }
        }

        func run() throws {
            let tokens = try options.openStore().tokens
            let listed =
                if let login {
                    try tokens.list(of: login, as: .localAdministrator)
                } else {
                    try tokens.list(ofAuthority: authority, as: .localAdministrator)
                }
            for token in listed {
                print(
                    [
                        String(token.id), token.login, token.label, token.createdAt, token.expiresAt, token.lastUsedAt ?? "never",
                        token.state.rawValue,
                    ].joined(separator: "\t"))
            }
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

    struct MaxDays: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "max-days",
            abstract: """
                Show, or set, the longest lifetime of an API token in days (1–366; 90 unless set). It holds for every \
                token, also those made before: a token stops working this many days after it was created.
                """)
        @OptionGroup var options: DataOptions
        @Argument(help: "The new longest lifetime in days; without it, the current one is shown.") var days: Int?

        func run() throws {
            let tokens = try options.openStore().tokens
            if let days {
                try tokens.setMaximumDays(days, as: .localAdministrator)
                print("API tokens now live at most \(days) days.")
            } else {
                print("API tokens live at most \(try tokens.maximumDays()) days.")
            }
        }
    }
}
