import ArgumentParser
import Foundation
import Store

struct VoidedCasesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "voided-cases",
        abstract: "List the cases voided as entered by mistake (kept for the audit): case id, holder, case number, when, by whom.",
        discussion: """
            Newest first, at most 1,000. Never the reason (free text) nor anything of the record. The listing \
            is audited as the local administrator's read of the cases listed.
            """
    )

    @OptionGroup var options: DataOptions
    @Option(help: ArgumentHelp("Only the cases this authority held (its code).", valueName: "code")) var authority: String?
    @Flag(help: "One JSON object {\"voided_cases\": [{id, holder, external_id, voided_at, voided_by}]} instead of tab-separated lines.")
    var json = false

    func run() throws {
        let listed = try options.openStore().cases.voided(holder: authority, as: .localAdministrator)
        if json {
            struct Document: Encodable {
                let voidedCases: [VoidedCase]
                enum CodingKeys: String, CodingKey { case voidedCases = "voided_cases" }
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(Document(voidedCases: listed)), as: UTF8.self))
            return
        }
        for voided in listed {
            print([voided.id, voided.holder, voided.externalID, voided.voidedAt, voided.voidedBy].joined(separator: "\t"))
        }
    }
}
