package import Foundation

/// A signed statement of the audit log's head: the last row (`sequence`), its chain hash, how
/// many rows and case links (`audit_cases`) the log held up to it, and when. Signed with the
/// audit key (`AuditSigningKey`), kept in the catalogue and exported as one JSON line to the
/// checkpoint folder (`AuditCheckpointFolder`), so a log shortened, rewritten or stripped of
/// case links before it no longer matches a signature nobody without the key can make.
package struct AuditCheckpoint: Sendable, Hashable, Codable {
    /// The last audit row covered.
    package let sequence: Int
    /// That row's chain hash (which covers every row before it).
    package let hash: String
    /// The audit rows up to `sequence`.
    package let count: Int
    /// The case links (`audit_cases` rows) of those rows.
    package let links: Int
    package let at: String
    /// The signer's Ed25519 public key, hex.
    package let key: String
    /// The Ed25519 signature of `message`, hex.
    package let signature: String

    enum CodingKeys: String, CodingKey {
        case sequence = "seq", hash, count, links, at, key, signature = "sig"
    }

    /// The signed bytes: a fixed label and each field on its own line.
    package static func message(sequence: Int, hash: String, count: Int, links: Int, at: String) -> [UInt8] {
        Array("mimamori audit checkpoint v1\nseq=\(sequence)\nhash=\(hash)\ncount=\(count)\nlinks=\(links)\nat=\(at)\n".utf8)
    }

    /// A new checkpoint signed with `key`.
    init(sequence: Int, hash: String, count: Int, links: Int, at: String, signedWith key: AuditSigningKey) {
        self.sequence = sequence
        self.hash = hash
        self.count = count
        self.links = links
        self.at = at
        self.key = key.publicKey.hex
        signature = key.sign(Self.message(sequence: sequence, hash: hash, count: count, links: links, at: at))
    }

    init(sequence: Int, hash: String, count: Int, links: Int, at: String, key: String, signature: String) {
        self.sequence = sequence
        self.hash = hash
        self.count = count
        self.links = links
        self.at = at
        self.key = key
        self.signature = signature
    }

    /// Whether one of `keys` signed this checkpoint as it stands.
    package func isSigned(byOneOf keys: [AuditPublicKey]) -> Bool {
        guard let signer = AuditPublicKey(hex: key), keys.contains(signer) else { return false }
        return signer.verifies(signature, of: Self.message(sequence: sequence, hash: hash, count: count, links: links, at: at))
    }

    /// How the operator is told which checkpoint: its time and the row it covers.
    package var name: String { "checkpoint of \(at) (row \(sequence))" }
}

/// The folder checkpoints are exported to, one JSON line each, appended to a file per month
/// (`2026-05.jsonl`). Meant to be on other storage than the data folder (another disk, a
/// mount the database host can only append to), so that deleting audit rows and their
/// catalogue checkpoints does not delete the evidence that they existed.
package struct AuditCheckpointFolder: Sendable {
    package let url: URL

    package init(_ url: URL) {
        self.url = url
    }

    /// One exported line, where it was, and the checkpoint it holds (nil: not a checkpoint).
    package struct Line: Sendable {
        package let file: String
        package let number: Int
        package let checkpoint: AuditCheckpoint?

        /// How the operator is told which line.
        package var name: String { "\(file) line \(number)" }
    }

    /// Appends `checkpoint` as one line, in one `write`, and syncs it to disk.
    func append(_ checkpoint: AuditCheckpoint) throws(StoreError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let json = try? encoder.encode(checkpoint) else { throw StoreError(.storage, "cannot encode an audit checkpoint") }
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o750])
        } catch {
            throw StoreError(.storage, "cannot create the audit checkpoint folder \(url.path): \(error.localizedDescription)")
        }
        let file = url.appendingPathComponent("\(checkpoint.at.prefix(7)).jsonl")
        let isNew = !FileManager.default.fileExists(atPath: file.path)
        let descriptor = open(file.path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o640)
        guard descriptor >= 0 else {
            throw StoreError(.storage, "cannot open the audit checkpoint file \(file.path): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        let line = Array(json) + [UInt8(ascii: "\n")]
        guard write(descriptor, line, line.count) == line.count, fsync(descriptor) == 0 else {
            throw StoreError(.storage, "cannot write the audit checkpoint file \(file.path): \(String(cString: strerror(errno)))")
        }
        if isNew {  // the new file's name is on disk too
            let folder = open(url.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            if folder >= 0 {
                _ = fsync(folder)
                close(folder)
            }
        }
    }

    /// Every exported line, oldest file first; none when the folder does not exist.
    package func lines() throws(StoreError) -> [Line] {
        guard FileManager.default.fileExists(atPath: url.path) else { return [] }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: url.path).filter { $0.hasSuffix(".jsonl") }.sorted()
        } catch {
            throw StoreError(.storage, "cannot list the audit checkpoint folder \(url.path): \(error.localizedDescription)")
        }
        var lines: [Line] = []
        for name in names {
            guard let data = FileManager.default.contents(atPath: url.appendingPathComponent(name).path) else {
                throw StoreError(.storage, "cannot read the audit checkpoint file \(url.appendingPathComponent(name).path)")
            }
            for (index, text) in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() where !text.isEmpty {
                lines.append(Line(file: name, number: index + 1, checkpoint: try? JSONDecoder().decode(AuditCheckpoint.self, from: Data(text))))
            }
        }
        return lines
    }
}
