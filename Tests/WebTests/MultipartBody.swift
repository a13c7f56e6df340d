import Foundation
import MimamoriTesting

/// A multipart/form-data body as a browser builds it (RFC 7578).
struct MultipartBody {
    var boundary: String
    var fields: [(name: String, value: String)] = []
    var files: [(name: String, fileName: String, type: String?, content: [UInt8])] = []

    init(boundary: String) { self.boundary = boundary }

    var contentType: String { "multipart/form-data; boundary=\"\(boundary)\"" }

    var bytes: [UInt8] {
        var body: [UInt8] = []
        let delimiter = "--\(boundary)\r\n"
        for field in fields {
            body += Array((delimiter + "Content-Disposition: form-data; name=\"\(field.name)\"\r\n\r\n" + field.value + "\r\n").utf8)
        }
        for file in files {
            var head = delimiter + "Content-Disposition: form-data; name=\"\(file.name)\"; filename=\"\(file.fileName)\"\r\n"
            if let type = file.type { head += "Content-Type: \(type)\r\n" }
            body += Array((head + "\r\n").utf8) + file.content + Array("\r\n".utf8)
        }
        return body + Array("--\(boundary)--\r\n".utf8)
    }

    /// Random fields (some repeated) and files with a random boundary (RFC 2046 characters,
    /// 1–70 long) that occurs nowhere in the content, as a browser chooses one.
    static func random(_ random: inout SplitMix64, small: Bool = false) -> MultipartBody {
        // A browser percent-encodes these in names and file names (but not `;`, which the
        // quotes protect: a file may be named 写真;1.png).
        let unsafe: Set<String> = ["\"", "\r\n", "\n", "\r"]
        var fields: [(name: String, value: String)] = []
        for _ in 0..<random.next(in: 0...(small ? 4 : 10)) {
            let name = "f" + FormDataTests.text(&random, maxLength: 4, excluding: unsafe)
            for _ in 0..<random.next(in: 1...2) { fields.append((name, FormDataTests.text(&random, maxLength: small ? 12 : 40))) }
        }
        var files: [(name: String, fileName: String, type: String?, content: [UInt8])] = []
        for index in 0..<random.next(in: 0...(small ? 2 : 3)) {
            let content = (0..<random.next(in: 0...(small ? 300 : 5_000))).map { _ in UInt8(random.next(in: 0...255)) }
            let type = ["image/png", "application/pdf", "application/octet-stream", nil][random.next(in: 0...3)]
            let name = "file\(index)" + FormDataTests.text(&random, maxLength: 2, excluding: unsafe)
            files.append((name, FormDataTests.text(&random, maxLength: 6, excluding: unsafe) + ".png", type, content))
        }
        let characters = Array("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'()+_,-./:=? ")
        while true {
            let length = random.next(in: 1...70)
            var boundary = String((0..<length).map { _ in characters[random.next(in: 0...(characters.count - 1))] })
            if boundary.hasSuffix(" ") { boundary = String(boundary.dropLast()) + "x" }
            if boundary.hasPrefix(" ") { boundary = "x" + boundary.dropFirst() }
            var body = MultipartBody(boundary: boundary)
            body.fields = fields
            body.files = files
            let delimiter = Data("\r\n--\(boundary)".utf8)
            let inContent =
                fields.contains { Data(("\r\n" + $0.value).utf8).range(of: delimiter) != nil }
                || files.contains { Data([0x0D, 0x0A] + $0.content).range(of: delimiter) != nil }
            if !inContent { return body }
        }
    }
}
