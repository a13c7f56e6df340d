import Foundation
import Logging

/// Keeps other local accounts out of the data folder: `serve` sets its umask to 077 (files it
/// creates from then on are 0600, folders 0700) and, at start, tightens the folder (0700) and
/// the files and folders directly in it (0600 / 0700) that others could read, with one notice
/// per change. It refuses to serve a folder another account owns: fixing that is the
/// operator's decision (docs/operations.md).
enum DataFolderPermissions {
    /// - Throws: a usage error when the folder belongs to another account.
    static func enforce(_ folder: URL, logger: Logger) throws {
        umask(0o077)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        var status = stat()
        guard stat(folder.path, &status) == 0 else { return }
        guard status.st_uid == geteuid() else {
            throw StoreFolderError(
                "the data folder \(folder.path) belongs to user id \(status.st_uid), not to this account (\(geteuid())); chown it to the service account"
            )
        }
        tighten(folder.path, to: 0o700, status: status, logger: logger)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        for name in names {
            let path = folder.appendingPathComponent(name).path
            var entry = stat()
            guard lstat(path, &entry) == 0, entry.st_uid == geteuid() else { continue }
            switch entry.st_mode & S_IFMT {
            case S_IFDIR: tighten(path, to: 0o700, status: entry, logger: logger)
            case S_IFREG: tighten(path, to: 0o600, status: entry, logger: logger)
            default: continue
            }
        }
    }

    private static func tighten(_ path: String, to mode: mode_t, status: stat, logger: Logger) {
        let current = status.st_mode & 0o777
        // Only bits for the group and others are taken away; the owner's stay as they are.
        guard current & 0o077 != 0 else { return }
        let tightened = current & mode
        if chmod(path, tightened) == 0 {
            logger.notice(
                "data folder permissions tightened: others had access",
                metadata: ["path": "\(path)", "was": "\(String(current, radix: 8))", "now": "\(String(tightened, radix: 8))"])
        } else {
            logger.error(
                "cannot tighten the permissions of a data file", metadata: ["path": "\(path)", "error": "\(String(cString: strerror(errno)))"])
        }
    }

    /// Why `serve` refused the data folder.
    struct StoreFolderError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}
