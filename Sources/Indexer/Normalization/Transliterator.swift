import CICU

/// An ICU transliterator (`utrans`) from the system ICU, reached through the `CICU` C target.
///
/// Not thread-safe to share across threads while transliterating (ICU's `UTransliterator`
/// keeps no per-call state for `utrans_transUChars`, but we make no such promise): give
/// each thread its own, or guard it.
///
/// See https://unicode-org.github.io/icu/userguide/transforms/general/ for the IDs.
package final class Transliterator {
    package let id: String
    private let handle: OpaquePointer

    /// Opens the transliterator for an ICU ID such as `"Any-NFKC; Katakana-Hiragana"`.
    /// - Throws: `ICUError` when ICU does not know the ID.
    package init(_ id: String) throws(ICUError) {
        var status: Int32 = 0
        let utf16 = Array(id.utf16)
        guard let handle = cicu_transliterator_open(utf16, Int32(utf16.count), &status), status <= 0 else {
            throw ICUError(function: "utrans_openU", status: status)
        }
        self.id = id
        self.handle = handle
    }

    deinit {
        cicu_transliterator_close(handle)
    }

    /// Returns `text` transliterated.
    package func callAsFunction(_ text: String) -> String {
        var buffer = Array(text.utf16)
        var capacity = max(16, buffer.count * 2)
        while true {
            var units = buffer + Array(repeating: 0, count: capacity - buffer.count)
            var length = Int32(buffer.count)
            var status: Int32 = 0
            cicu_transliterate(handle, &units, &length, Int32(capacity), &status)
            if status == ICUError.bufferOverflow {
                capacity = Int(length) + 16
                buffer = Array(text.utf16)
                continue
            }
            // Any other failure leaves the text as it was: transliteration only derives keys.
            guard status <= 0 else { return text }
            return String(decoding: units[0..<Int(length)], as: UTF16.self)
        }
    }
}

/// An ICU error code with the C function that returned it.
package struct ICUError: Error, CustomStringConvertible {
    static let bufferOverflow: Int32 = 15  // U_BUFFER_OVERFLOW_ERROR

    package let function: String
    package let status: Int32

    package var description: String {
        "\(function) failed: \(String(cString: cicu_error_name(status)))"
    }

    /// The version of the ICU library linked in, e.g. "72.1".
    package static var libraryVersion: String {
        var buffer = [CChar](repeating: 0, count: 32)
        cicu_version(&buffer, Int32(buffer.count))
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
