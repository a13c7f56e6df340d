import ArgumentParser
import Foundation
import Store

struct AuthoritiesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "authorities",
        abstract: "Inspect the authority directory and load an authoritative list of child guidance centres.",
        subcommands: [Summary.self, LoadCGC.self]
    )

    struct Summary: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "summary", abstract: "Count authorities by kind.")
        @OptionGroup var options: DataOptions

        func run() throws {
            let directory = try options.openStore().directory
            let byKind = Dictionary(grouping: directory.authorities.values, by: \.kind)
            for kind in [Authority.Kind.prefecture, .municipality, .childGuidanceCentre, .ministry] {
                print("\(kind.rawValue)\t\(byKind[kind]?.count ?? 0)")
            }
        }
    }

    struct LoadCGC: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "load-cgc",
            abstract: "Replace the child guidance centres with an authoritative list (child-guidance-centres.csv format).")
        @OptionGroup var options: DataOptions
        @Argument(help: "The CSV file.") var file: String

        func run() throws {
            let store = try options.openStore()
            let count = try store.maintenance.loadChildGuidanceCentres(from: URL(fileURLWithPath: file), as: .localAdministrator)
            print("Loaded \(count) child guidance centres from \(file); they replace the default list from now on.")
        }
    }
}
