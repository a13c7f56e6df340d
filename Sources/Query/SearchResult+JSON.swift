import Store

/// The JSON of a search result, written directly: the bytes `JSONEncoder` writes with
/// `.sortedKeys` and `.withoutEscapingSlashes` (`SearchResultJSONTests` holds the two to the
/// same output), without its boxing of every value in a container. A page of 100 hits is
/// several thousand values, and encoding them cost about as much as retrieving them did.
extension SearchResult {
    /// The result as UTF-8 JSON (members in sorted order, as the API has always written them).
    package var json: [UInt8] {
        var writer = JSONWriter()
        writer.open("{")
        writer.key("hits")
        writer.open("[")
        for hit in hits { writer.hit(hit) }
        writer.close("]")
        writer.key("total")
        writer.number(total)
        writer.key("truncated")
        writer.bool(truncated)
        writer.close("}")
        return writer.bytes
    }
}

/// Writes JSON into a byte buffer, a value at a time: members in the order given (callers give
/// them sorted), strings escaped as `JSONEncoder` escapes them.
private struct JSONWriter {
    private(set) var bytes: [UInt8] = []
    /// Whether the array or object being written holds a value yet (a comma goes before the next).
    private var filled: [Bool] = []

    init() { bytes.reserveCapacity(16_384) }

    /// Starts an object (`{`) or array (`[`) as the next value.
    mutating func open(_ bracket: Unicode.Scalar) {
        separate()
        bytes.append(UInt8(ascii: bracket))
        filled.append(false)
    }

    mutating func close(_ bracket: Unicode.Scalar) {
        bytes.append(UInt8(ascii: bracket))
        filled.removeLast()
    }

    /// A member's key; its value follows.
    mutating func key(_ name: String) {
        separate()
        quoted(name)
        bytes.append(UInt8(ascii: ":"))
        // The value that follows is not separated from its key.
        filled[filled.count - 1] = false
    }

    /// A member whose nil value is left out (`encodeIfPresent`).
    mutating func member(_ name: String, ifPresent value: String?) {
        guard let value else { return }
        key(name)
        string(value)
    }

    mutating func member(_ name: String, _ value: String) {
        key(name)
        string(value)
    }

    /// A member whose nil value is written as null (`encode` of an optional).
    mutating func member(_ name: String, orNull value: String?) {
        key(name)
        if let value { string(value) } else { raw("null") }
    }

    mutating func number(_ value: Int) { raw(String(value)) }

    /// As `JSONEncoder` writes a finite Double: its shortest description, without a `.0`.
    mutating func number(_ value: Double) {
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        raw(text)
    }

    mutating func bool(_ value: Bool) { raw(value ? "true" : "false") }

    mutating func string(_ value: String) {
        separate()
        quoted(value)
    }

    private mutating func raw(_ text: String) {
        separate()
        bytes += text.utf8
    }

    /// A comma before every value of an array or member of an object but its first.
    private mutating func separate() {
        guard let last = filled.last else { return }
        if last { bytes.append(UInt8(ascii: ",")) }
        filled[filled.count - 1] = true
    }

    private mutating func quoted(_ value: String) {
        JSONString.append(value, to: &bytes)
    }

    /// One hit, its members in sorted order (`SearchHit.CodingKeys` and its parts').
    mutating func hit(_ hit: SearchHit) {
        open("{")
        member("access", hit.access.rawValue)
        key("authority")
        open("{")
        member("code", hit.authority.code)
        member("contact", ifPresent: hit.authority.contact)
        key("contacts")
        open("{")
        member("daytime", orNull: hit.authority.contacts.daytime)
        member("department", orNull: hit.authority.contacts.department)
        member("night_holiday", orNull: hit.authority.contacts.nightHoliday)
        close("}")
        member("name", hit.authority.name)
        close("}")
        member("case_id", hit.caseID)
        member("external_id", ifPresent: hit.externalID)
        member("grade", hit.grade.rawValue)
        if !hit.linked.isEmpty {
            key("linked")
            open("[")
            for linked in hit.linked { self.hit(linked) }
            close("]")
        }
        key("person")
        open("{")
        member("birthdate", ifPresent: hit.person.birthdate)
        member("kana", ifPresent: hit.person.kana)
        member("name", hit.person.name)
        member("relation", ifPresent: hit.person.relation)
        member("role", hit.person.role)
        member("sex", ifPresent: hit.person.sex)
        close("}")
        key("score")
        number(hit.score)
        member("status", hit.status)
        key("why")
        open("[")
        for reason in hit.why { string(reason.description) }
        close("]")
        close("}")
    }
}
