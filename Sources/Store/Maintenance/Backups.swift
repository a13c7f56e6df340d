package import Foundation
import SQLiteDB

/// Consistent backups of a store while it serves, and their restore (docs/operations.md).
///
/// A backup copies the catalogue and every partition with SQLite's online backup API at one
/// instant at which no transaction of any of them is in progress (`ConsistentCopy`): the
/// copies hold exactly what the files would hold after a power cut at that instant. The store
/// is built to come back whole from that: a restore opens the copy, and the recovery every
/// open runs finishes a cross-partition commit that was `committed` (a transfer between
/// prefectures is then applied in full), undoes one that was only `prepared`, and carries
/// outbox entries into the audit log. So a transfer in flight is in the restored store or not,
/// never half. The search index is not copied: it is derived, and rebuilt by the restore.
package struct Backups: StoreFeature {
    package let store: Store

    /// Copies every database file into `folder` (new or empty, made 0700, files 0600) with the
    /// audit checkpoints exported up to the copied audit head and the audit public key, and
    /// writes `manifest.json`. Audited as `store.backup`.
    /// - Parameters:
    ///   - checkpoints: the exported checkpoints to copy (lines after the copied head are left
    ///     out: they sign rows the copy does not hold).
    ///   - publicKey: the audit public key file to copy, when it exists (never the private key).
    /// - Throws: `.permissionDenied` for anyone but the local administrator; `.conflict` for a
    ///   folder that holds files; `.storage` for a copy that failed (the folder is then removed).
    package func write(
        to folder: URL, checkpoints: AuditCheckpointFolder?, publicKey: URL?, as actor: Actor
    ) throws(StoreError) -> BackupManifest {
        try store.require(.serviceData, as: actor, action: "store.backup")
        try Self.prepareEmptyFolder(folder, what: "backup")
        do {
            let manifest = try copy(to: folder, checkpoints: checkpoints, publicKey: publicKey)
            try Self.writeFile(manifest.encoded(), to: folder.appendingPathComponent(BackupManifest.fileName))
            try store.audit(
                actor: actor, action: "store.backup", target: nil,
                detail: "files=\(manifest.files.count) audit_head=\(manifest.auditHead?.sequence ?? 0)")
            return manifest
        } catch {
            try? FileManager.default.removeItem(at: folder)
            throw error
        }
    }

    private func copy(to folder: URL, checkpoints: AuditCheckpointFolder?, publicKey: URL?) throws(StoreError) -> BackupManifest {
        // A partition created while the locks were being taken would be missing from the copy
        // (with a commit the catalogue says is committed): the set is checked at the instant.
        for _ in 0..<10 {
            let codes = store.existingPartitions()
            let names = [BackupManifest.catalogueName] + codes.map(Store.partitionFileName)
            let files = names.map {
                (source: store.dataDirectory.appendingPathComponent($0).path, destination: folder.appendingPathComponent($0).path)
            }
            var head: BackupManifest.AuditHead?
            let copied = try ConsistentCopy.copy(
                files, as: StoreError.self, atInstant: { store.existingPartitions() == codes },
                reading: { index, connection throws(StoreError) in
                    guard index == 0 else { return }
                    head = try connection.first("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1") {
                        BackupManifest.AuditHead(sequence: $0.int(0), hash: $0.text(1))
                    }
                })
            guard copied else { continue }
            var entries: [BackupManifest.File] = []
            for name in names { entries.append(try Self.describe(name, in: folder)) }
            if let checkpoints { entries += try copyCheckpoints(checkpoints, upTo: head?.sequence ?? 0, into: folder) }
            if let publicKey, FileManager.default.fileExists(atPath: publicKey.path) {
                let data: Data
                do { data = try Data(contentsOf: publicKey) } catch {
                    throw StoreError(.storage, "cannot read the audit public key \(publicKey.path): \(error.localizedDescription)")
                }
                try Self.writeFile(data, to: folder.appendingPathComponent(BackupManifest.publicKeyName))
                entries.append(try Self.describe(BackupManifest.publicKeyName, in: folder))
            }
            return BackupManifest(
                format: BackupManifest.currentFormat, takenAt: Timestamp.now(), sqliteVersion: SQLiteLibrary.version, files: entries,
                auditHead: head)
        }
        throw StoreError(.storage, "partitions kept being created during the backup; try again")
    }

    /// The exported checkpoint lines that sign rows up to `sequence`, one file per month as exported.
    private func copyCheckpoints(_ source: AuditCheckpointFolder, upTo sequence: Int, into folder: URL) throws(StoreError) -> [BackupManifest.File] {
        var byFile: [String: [AuditCheckpoint]] = [:]
        for line in try source.lines() {
            guard let checkpoint = line.checkpoint, checkpoint.sequence <= sequence else { continue }
            byFile[line.file, default: []].append(checkpoint)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var files: [BackupManifest.File] = []
        for (file, checkpoints) in byFile.sorted(by: { $0.key < $1.key }) {
            let name = BackupManifest.checkpointFolder + "/" + file
            guard BackupManifest.isAllowed(name) else { continue }
            var data = Data()
            for checkpoint in checkpoints {
                guard let line = try? encoder.encode(checkpoint) else { continue }
                data += line + Data("\n".utf8)
            }
            try Self.writeFile(data, to: folder.appendingPathComponent(name))
            files.append(try Self.describe(name, in: folder))
        }
        return files
    }

    // MARK: Restore

    /// Checks every file of the backup in `source` against its manifest, then copies them into
    /// `target` (new or empty; with `force`, the store files in it are replaced) and disowns the
    /// cross-partition commits the copy holds, so that the next open recovers them. The caller
    /// then opens the store there (running the recovery), checks it and rebuilds the index.
    /// - Throws: `.invalidInput` for a manifest or file that does not match; `.conflict` for a
    ///   target that holds files without `force`.
    package static func restore(from source: URL, to target: URL, force: Bool) throws(StoreError) -> BackupManifest {
        let manifest = try BackupManifest.read(source.appendingPathComponent(BackupManifest.fileName))
        for file in manifest.files {
            let path = source.appendingPathComponent(file.name).path
            var status = stat()
            guard lstat(path, &status) == 0, status.st_mode & S_IFMT == S_IFREG else {
                throw StoreError(.invalidInput, "\(path): missing, or not a regular file")
            }
            let (digest, size) = try Secret.sha256(ofFile: path)
            guard size == file.size, digest == file.sha256 else {
                throw StoreError(
                    .invalidInput, "\(path) does not match the manifest (\(size) bytes, SHA-256 \(digest.prefix(12))…): the backup is damaged")
            }
        }
        try prepareRestoreTarget(target, force: force)
        for file in manifest.files {
            let data: Data
            do { data = try Data(contentsOf: source.appendingPathComponent(file.name)) } catch {
                throw StoreError(.storage, "cannot read \(file.name): \(error.localizedDescription)")
            }
            try writeFile(data, to: target.appendingPathComponent(file.name))
        }
        try disownCommits(in: target)
        return manifest
    }

    /// Creates the restore target (0700), or checks that it holds no files; with `force`, the
    /// store files in it (databases, their WAL, the index, exported checkpoints) are removed first.
    /// - Throws: `.conflict` for a target that holds files without `force`.
    package static func prepareRestoreTarget(_ target: URL, force: Bool) throws(StoreError) {
        if force { try removeStoreFiles(in: target) }
        try prepareEmptyFolder(target, what: "restore target")
    }

    /// Marks the interrupted cross-partition commits and transfer confirmations of a copied
    /// catalogue as owned by no running process, so the next open finishes or undoes them (the
    /// recovery leaves alone those of a process it sees running, and the process id in the
    /// copy is another host's or another copy's).
    package static func disownCommits(in dataDirectory: URL) throws(StoreError) {
        let catalogue = try Database(
            path: dataDirectory.appendingPathComponent(BackupManifest.catalogueName).path, migrations: CatalogueSchema.migrations)
        try catalogue.write { connection throws(StoreError) in
            try connection.run("UPDATE commits SET owner_pid = 0 WHERE state IN ('prepared', 'committed')")
            try connection.run("UPDATE transfers SET confirming_pid = 0 WHERE state = 'confirming'")
        }
    }

    /// The store's database files (and their WAL and shared-memory files) in `folder`, removed.
    private static func removeStoreFiles(in folder: URL) throws(StoreError) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return }
        for name in names {
            let base = name.replacingOccurrences(of: "-wal", with: "").replacingOccurrences(of: "-shm", with: "")
            guard BackupManifest.isAllowed(base) || ["index.sqlite", AuditViews.fileName, BackupManifest.checkpointFolder].contains(base)
            else { continue }
            do { try FileManager.default.removeItem(at: folder.appendingPathComponent(name)) } catch {
                throw StoreError(.storage, "cannot remove \(name) from \(folder.path): \(error.localizedDescription)")
            }
        }
    }

    /// Creates `folder` (0700) or checks that it is empty.
    private static func prepareEmptyFolder(_ folder: URL, what: String) throws(StoreError) {
        if let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) {
            let held = names.filter { $0 != "lost+found" && $0 != "keys" }
            guard held.isEmpty else {
                throw StoreError(
                    .conflict,
                    "the \(what) folder \(folder.path) already holds files (\(held.sorted().prefix(3).joined(separator: ", "))…); name a new or empty folder"
                        + (what == "restore target" ? ", or pass --force to replace the store in it" : ""))
            }
        }
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw StoreError(.storage, "cannot create \(folder.path): \(error.localizedDescription)")
        }
    }

    /// Writes `data` to a temporary name beside `url`, syncs it, and renames it into place (mode 0600).
    private static func writeFile(_ data: Data, to url: URL) throws(StoreError) {
        do {
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw StoreError(.storage, "cannot create \(url.deletingLastPathComponent().path): \(error.localizedDescription)")
        }
        let temporary = url.path + ".partial"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard descriptor >= 0 else { throw StoreError(.storage, "cannot create \(temporary): \(String(cString: strerror(errno)))") }
        let written = data.withUnsafeBytes { bytes -> Bool in
            var offset = 0
            while offset < bytes.count {
                let count = Foundation.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if count < 0, errno == EINTR { continue }
                guard count > 0 else { return false }
                offset += count
            }
            return true
        }
        let synced = fsync(descriptor) == 0
        close(descriptor)
        guard written, synced, rename(temporary, url.path) == 0 else {
            unlink(temporary)
            throw StoreError(.storage, "cannot write \(url.path): \(String(cString: strerror(errno)))")
        }
    }

    /// The manifest entry of a file written into the backup folder (made 0600 on the way).
    private static func describe(_ name: String, in folder: URL) throws(StoreError) -> BackupManifest.File {
        let path = folder.appendingPathComponent(name).path
        chmod(path, 0o600)
        let (digest, size) = try Secret.sha256(ofFile: path)
        return BackupManifest.File(name: name, size: size, sha256: digest)
    }
}

extension Backups {
    /// The hash of audit row `sequence`, nil when there is no such row (a restore checks the
    /// manifest's head against it).
    package func auditHash(at sequence: Int, as actor: Actor) throws(StoreError) -> String? {
        try store.require(.serviceData, as: actor, action: "audit.read")
        return try catalogue.read { connection throws(StoreError) in
            try connection.first("SELECT hash FROM audit_log WHERE id = ?", [sequence]) { $0.text(0) }
        }
    }
}
