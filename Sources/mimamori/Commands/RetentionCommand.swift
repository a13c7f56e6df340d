import ArgumentParser
import Query
import Store

struct RetentionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retention",
        abstract: "Purge closed cases kept longer than their holder's retention_days (serve also does this every hour).",
        subcommands: [Run.self]
    )

    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Purge now: each case with an audit entry, and out of the search index.")

        @OptionGroup var options: DataOptions
        @Flag(help: "Count what would be purged; change nothing.") var dryRun = false

        func run() throws {
            // Through the search engine, so the index follows the deletions before this returns.
            let store = try options.openSearch().store
            let purged = try store.retention.purgeExpired(dryRun: dryRun)
            print(dryRun ? "\(purged.count) closed cases are past their retention period" : "purged \(purged.count) closed cases")
            guard !dryRun else { return }
            let removed = try store.retention.housekeeping()
            print(
                "removed \(removed.sessions) old sessions, \(removed.webhookDeliveries) webhook deliveries, \(removed.notifications) read notifications, \(removed.loginFailures) failed sign-in counts"
            )
        }
    }
}
