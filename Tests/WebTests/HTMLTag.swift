import Foundation

/// A start or end tag of a page with its attributes: enough HTML for the page check and for
/// filling in forms as a browser does. Byte offsets are into the page's UTF-8.
struct HTMLTag {
    /// Lower case; an end tag's name starts with "/".
    let name: String
    let attributes: [String: String]
    let start: Int
    let end: Int

    subscript(_ attribute: String) -> String? { attributes[attribute] }

    static func all(in html: String) -> [HTMLTag] {
        let bytes = Array(html.utf8)
        func isSpace(_ byte: UInt8) -> Bool { [0x20, 0x09, 0x0A, 0x0D, 0x0C].contains(byte) }
        func skip(to terminator: [UInt8], from index: Int) -> Int {
            var index = index
            while index < bytes.count, !bytes[index...].starts(with: terminator) { index += 1 }
            return min(bytes.count, index + terminator.count)
        }
        var tags: [HTMLTag] = []
        var index = 0
        while index < bytes.count {
            guard bytes[index] == UInt8(ascii: "<") else {
                index += 1
                continue
            }
            let start = index
            index += 1
            if bytes[index...].starts(with: Array("!--".utf8)) {
                index = skip(to: Array("-->".utf8), from: index)
                continue
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: "!") {
                index = skip(to: [UInt8(ascii: ">")], from: index)
                continue
            }
            let nameStart = index
            if index < bytes.count, bytes[index] == UInt8(ascii: "/") { index += 1 }
            while index < bytes.count, !isSpace(bytes[index]), bytes[index] != UInt8(ascii: ">"), bytes[index] != UInt8(ascii: "/") { index += 1 }
            let name = String(decoding: bytes[nameStart..<index], as: UTF8.self).lowercased()
            guard name.count > (name.hasPrefix("/") ? 1 : 0) else { continue }
            var attributes: [String: String] = [:]
            while index < bytes.count, bytes[index] != UInt8(ascii: ">") {
                if isSpace(bytes[index]) || bytes[index] == UInt8(ascii: "/") {
                    index += 1
                    continue
                }
                let attributeStart = index
                while index < bytes.count, !isSpace(bytes[index]), ![UInt8(ascii: "="), UInt8(ascii: ">")].contains(bytes[index]) { index += 1 }
                let attribute = String(decoding: bytes[attributeStart..<index], as: UTF8.self).lowercased()
                var value = ""
                if index < bytes.count, bytes[index] == UInt8(ascii: "=") {
                    index += 1
                    if index < bytes.count, bytes[index] == UInt8(ascii: "\"") || bytes[index] == UInt8(ascii: "'") {
                        let quote = bytes[index]
                        let valueStart = index + 1
                        index = valueStart
                        while index < bytes.count, bytes[index] != quote { index += 1 }
                        value = String(decoding: bytes[valueStart..<min(index, bytes.count)], as: UTF8.self)
                        index += 1
                    } else {
                        let valueStart = index
                        while index < bytes.count, !isSpace(bytes[index]), bytes[index] != UInt8(ascii: ">") { index += 1 }
                        value = String(decoding: bytes[valueStart..<index], as: UTF8.self)
                    }
                }
                attributes[attribute] = unescape(value)
            }
            index = min(bytes.count, index + 1)
            tags.append(HTMLTag(name: name, attributes: attributes, start: start, end: index))
        }
        return tags
    }

    /// Text with its character references resolved (`&amp;`, `&quot;`, `&#39;`, `&#x27;`).
    static func unescape(_ text: String) -> String {
        guard text.contains("&") else { return text }
        let named = ["amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'"]
        var result = ""
        var rest = Substring(text)
        while let ampersand = rest.firstIndex(of: "&") {
            result += rest[..<ampersand]
            let after = rest[rest.index(after: ampersand)...]
            if let semicolon = after.prefix(10).firstIndex(of: ";") {
                let entity = String(after[..<semicolon])
                let scalar: String? =
                    if entity.hasPrefix("#x") || entity.hasPrefix("#X") {
                        UInt32(entity.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init).map { String($0) }
                    } else if entity.hasPrefix("#") { UInt32(entity.dropFirst()).flatMap(Unicode.Scalar.init).map { String($0) } } else {
                        named[entity]
                    }
                if let scalar {
                    result += scalar
                    rest = after[after.index(after: semicolon)...]
                    continue
                }
            }
            result += "&"
            rest = after
        }
        return result + rest
    }
}

extension HTMLTag {
    /// The text of the element with `id` (up to its first tag), unescaped.
    static func text(of id: String, in html: String) -> String? {
        guard let start = html.range(of: "id=\"\(id)\"") else { return nil }
        guard let open = html[start.upperBound...].firstIndex(of: ">") else { return nil }
        let rest = html[html.index(after: open)...]
        return unescape(String(rest.prefix { $0 != "<" }))
    }
}
