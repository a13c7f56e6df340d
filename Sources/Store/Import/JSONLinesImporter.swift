package import Foundation
import Logging

/// Imports a JSON Lines file of case records, all or nothing: every line is validated, each
/// bad line is reported with its number and reason, and nothing is written unless every
/// line is good.
package struct JSONLinesImporter {
    package struct LineError: Sendable, Hashable, Encodable, CustomStringConvertible {
        package let line: Int
        package let message: String
        package var description: String { "line \(line): \(message)" }
    }

    package struct Report: Sendable {
        /// Non-blank lines read.
        package var records = 0
        package var errors: [LineError] = []
        /// Errors beyond those kept in `errors` (the first `maxReportedErrors`).
        package var unreportedErrors = 0
        package var counts = ApplyCounts()
        package var committed = false
        package var errorCount: Int { errors.count + unreportedErrors }
    }

    package struct Progress: Sendable {
        package let lines: Int
        package let bytesRead: Int
        package let totalBytes: Int
    }

    package static let maxLineBytes = 1 << 20
    package static let maxReportedErrors = 1000

    let store: Store
    let actor: Actor
    let validator: RecordValidator

    package init(store: Store, actor: Actor, validator: RecordValidator? = nil) {
        self.store = store
        self.actor = actor
        self.validator = validator ?? RecordValidator(directory: store.directory)
    }

    /// Validates and (unless `dryRun`) imports the file.
    /// - Throws: `StoreError` only for failures of the store itself; bad lines are in the report.
    package func run(
        _ url: URL, dryRun: Bool = false, progress: ((Progress) -> Void)? = nil
    ) throws(StoreError) -> Report {
        let totalBytes = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
        var reader = try LineReader(url: url, maxLineBytes: Self.maxLineBytes)
        let session = dryRun ? nil : try store.cases.beginImport(as: actor)
        var report = Report()
        var firstLine: [String: Int] = [:]  // "authority\u{0}external_id" → line number
        func fail(_ line: Int, _ message: String) {
            if report.errors.count < Self.maxReportedErrors {
                report.errors.append(LineError(line: line, message: message))
            } else {
                report.unreportedErrors += 1
            }
        }
        do {
            let pipeline = LinePipeline(validator: validator, encodeBodies: session != nil)
            try pipeline.run(&reader) { outcome, bytesRead throws(StoreError) in
                switch outcome {
                case .blank:
                    return
                case .tooLong(let number, let bytes):
                    report.records += 1
                    fail(number, "the line is \(bytes) bytes long; one record may be at most \(Self.maxLineBytes) bytes")
                case .invalid(let number, let message):
                    report.records += 1
                    fail(number, message)
                case .valid(let number, let record, let body):
                    report.records += 1
                    let key = record.authority + "\u{0}" + record.externalID
                    if let earlier = firstLine[key] {
                        fail(number, "external_id \(record.externalID) of authority \(record.authority) already appears on line \(earlier)")
                    } else {
                        firstLine[key] = number
                        if report.errorCount == 0, let session, let body {
                            do throws(StoreError) {
                                try session.add(record, body: body)
                            } catch  where error.kind == .permissionDenied || error.kind == .invalidInput {
                                fail(number, error.description)
                            }
                        }
                    }
                }
                if let progress, report.records % 1000 == 0 {
                    progress(Progress(lines: report.records, bytesRead: bytesRead, totalBytes: totalBytes))
                }
            }
            guard let session, report.errorCount == 0 else {
                try session?.abort()
                return report
            }
            report.counts = try session.commit(detail: "file=\(url.lastPathComponent)")
            report.committed = true
            return report
        } catch {
            // The staged rows are discarded here, or by the recovery of the next start.
            do { try session?.abort() } catch let abort {
                store.logger.error("an import's staged rows could not be discarded; the next start discards them", metadata: ["error": "\(abort)"])
            }
            throw error
        }
    }

    /// The offset of the first byte that breaks UTF-8, or nil if the bytes are valid.
    static func invalidUTF8Offset(_ bytes: ArraySlice<UInt8>) -> Int? {
        // The standard library's validation is far faster than decoding scalar by scalar;
        // the offset is looked for only in a line that is not valid.
        if String(validating: bytes, as: UTF8.self) != nil { return nil }
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var offset = 0
        var consumed = 0
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                offset += UTF8.width(scalar)
                consumed = offset
            case .emptyInput:
                return nil
            case .error:
                return consumed
            }
        }
    }
}
