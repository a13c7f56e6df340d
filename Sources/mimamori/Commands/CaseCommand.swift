import ArgumentParser
import Foundation
import Store

struct CaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "case",
        abstract: "Read and move cases with the local administrator's access (audited).",
        subcommands: [List.self, Show.self, Move.self]
    )

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the cases an authority holds.")

        @OptionGroup var options: DataOptions
        @Option(help: "The holding authority's code, e.g. 131016 or 130001-01.") var holder: String
        @Option(help: "At most this many cases.") var limit = 50
        @Option(help: "Skip this many cases.") var offset = 0

        func run() throws {
            let store = try options.openStore()
            for stored in try store.cases.list(heldBy: holder, as: .localAdministrator, limit: limit, offset: offset) {
                let child = stored.record.child
                print(
                    [
                        stored.id, stored.record.externalID, stored.record.status.rawValue, "v\(stored.version)",
                        child.displayName, child.birthdate?.iso ?? "-",
                    ].joined(separator: "\t"))
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print one case as JSON (the import format).")

        @OptionGroup var options: DataOptions
        @Argument(help: "The case id.") var id: String

        func run() throws {
            let stored = try options.openStore().cases.read(id: id, as: .localAdministrator)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(stored.record), as: UTF8.self))
            print(
                "# id=\(stored.id) holder=\(stored.holder) partition=pref-\(stored.prefectureCode) version=\(stored.version) updated=\(stored.updatedAt)"
            )
        }
    }

    struct Move: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Move a case to another holding authority (the physical move a confirmed transfer performs).")

        @OptionGroup var options: DataOptions
        @Argument(help: "The case id.") var id: String
        @Option(help: "The destination authority's code.") var to: String

        func run() throws {
            let moved = try options.openStore().cases.move(id: id, to: to, as: .localAdministrator)
            print("Case \(moved.id) is now held by \(moved.holder) (partition pref-\(moved.prefectureCode), version \(moved.version)).")
        }
    }
}
