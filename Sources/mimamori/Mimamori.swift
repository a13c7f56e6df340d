import ArgumentParser

@main
struct Mimamori: AsyncParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "mimamori",
        abstract: "Nationwide sharing of child-protection case records (見守り).",
        version: version,
        subcommands: [
            ServeCommand.self, ImportCommand.self, UserCommand.self, TokenCommand.self, DemoLoginsCommand.self, AuditCommand.self, SearchCommand.self, ReindexCommand.self, EvalCommand.self, BenchCommand.self, CaseCommand.self, CheckCommand.self, RetentionCommand.self, AuthoritiesCommand.self, DemoDataCommand.self, VersionCommand.self,
        ]
    )
}
