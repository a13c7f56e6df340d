import Foundation
import MimamoriTesting
import Testing

@testable import Web

/// The form parser the pages read every submission with: what a browser sends comes back
/// exactly, and no body, however broken, crashes it or is half read. Random cases come from a
/// seeded generator; a failure names its seed so it can be replayed.
struct FormDataTests {
    @Test("random fields and files sent as multipart/form-data with a random boundary come back exactly", arguments: Array(UInt64(1)...40))
    func multipartRoundTrip(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        let body = MultipartBody.random(&random)
        let form = try FormData(body: body.bytes, contentType: body.contentType)
        let fields = Dictionary(grouping: body.fields, by: \.name).mapValues { $0.map(\.value) }
        #expect(form.fields == fields, "seed \(seed)")
        #expect(Set(form.files.keys) == Set(body.files.map(\.name)), "seed \(seed)")
        for file in body.files {
            let parsed = try #require(form.files[file.name], "seed \(seed): \(file.name)")
            #expect(
                parsed.fileName == file.fileName && parsed.declaredType == file.type && parsed.content == file.content, "seed \(seed): \(file.name)")
        }
    }

    @Test("random fields sent urlencoded come back exactly", arguments: Array(UInt64(1)...40))
    func urlEncodedRoundTrip(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        let pairs = (0..<random.next(in: 0...12)).map { _ in (Self.text(&random, maxLength: 8), Self.text(&random, maxLength: 40)) }
        let body = pairs.map { Self.urlEncode($0.0) + "=" + Self.urlEncode($0.1) }.joined(separator: "&")
        let form = try FormData(body: Array(body.utf8), contentType: "application/x-www-form-urlencoded; charset=UTF-8")
        #expect(form.fields == Dictionary(grouping: pairs, by: \.0).mapValues { $0.map(\.1) }, "seed \(seed): \(body)")
        #expect(form.files.isEmpty)
    }

    @Test("a browser's form comes back as typed: the first value trimmed, every value of a repeated field, an empty file input left out")
    func browserForm() throws {
        var body = MultipartBody(boundary: "----WebKitFormBoundary7MA4YWxkTrZu0gW")
        body.fields = [
            ("csrf_token", "abc"), ("child.family_name", " 山田\r\n"), ("consultation.abuse_types", "neglect"),
            ("consultation.abuse_types", "physical"),
            ("consultation.assessment", "1行目\r\n2行目 & a=b+c 100%"),
        ]
        body.files = [("photo", "", "application/octet-stream", [])]
        let form = try FormData(body: body.bytes, contentType: body.contentType)
        #expect(form["child.family_name"] == "山田")
        #expect(form.all("consultation.abuse_types") == ["neglect", "physical"])
        #expect(form["consultation.assessment"] == "1行目\r\n2行目 & a=b+c 100%")
        #expect(form.file("photo") == nil && form.files["photo"] != nil)
        #expect(form["absent"].isEmpty && form.all("absent").isEmpty)

        let typed = "q=%E3%82%84%E3%81%BE%E3%81%A0+%E3%81%9F%E3%82%8D%E3%81%86&a=1+1%3D2&a=&empty"
        let encoded = try FormData(body: Array(typed.utf8), contentType: "application/x-www-form-urlencoded")
        #expect(encoded["q"] == "やまだ たろう" && encoded.all("a") == ["1 1=2", ""] && encoded.all("empty") == [""])
    }

    @Test(
        "what is not a form is refused as not a form, and a form without a body is empty",
        arguments: [
            ("application/json", #"{"a": 1}"#), ("text/plain", "a=1"), ("multipart/mixed; boundary=x", "--x--"), ("", "a=1"), ("text/html", ""),
            ("application/x-www-form-urlencodedx", "a=1"),
        ])
    func notAForm(contentType: String, body: String) {
        #expect(throws: FormData.Failure.notAForm) { try FormData(body: Array(body.utf8), contentType: contentType) }
    }

    @Test("an empty body without a Content-Type is an empty form")
    func emptyForm() throws {
        let form = try FormData(body: [], contentType: nil)
        #expect(form.fields.isEmpty && form.files.isEmpty)
    }

    @Test(
        "a multipart body without a usable boundary, or whose parts do not follow it, is malformed",
        arguments: [
            ("multipart/form-data", "--x\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--x--"),
            ("multipart/form-data; boundary=", "--\r\n"),
            ("multipart/form-data; boundary=" + String(repeating: "b", count: 71), "--" + String(repeating: "b", count: 71) + "--"),
            ("multipart/form-data; boundary=x", "no delimiter at all"),
            ("multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1"),
            ("multipart/form-data; boundary=x", "--x\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\n1\r\n--x--"),
            ("multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data\r\n\r\n1\r\n--x--"),
            ("multipart/form-data; boundary=x", "--x\r\nno header here\r\n\r\n1\r\n--x--"),
            ("multipart/form-data; boundary=x", "--xContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--x--"),
            // The blank line after the headers is also the line break before the next boundary (this once crashed the server).
            ("multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n--x--"),
            (
                "multipart/form-data; boundary=x",
                "--x\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n--x\r\nContent-Disposition: form-data; name=\"b\"\r\n\r\n\r\n--x--"
            ),
        ])
    func malformed(contentType: String, body: String) {
        #expect(throws: FormData.Failure.malformed) { try FormData(body: Array(body.utf8), contentType: contentType) }
    }

    @Test("an upload cut off anywhere before its closing boundary is refused, never read as a shorter form", arguments: Array(UInt64(1)...5))
    func truncated(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        var body = MultipartBody.random(&random, small: true)
        if body.fields.isEmpty && body.files.isEmpty { body.fields = [("a", "1")] }
        let bytes = body.bytes
        let closing = bytes.count - 2  // the body ends "--boundary--\r\n"
        for cut in 0..<closing {
            #expect(throws: FormData.Failure.malformed, "seed \(seed), cut at \(cut) of \(bytes.count)") {
                try FormData(body: Array(bytes[..<cut]), contentType: body.contentType)
            }
        }
        #expect(try FormData(body: Array(bytes[..<closing]), contentType: body.contentType).fields.count == Set(body.fields.map(\.name)).count)
    }

    @Test("2,000 random mutations of valid bodies never crash the parser: each is refused or read from bytes it contains")
    func mutations() throws {
        var random = SplitMix64(seed: 0x6D69_6D61_6D6F_7269)
        var outcomes = (refused: 0, read: 0)
        for round in 0..<2_000 {
            let original = MultipartBody.random(&random, small: true)
            var bytes = original.bytes
            var applied: [String] = []
            for _ in 0..<random.next(in: 1...3) {
                applied.append(Self.mutate(&bytes, boundary: Array(original.boundary.utf8), &random))
            }
            let context = "round \(round) (\(applied.joined(separator: ", ")))"
            do {
                let form = try FormData(body: bytes, contentType: original.contentType)
                outcomes.read += 1
                // Nothing is invented: every file and every (valid UTF-8) value is a run of the body's bytes.
                let data = Data(bytes)
                for (name, file) in form.files where !file.content.isEmpty {
                    #expect(data.range(of: Data(file.content)) != nil, "\(context): file \(name)")
                }
                for (name, values) in form.fields {
                    for value in values where !value.isEmpty && !value.contains("\u{FFFD}") {
                        #expect(data.range(of: Data(value.utf8)) != nil, "\(context): field \(name)")
                    }
                }
            } catch {
                #expect(error == .malformed, "\(context)")
                outcomes.refused += 1
            }
        }
        // Both outcomes happen: the mutations are neither all harmless nor all fatal.
        #expect(outcomes.refused > 200 && outcomes.read > 200, "\(outcomes)")
    }

    // MARK: - Generators

    /// One random change to a body; returns its name for the failure message.
    static func mutate(_ bytes: inout [UInt8], boundary: [UInt8], _ random: inout SplitMix64) -> String {
        guard !bytes.isEmpty else {
            bytes = Array("--".utf8) + boundary
            return "refill"
        }
        let at = random.next(in: 0...(bytes.count - 1))
        switch random.next(in: 0...7) {
        case 0:
            bytes.removeSubrange(at...)
            return "truncate at \(at)"
        case 1:
            for _ in 0..<random.next(in: 1...8) { bytes[random.next(in: 0...(bytes.count - 1))] ^= UInt8(random.next(in: 1...255)) }
            return "flip bytes"
        case 2:
            let crlfs = bytes.indices.dropLast().filter { bytes[$0] == 0x0D && bytes[$0 + 1] == 0x0A }
            guard let crlf = crlfs.randomElement(using: &random) else { return "no CRLF to drop" }
            bytes.removeSubrange(crlf...(crlf + 1))
            return "drop CRLF at \(crlf)"
        case 3:
            bytes.insert(contentsOf: [0x0D, 0x0A] + Array("--".utf8) + boundary + [0x0D, 0x0A], at: at)
            return "duplicate boundary at \(at)"
        case 4:
            bytes.insert(contentsOf: Array("--".utf8) + boundary + Array("--".utf8), at: at)
            return "early closing boundary at \(at)"
        case 5:
            bytes.insert(contentsOf: (0..<random.next(in: 1...16)).map { _ in UInt8(random.next(in: 0...255)) }, at: at)
            return "insert bytes at \(at)"
        case 6:
            let end = min(bytes.count, at + random.next(in: 1...64))
            bytes.removeSubrange(at..<end)
            return "remove \(at)..<\(end)"
        default:
            let end = min(bytes.count, at + random.next(in: 1...64))
            bytes.insert(contentsOf: bytes[at..<end], at: end)
            return "repeat \(at)..<\(end)"
        }
    }

    /// Pieces that make parsers stumble: separators of both encodings, line breaks, quotes, Japanese, emoji.
    static let pieces = [
        "a", "Z", "7", " ", "\r\n", "\n", "\r", "\t", "&", "=", "+", "%", "%20", "%zz", "-", "--", "\"", ";", ":", "/", "?", "#", "[0].", "_",
        "山田", "やまだ", "ヤマダ", "ｶﾀｶﾅ", "髙", "😀", "é", "\u{0}",
    ]

    /// Random text of up to `maxLength` pieces; `excluding` pieces a browser never sends raw in a header parameter.
    static func text(_ random: inout SplitMix64, maxLength: Int, excluding: Set<String> = []) -> String {
        let usable = pieces.filter { !excluding.contains($0) }
        return (0..<random.next(in: 0...maxLength)).map { _ in usable[random.next(in: 0...(usable.count - 1))] }.joined()
    }

    /// As a browser encodes a form (application/x-www-form-urlencoded).
    static func urlEncode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)...Unicode.Scalar(127)))
        allowed.insert(charactersIn: "*-._ ")
        return text.addingPercentEncoding(withAllowedCharacters: allowed)!.replacingOccurrences(of: " ", with: "+")
    }
}
