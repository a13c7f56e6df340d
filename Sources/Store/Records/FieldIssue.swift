/// One thing wrong with one field of a record: where (`child.birthdate`) and why.
package struct FieldIssue: Hashable, Sendable, CustomStringConvertible {
    package let path: String
    package let message: String

    package init(_ path: String, _ message: String) {
        self.path = path
        self.message = message
    }

    package var description: String { path.isEmpty ? message : "\(path): \(message)" }
}

/// A record that failed validation, with every issue found in it.
package struct RecordInvalid: Error, Sendable, CustomStringConvertible {
    package let issues: [FieldIssue]

    package var description: String { issues.map(\.description).joined(separator: "; ") }
}
