/// An error from the demo-data generator: a dictionary that cannot be read or parsed, or an
/// output file that cannot be written. Opaque, so that cases can grow.
package struct DemoDataError: Error, Sendable, CustomStringConvertible {
    private enum Kind: Sendable {
        case dictionary, output
    }

    private let kind: Kind
    package let description: String

    private init(_ kind: Kind, _ description: String) {
        self.kind = kind
        self.description = description
    }

    static func unreadable(_ path: String, _ reason: String) -> DemoDataError {
        DemoDataError(
            .dictionary,
            "cannot read dictionary \(path): \(reason); pass --dictionaries DIR with authorities.csv, child-guidance-centres.csv and person-names.tsv"
        )
    }

    static func malformed(_ path: String, line: Int, _ reason: String) -> DemoDataError {
        DemoDataError(.dictionary, "\(path), line \(line): \(reason); fix the dictionary file (see dictionaries/README.md)")
    }

    static func output(_ path: String, _ operation: String, errno code: Int32) -> DemoDataError {
        DemoDataError(.output, "cannot \(operation) \(path): \(describeErrno(code)); check the folder exists and is writable")
    }
}
