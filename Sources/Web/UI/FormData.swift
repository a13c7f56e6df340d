import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The fields and files of a submitted HTML form, from either encoding a browser sends:
/// `application/x-www-form-urlencoded` or `multipart/form-data` (RFC 7578).
struct FormData: Sendable {
    struct File: Sendable {
        /// The name the browser gave (may be empty, and is never trusted as a path).
        let fileName: String
        let declaredType: String?
        let content: [UInt8]
    }

    private(set) var fields: [String: [String]] = [:]
    private(set) var files: [String: File] = [:]

    enum Failure: Error, Equatable {
        case notAForm, malformed
    }

    init() {}

    /// Parses the body by its Content-Type. An empty body is an empty form.
    init(body: [UInt8], contentType: String?) throws(Failure) {
        let type = (contentType ?? "").split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        switch type {
        case "application/x-www-form-urlencoded":
            for (name, value) in Self.urlEncoded(body) { fields[name, default: []].append(value) }
        case "" where body.isEmpty:
            break
        case "multipart/form-data":
            guard let boundary = Self.parameter("boundary", in: contentType ?? ""), (1...70).contains(boundary.utf8.count) else {
                throw .malformed
            }
            try parseMultipart(body, boundary: Array(boundary.utf8))
        default:
            throw .notAForm
        }
    }

    /// The first value of a field, trimmed of surrounding white space ("" when absent).
    subscript(_ name: String) -> String {
        (fields[name]?.first ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Every value of a field (check boxes, repeated fields).
    func all(_ name: String) -> [String] { fields[name] ?? [] }

    /// A file field that was filled in (a browser sends an empty part for an empty file input).
    func file(_ name: String) -> File? {
        guard let file = files[name], !(file.content.isEmpty && file.fileName.isEmpty) else { return nil }
        return file
    }

    static func urlEncoded(_ body: [UInt8]) -> [(String, String)] {
        String(decoding: body, as: UTF8.self).split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ text: Substring) -> String {
                String(text.replacingOccurrences(of: "+", with: " ")).removingPercentEncoding ?? ""
            }
            return (decode(parts[0]), parts.count > 1 ? decode(parts[1]) : "")
        }
    }

    /// `name=value` or `name="value"` from a header value's parameters. A quoted value may hold
    /// `;` and backslash-escaped quotes (a file named `写真;1.png`).
    static func parameter(_ name: String, in header: String) -> String? {
        var parts: [String] = []
        var current = ""
        var quoted = false
        var escaped = false
        for character in header {
            if escaped {
                current.append(character)
                escaped = false
                continue
            }
            switch character {
            case "\\" where quoted: escaped = true
            case "\"":
                quoted.toggle()
                current.append(character)
            case ";" where !quoted:
                parts.append(current)
                current = ""
            default: current.append(character)
            }
        }
        parts.append(current)
        for part in parts.dropFirst() {
            let pair = part.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == name else { continue }
            var value = pair[1].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
            return value
        }
        return nil
    }

    private mutating func parseMultipart(_ body: [UInt8], boundary: [UInt8]) throws(Failure) {
        let delimiter = Array("--".utf8) + boundary
        guard var start = Self.find(delimiter, in: body, from: 0) else { throw .malformed }
        while true {
            start += delimiter.count
            // "--" after the delimiter closes the body.
            if body.count >= start + 2, body[start] == 0x2D, body[start + 1] == 0x2D { return }
            guard body.count >= start + 2, body[start] == 0x0D, body[start + 1] == 0x0A else { throw .malformed }
            let partStart = start + 2
            guard let next = Self.find([0x0D, 0x0A] + delimiter, in: body, from: partStart) else { throw .malformed }
            // The blank line that ends the headers must come before the line break that ends the part.
            guard let headEnd = Self.find([0x0D, 0x0A, 0x0D, 0x0A], in: body, from: partStart), headEnd + 4 <= next else {
                throw .malformed
            }
            let head = String(decoding: body[partStart..<headEnd], as: UTF8.self)
            let content = Array(body[(headEnd + 4)..<next])
            var disposition = ""
            var type: String?
            for line in head.split(separator: "\r\n") {
                let pair = line.split(separator: ":", maxSplits: 1)
                guard pair.count == 2 else { throw .malformed }
                let value = pair[1].trimmingCharacters(in: .whitespaces)
                switch pair[0].trimmingCharacters(in: .whitespaces).lowercased() {
                case "content-disposition": disposition = value
                case "content-type": type = value
                default: break
                }
            }
            guard disposition.lowercased().hasPrefix("form-data"), let name = Self.parameter("name", in: disposition) else {
                throw .malformed
            }
            if let fileName = Self.parameter("filename", in: disposition) {
                files[name] = File(fileName: fileName, declaredType: type, content: content)
            } else {
                fields[name, default: []].append(String(decoding: content, as: UTF8.self))
            }
            start = next + 2
        }
    }

    /// The index of `needle` in `haystack` at or after `from` (memchr for the first byte,
    /// memcmp for the rest: fast enough for a 60 MB upload even in a debug build).
    private static func find(_ needle: [UInt8], in haystack: [UInt8], from: Int) -> Int? {
        guard !needle.isEmpty, from >= 0, haystack.count - from >= needle.count else { return nil }
        return haystack.withUnsafeBytes { hay in
            needle.withUnsafeBytes { pattern in
                let base = hay.baseAddress!
                let last = hay.count - needle.count
                var index = from
                while index <= last {
                    guard let hit = memchr(base + index, Int32(needle[0]), last - index + 1) else { return nil }
                    index = base.distance(to: UnsafeRawPointer(hit))
                    if memcmp(base + index, pattern.baseAddress!, needle.count) == 0 { return index }
                    index += 1
                }
                return nil
            }
        }
    }
}
