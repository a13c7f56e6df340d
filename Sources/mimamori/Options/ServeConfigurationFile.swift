import ArgumentParser
import Foundation
import TOMLKit

/// `mimamori.toml`: `serve`'s settings in a file (`serve --config FILE`), read with TOMLKit.
/// Each key is the long name of a `serve` option, its value of the option's kind:
///
/// ```toml
/// data = "/var/lib/mimamori/data"
/// host = "127.0.0.1"
/// port = 8080
/// public-url = ["https://mimamori.example.lg.jp"]
/// access-log = true
/// replicate = "s3://mimamori-replica/primary?endpoint=https://s3.example.lg.jp"
/// ```
///
/// The file becomes arguments placed before those of the command line, so a flag given there
/// overrides the file (a list option adds to it). The file is hostile input like any other:
/// at most 1 MiB, unknown keys and values of the wrong kind are refused with the key named.
enum ServeConfigurationFile {
    enum Kind {
        case text, integer, texts, flag
    }

    /// Every option of `serve` a file may set (all but --config itself).
    static let keys: [String: Kind] = [
        "data": .text, "dictionaries": .text, "secrets-key": .text, "audit-key": .text, "audit-checkpoints": .text, "host": .text, "port": .integer,
        "threads": .integer, "connections-per-address": .integer, "public-url": .texts, "header-timeout": .integer,
        "body-timeout": .integer, "min-body-rate": .integer, "tls-cert": .text, "tls-key": .text, "access-log": .flag,
        "webhook-allow-network": .texts, "replicate": .text, "litestream": .text,
        "litestream-socket": .text, "replication-lag-limit": .integer,
    ]

    /// The arguments of `serve …` with those of the file named by `--config` put first;
    /// `arguments` unchanged when it is not `serve` or names no configuration file.
    /// - Throws: a usage error naming the file and what is wrong in it.
    static func expand(_ arguments: [String]) throws -> [String] {
        guard arguments.first == "serve" else { return arguments }
        var path: String?
        for (index, argument) in arguments.enumerated() {
            if argument == "--config", index + 1 < arguments.count { path = arguments[index + 1] }
            if argument.hasPrefix("--config=") { path = String(argument.dropFirst("--config=".count)) }
        }
        guard let path else { return arguments }
        return ["serve"] + (try self.arguments(fromFile: path)) + arguments.dropFirst()
    }

    /// The command-line arguments a configuration file stands for.
    static func arguments(fromFile path: String) throws -> [String] {
        guard let data = FileManager.default.contents(atPath: path), data.count <= 1 << 20,
            let text = String(data: data, encoding: .utf8)
        else {
            throw ValidationError("--config \(path): cannot read it as a UTF-8 text file of at most 1 MiB")
        }
        let table: TOMLTable
        do { table = try TOMLTable(string: text) } catch let error as TOMLParseError {
            throw ValidationError("--config \(path): line \(error.source.begin.line), column \(error.source.begin.column): \(error.description)")
        }
        var arguments: [String] = []
        for key in table.keys.sorted() {
            guard let kind = keys[key], let value = table[key] else {
                throw ValidationError(
                    "--config \(path): \"\(key.prefix(60))\" is not a serve option; the keys are \(keys.keys.sorted().joined(separator: ", "))")
            }
            switch kind {
            case .text:
                guard let string = value.string else { throw wrongKind(path, key, "a string") }
                arguments += ["--\(key)", string]
            case .integer:
                guard let number = value.int else { throw wrongKind(path, key, "an integer") }
                arguments += ["--\(key)", String(number)]
            case .texts:
                guard let array = value.array else { throw wrongKind(path, key, "an array of strings") }
                for element in array {
                    guard let string = element.string else { throw wrongKind(path, key, "an array of strings") }
                    arguments += ["--\(key)", string]
                }
            case .flag:
                guard let flag = value.bool else { throw wrongKind(path, key, "true or false") }
                arguments.append(flag ? "--\(key)" : "--no-\(key)")
            }
        }
        return arguments
    }

    private static func wrongKind(_ path: String, _ key: String, _ expected: String) -> ValidationError {
        ValidationError("--config \(path): \(key) must be \(expected)")
    }
}
