package import Foundation
package import Store

extension CaseRecord {
    /// The record as `JSONEncoder` writes it with sorted keys and unescaped slashes: the bytes
    /// a stored body (`Cases.encode`, written by hand in `BodyWriter`) must be.
    package func jsonEncoded() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}
