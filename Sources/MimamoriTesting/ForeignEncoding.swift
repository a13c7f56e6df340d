package import Foundation

/// Text encoded by another program (Python's own codecs, not ICU), the way a spreadsheet
/// saved on Windows arrives: so that the project's decoding is checked against an independent
/// implementation.
package enum ForeignEncoding {
    /// `text` in `encoding` (a Python codec name: `cp932`, `utf-8`), with a UTF-8 BOM if asked.
    package static func bytes(_ text: String, encoding: String, bom: Bool = false) throws -> [UInt8] {
        let folder = TemporaryDirectory("foreign-encoding")
        let source = folder.url.appendingPathComponent("text.utf8")
        let target = folder.url.appendingPathComponent("text.out")
        try text.write(to: source, atomically: true, encoding: .utf8)
        let run = try CommandRun.program(
            URL(fileURLWithPath: "/usr/bin/python3"),
            [
                "-c",
                "import sys; data = open(sys.argv[1], encoding='utf-8', newline='').read().encode(sys.argv[3]); "
                    + "open(sys.argv[2], 'wb').write((b'\\xef\\xbb\\xbf' if sys.argv[4] == '1' else b'') + data)",
                source.path, target.path, encoding, bom ? "1" : "0",
            ])
        guard run.status == 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: run.standardError]) }
        return Array(try Data(contentsOf: target))
    }
}
