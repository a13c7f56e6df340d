import Foundation
import MimamoriTesting
import Store
import Testing

struct JSONParserTests {
    @Test(
        "valid JSON parses to the expected value",
        arguments: [
            (#"{}"#, JSONValue.object([:])),
            (#"[]"#, .array([])),
            (#"null"#, .null),
            (#"true"#, .bool(true)),
            (#"false"#, .bool(false)),
            (#"0"#, .number(0)),
            (#"-0.5"#, .number(-0.5)),
            (#"1e3"#, .number(1000)),
            (#"12.5E-2"#, .number(0.125)),
            (#""""#, .string("")),
            (#""山田\u3000太郎""#, .string("山田\u{3000}太郎")),
            (#""\ud83d\ude00""#, .string("😀")),
            (#""a\"b\\c\/d\b\f\n\r\t""#, .string("a\"b\\c/d\u{8}\u{C}\n\r\t")),
            (
                #"{"a": [1, 2, {"b": null}], "c": "ｻﾄｳ"}"#,
                .object(["a": .array([.number(1), .number(2), .object(["b": .null])]), "c": .string("ｻﾄｳ")])
            ),
            ("  {\"a\" :\t1 }\r\n", .object(["a": .number(1)])),
            (#"{"a": 1, "a": 2}"#, .object(["a": .number(2)])),
        ])
    func parses(text: String, expected: JSONValue) throws {
        #expect(try JSONParser.parse(Array(text.utf8)) == expected)
    }

    @Test(
        "malformed JSON fails with where and why",
        arguments: [
            (#"{"a": 1"#, "end of input"),
            (#"{"a" 1}"#, "expected ':'"),
            (#"{"a": 1,}"#, "expected a key"),
            (#"[1, 2"#, "end of input"),
            (#"[1 2]"#, "expected ',' or ']'"),
            (#"{a: 1}"#, "expected a key"),
            (#"'single'"#, "unexpected character"),
            (#""unterminated"#, "end of input"),
            ("\"tab\there\"", "control character"),
            (#""\x""#, "invalid escape"),
            (#""\u12G4""#, #"invalid \u escape"#),
            (#""\ud83d""#, "surrogate"),
            (#""\ude00""#, "surrogate"),
            (#"01"#, "after the JSON value"),
            (#"-"#, "end of input"),
            (#"1."#, "digits must follow"),
            (#"1e"#, "digits must follow"),
            (#"tru"#, "end of input"),
            (#"nul!"#, "invalid literal"),
            (#"{} {}"#, "after the JSON value"),
            (#""#, "end of input"),
        ])
    func rejectsMalformed(text: String, reason: String) {
        #expect {
            _ = try JSONParser.parse(Array(text.utf8))
        } throws: { error in
            (error as? JSONParser.Failure)?.reason.contains(reason) == true
        }
    }

    @Test("deep nesting is refused instead of exhausting the stack")
    func deepNesting() {
        let deep = String(repeating: "[", count: 1_000_000)
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(Array(deep.utf8)) }
        let ok = String(repeating: "[", count: JSONParser.maxDepth) + String(repeating: "]", count: JSONParser.maxDepth)
        #expect(throws: Never.self) { try JSONParser.parse(Array(ok.utf8)) }
    }

    @Test("random JSON-ish text never crashes the parser, and it accepts exactly what Foundation accepts")
    func fuzz() {
        var generator = SplitMix64(seed: 2026)
        let alphabet = Array(#"{}[]":,.-+eE0123456789 \ntrufalsn\u山ｻ"#.unicodeScalars)
        for _ in 0..<20_000 {
            let length = generator.next(in: 0...40)
            var text = ""
            for _ in 0..<length { text.unicodeScalars.append(alphabet[generator.next(in: 0...alphabet.count - 1)]) }
            let bytes = Array(text.utf8)
            let ours = (try? JSONParser.parse(bytes)) != nil
            let theirs = (try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])) != nil
            #expect(ours == theirs, "\(text)")
        }
    }
}
