import Foundation

/// The audit log's tamper evidence: each row carries SHA-256 over the previous row's hash and
/// its own fields, so a changed or deleted row breaks the chain (`AuditLog.verify`).
enum AuditChain {
    /// The chain link of an audit row: each field length-prefixed so that no two different
    /// rows serialise alike.
    static func hash(
        previous: String, at: String, actor: String, authority: String?, action: String, target: String?, detail: String?
    ) -> String {
        let fields = [previous, at, actor, authority ?? "\u{0}", action, target ?? "\u{0}", detail ?? "\u{0}"]
        return Secret.sha256(fields.map { "\($0.utf8.count):\($0)" }.joined())
    }

    /// Control characters written escaped: a NUL would cut the text short when read back.
    static func escapingControls(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else { return text }
        return text.unicodeScalars.map { scalar in
            scalar.value < 0x20 || scalar.value == 0x7F ? String(format: "\\u%04X", scalar.value) : String(scalar)
        }.joined()
    }
}
