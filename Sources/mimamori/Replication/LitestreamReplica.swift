import ArgumentParser
import Foundation

/// Where Litestream replicates the store: a replica URL (`file:///srv/replica`,
/// `s3://bucket/mimamori?endpoint=https://s3.example.lg.jp`, `sftp://user@host/path`), under
/// which each database file has its own replica named after it (`…/catalogue.sqlite`,
/// `…/pref-13.sqlite`). The search index is not replicated: it is rebuilt from the partitions
/// on restore (docs/operations.md).
struct LitestreamReplica {
    let url: URLComponents

    /// The schemes Litestream 0.5 replicates to that make sense here.
    static let schemes: Set<String> = ["file", "s3", "sftp", "gs", "abs", "webdav", "webdavs", "nats"]

    /// - Throws: a usage error naming what is wrong with `text`.
    init(_ text: String, option: String) throws {
        guard let url = URLComponents(string: text), let scheme = url.scheme?.lowercased(), Self.schemes.contains(scheme),
            !url.path.isEmpty
                || url.host?.isEmpty == false
        else {
            throw ValidationError(
                "\(option) \(text): not a Litestream replica URL (file:///srv/replica, s3://bucket/path?endpoint=…, sftp://user@host/path)")
        }
        guard !text.contains("\n"), !text.contains("\"") else { throw ValidationError("\(option): the URL holds a newline or a quote") }
        self.url = url
    }

    /// The replica URL of one database file (its name appended to the path, the query kept).
    func url(of file: String) -> String {
        var components = url
        components.path = (components.path.hasSuffix("/") ? components.path : components.path + "/") + file
        return components.string ?? ""
    }

    /// A Litestream configuration replicating the catalogue and every partition in `data`
    /// (partitions created later included: the folder is watched), and nothing else, with its
    /// control socket at `socket` (owner only), where `serve` reads each file's last sync.
    func configuration(data: URL, socket: String?) -> String {
        let folder = data.standardizedFileURL.path
        let control =
            socket.map {
                """
                socket:
                  enabled: true
                  path: \(Self.quoted($0))
                  permissions: 384  # 0600

                """
            } ?? ""
        return """
            # Written by mimamori serve --replicate: the catalogue and each partition, each to its own replica.
            \(control)dbs:
              - path: \(Self.quoted(folder + "/catalogue.sqlite"))
                replica:
                  url: \(Self.quoted(url(of: "catalogue.sqlite")))
                  sync-interval: 1s
              - dir: \(Self.quoted(folder))
                pattern: "pref-*.sqlite"
                watch: true
                replica:
                  url: \(Self.quoted(url(of: "")))
                  sync-interval: 1s

            """
    }

    /// A YAML double-quoted scalar (JSON's string syntax is YAML's).
    private static func quoted(_ text: String) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return (try? encoder.encode(text)).map { String(decoding: $0, as: UTF8.self) } ?? "\"\""
    }
}
