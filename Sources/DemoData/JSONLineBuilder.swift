/// Builds one line of JSON by hand: keys in a fixed order, no whitespace, no escaped slashes.
///
/// Hand-written rather than `JSONEncoder` because a million records must render in seconds;
/// the tests parse every line with `JSONSerialization` to keep it honest.
struct JSONLineBuilder {
    private(set) var text = ""
    /// Whether the next member or element needs a comma before it.
    private var needsComma = false

    init(capacity: Int = 2048) {
        text.reserveCapacity(capacity)
    }

    mutating func beginObject() {
        separate()
        text += "{"
        needsComma = false
    }

    mutating func endObject() {
        text += "}"
        needsComma = true
    }

    mutating func beginArray(_ key: String) {
        self.key(key)
        text += "["
        needsComma = false
    }

    mutating func endArray() {
        text += "]"
        needsComma = true
    }

    /// Starts an object as the value of `key`.
    mutating func beginObject(_ key: String) {
        self.key(key)
        text += "{"
        needsComma = false
    }

    /// `"key":"value"`; nothing when `value` is nil (optional keys are omitted).
    mutating func member(_ key: String, _ value: String?) {
        guard let value else { return }
        self.key(key)
        appendString(value)
        needsComma = true
    }

    /// A string element of an array.
    mutating func element(_ value: String) {
        separate()
        appendString(value)
        needsComma = true
    }

    private mutating func key(_ key: String) {
        separate()
        appendString(key)
        text += ":"
    }

    private mutating func separate() {
        if needsComma { text += "," }
    }

    private mutating func appendString(_ value: String) {
        text += "\""
        if value.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            for scalar in value.unicodeScalars {
                switch scalar {
                case "\"": text += "\\\""
                case "\\": text += "\\\\"
                case "\n": text += "\\n"
                case "\r": text += "\\r"
                case "\t": text += "\\t"
                case _ where scalar.value < 0x20:
                    let hex = String(scalar.value, radix: 16)
                    text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                default: text.unicodeScalars.append(scalar)
                }
            }
        } else {
            text += value
        }
        text += "\""
    }
}
