/// One route of the API: a method and a path template whose `{name}` segments capture ids.
package struct Route: Sendable, Hashable {
    package let method: String
    package let template: String

    package init(_ method: String, _ template: String) {
        self.method = method
        self.template = template
    }

    /// The captured segments if `path` fits the template, in order.
    func match(_ segments: [Substring]) -> [String]? {
        let parts = template.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == segments.count else { return nil }
        var captured: [String] = []
        for (part, segment) in zip(parts, segments) {
            if part.hasPrefix("{") {
                captured.append(String(segment))
            } else if part != segment {
                return nil
            }
        }
        return captured
    }

    /// Whether a captured id has the shape the Store gives ids (lower-case UUIDs): anything
    /// else (`..`, `%2F`, SQL, 10 kB) is a 404 before any lookup.
    static func isID(_ text: String) -> Bool {
        (1...64).contains(text.utf8.count) && text.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D }
    }
}
