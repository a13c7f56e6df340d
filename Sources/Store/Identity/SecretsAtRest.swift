import Foundation
import Logging
import SQLiteDB

/// The secrets the catalogue keeps, sealed under the `SecretsKey` when the Store opens: the
/// key is checked against every sealed value (a missing or wrong key stops the Store, never
/// replaced by a new one), and plaintext values an older store wrote are sealed, in one
/// transaction.
enum SecretsAtRest {
    static let totpColumn = "second_factors.secret"
    static let webhookColumn = "settings.webhook_secret"

    /// A stored secret: its column, its row's key, and its value as stored (TEXT values as their UTF-8 bytes).
    private struct Value {
        let column: String
        let row: String
        let stored: [UInt8]
        let sealed: [UInt8]?
    }

    /// Checks the key against the sealed secrets and seals plaintext ones.
    /// - Throws: `.configuration` naming the key file when sealed secrets exist and the key
    ///   file is missing or does not open them, or when the key is needed and cannot be created.
    static func prepare(_ catalogue: Database, key: SecretsKey, catalogueFile: String, logger: Logger) throws(StoreError) {
        let values = try catalogue.read { connection throws(StoreError) in
            let totp = try connection.query("SELECT login, secret FROM second_factors") { row in
                let stored = row.blob(1)
                return Value(column: totpColumn, row: row.text(0), stored: stored, sealed: SecretsKey.isSealed(stored) ? stored : nil)
            }
            let webhooks = try connection.query("SELECT authority, webhook_secret FROM settings WHERE webhook_secret IS NOT NULL") { row in
                let text = row.text(1)
                return Value(column: webhookColumn, row: row.text(0), stored: Array(text.utf8), sealed: SecretsKey.sealedBytes(ofText: text))
            }
            return totp + webhooks
        }
        let sealed = values.filter { $0.sealed != nil }
        let plaintext = values.filter { $0.sealed == nil }
        if !sealed.isEmpty {
            guard let bytes = try key.loaded() else {
                throw StoreError(
                    .configuration,
                    "the secrets key \(key.file.path) does not exist, but \(catalogueFile) holds \(sealed.count) secrets sealed with a key (TOTP secrets, webhook signing secrets): put the key file backed up with this data folder there, or name it with --secrets-key; a new key would not open them"
                )
            }
            let unopened = sealed.filter { SecretsKey.unseal($0.sealed ?? [], key: bytes, column: $0.column, row: $0.row) == nil }.count
            guard unopened == 0 else {
                throw StoreError(
                    .configuration,
                    "the secrets key \(key.file.path) does not open \(unopened) of the \(sealed.count) sealed secrets in \(catalogueFile): it is not the key they were sealed with; put the right key file there (it is backed up separately from the data folder) or name it with --secrets-key"
                )
            }
        } else if plaintext.isEmpty {
            // Nothing to seal yet: the key is made now where possible, else when the first secret is stored.
            do { try key.loadOrCreate() } catch {
                logger.warning("the secrets key cannot be created yet; storing a secret will fail until it can", metadata: ["error": "\(error)"])
            }
            return
        }
        guard !plaintext.isEmpty else { return }
        try key.loadOrCreate()
        try catalogue.write { connection throws(StoreError) in
            try connection.run("PRAGMA secure_delete = ON")
            for value in plaintext {
                if value.column == totpColumn {
                    try connection.run(
                        "UPDATE second_factors SET secret = ? WHERE login = ?",
                        [SQLValue.blob(try key.seal(value.stored, column: value.column, row: value.row)), value.row.sqlValue])
                } else {
                    let text = String(decoding: value.stored, as: UTF8.self)
                    try connection.run(
                        "UPDATE settings SET webhook_secret = ? WHERE authority = ?",
                        [try key.sealText(text, column: value.column, row: value.row), value.row])
                }
            }
            try connection.run("PRAGMA secure_delete = OFF")
        }
        logger.notice("sealed the plaintext secrets of an older store under the secrets key", metadata: ["count": "\(plaintext.count)"])
    }
}
