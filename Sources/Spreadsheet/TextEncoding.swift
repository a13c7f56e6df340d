import CICU
package import Foundation

/// The encodings a spreadsheet file comes in: UTF-8 (with or without the BOM Excel writes) and
/// Shift_JIS as Excel writes it on Japanese Windows (CP932, `windows-31j`). Conversion goes
/// through ICU's converters (`ucnv`), never a hand-written table.
package enum TextEncoding: String, Sendable, CaseIterable {
    case utf8 = "utf-8"
    case cp932

    /// The ICU name of the charset.
    var icuName: String {
        switch self {
        case .utf8: "UTF-8"
        case .cp932: "windows-31j"
        }
    }

    /// Reads an encoding's name as people and Content-Type headers spell it.
    package init?(name: String) {
        switch name.trimmingCharacters(in: .whitespaces).lowercased() {
        case "utf-8", "utf8": self = .utf8
        case "cp932", "windows-31j", "shift_jis", "shift-jis", "sjis", "ms932", "x-sjis": self = .cp932
        default: return nil
        }
    }

    static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// The encoding of a file: UTF-8 when it starts with the BOM or is valid UTF-8 throughout,
    /// else CP932 (what Excel writes when saving "CSV (コンマ区切り)").
    package static func detect(_ bytes: [UInt8]) -> TextEncoding {
        if bytes.starts(with: byteOrderMark) { return .utf8 }
        return String(validating: bytes, as: UTF8.self) != nil ? .utf8 : .cp932
    }

    /// Decodes `bytes` (a leading UTF-8 BOM dropped). A byte sequence the encoding does not
    /// allow is an error naming its line (1-based, counting line feeds) and byte offset.
    package func decode(_ bytes: [UInt8]) throws(EncodingProblem) -> String {
        var body = bytes[...]
        if self == .utf8, body.starts(with: Self.byteOrderMark) { body = body.dropFirst(3) }
        if self == .utf8 {
            if let text = String(validating: body, as: UTF8.self) { return text }
        }
        let converter = try Converter(self)
        var units = [UInt16](repeating: 0, count: body.count + 16)
        var status: Int32 = 0
        var offset: Int32 = -1
        let written = body.withUnsafeBufferPointer { source in
            source.withMemoryRebound(to: CChar.self) { source in
                cicu_converter_to_utf16(
                    converter.handle, source.baseAddress, Int32(source.count), &units, Int32(units.count), &offset, &status)
            }
        }
        guard status <= 0 else {
            let position = max(0, Int(offset))
            let line = body.prefix(position).count { $0 == 0x0A } + 1
            throw EncodingProblem(encoding: self, line: line, byteOffset: position + (bytes.count - body.count))
        }
        return String(decoding: units.prefix(Int(written)), as: UTF16.self)
    }

    /// Encodes `text`; for CP932, the characters it cannot hold are found first by
    /// `unrepresentable(in:)`, so this fails only for a caller that did not check.
    package func encode(_ text: String) throws(EncodingProblem) -> [UInt8] {
        if self == .utf8 { return Array(text.utf8) }
        let converter = try Converter(self)
        guard let bytes = converter.encode(Array(text.utf16)) else {
            throw EncodingProblem(encoding: self, line: 0, byteOffset: 0)
        }
        return bytes
    }

    /// The characters of `text` this encoding cannot hold (none for UTF-8), in order, each once.
    package func unrepresentable(in text: String) throws(EncodingProblem) -> [Character] {
        guard self != .utf8, !text.isEmpty else { return [] }
        let converter = try Converter(self)
        // The whole text first: almost every cell converts, and then nothing more is done.
        if converter.encode(Array(text.utf16)) != nil { return [] }
        var found: [Character] = []
        for character in text where converter.encode(Array(String(character).utf16)) == nil && !found.contains(character) {
            found.append(character)
        }
        return found
    }
}

/// A file, or a text, that does not fit its encoding.
package struct EncodingProblem: Error, Sendable, Hashable, CustomStringConvertible {
    package let encoding: TextEncoding
    /// Where the first bad byte sequence is (decoding); 0 when encoding.
    package let line: Int
    package let byteOffset: Int

    package var description: String {
        "the file is not valid \(encoding == .utf8 ? "UTF-8" : "Shift_JIS (CP932)") at line \(line) (byte \(byteOffset + 1)); save it as UTF-8 or as Excel's CSV"
    }

    /// The same, in Japanese, for the pages.
    package var japanese: String {
        "\(line)行目: ファイルの文字コード（\(encoding == .utf8 ? "UTF-8" : "Shift_JIS")）として読めない文字があります。Excelの「CSV UTF-8」または「CSV（コンマ区切り）」で保存し直してください。"
    }
}

/// One opened ICU converter (not shared between threads).
private final class Converter {
    let handle: OpaquePointer

    init(_ encoding: TextEncoding) throws(EncodingProblem) {
        var status: Int32 = 0
        guard let handle = cicu_converter_open(encoding.icuName, &status), status <= 0 else {
            throw EncodingProblem(encoding: encoding, line: 0, byteOffset: 0)
        }
        self.handle = handle
    }

    deinit { cicu_converter_close(handle) }

    /// The bytes of `units`, or nil if a character cannot be held.
    func encode(_ units: [UInt16]) -> [UInt8]? {
        var bytes = [CChar](repeating: 0, count: units.count * 4 + 16)
        var status: Int32 = 0
        var offset: Int32 = -1
        let written = cicu_converter_from_utf16(handle, units, Int32(units.count), &bytes, Int32(bytes.count), &offset, &status)
        guard status <= 0 else { return nil }
        return bytes.prefix(Int(written)).map { UInt8(bitPattern: $0) }
    }
}
