import Foundation
import MimamoriTesting
import SQLiteDB
import Testing

@testable import Store

/// The catalogue's secrets (TOTP secrets, webhook signing secrets) sealed under a key kept
/// outside the data folder: never in the clear in the files, opened for sign-in and
/// signatures, a missing or wrong key refused, plaintext of an older store sealed on open.
struct SecretsAtRestTests {
    static let password = "correct horse battery"
    static let webhookSecret = "a-signing-secret-of-32-characters"

    /// A worker with a confirmed second factor; answers its TOTP secret.
    static func enrol(_ store: Store, login: String = "kanda") throws -> [UInt8] {
        try store.users.create(
            login: login, authority: "131016", role: .worker, displayName: "神田 一郎", password: password, as: .localAdministrator)
        let actor = Actor.user(login: login, authority: "131016", role: .worker)
        let secret = try #require(Base32.decode(try store.secondFactors.begin(as: actor).secret))
        // Confirmed with the previous step's code, so the current one still signs in.
        let previous = TOTP.code(secret: secret, step: TOTP.step(at: Date()) - 1)
        _ = try store.secondFactors.confirm(code: previous, as: actor)
        return secret
    }

    /// The bytes of the catalogue and its WAL.
    static func catalogueBytes(_ data: URL) -> [UInt8] {
        ["catalogue.sqlite", "catalogue.sqlite-wal"].flatMap { name in
            (FileManager.default.contents(atPath: data.appendingPathComponent(name).path)).map { [UInt8]($0) } ?? []
        }
    }

    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, haystack.count >= needle.count else { return false }
        let first = needle[0]
        var index = 0
        while let found = haystack[index...].firstIndex(of: first), found + needle.count <= haystack.count {
            if Array(haystack[found..<(found + needle.count)]) == needle { return true }
            index = found + 1
        }
        return false
    }

    @Test("after enrolment and a webhook secret, neither is in the catalogue's bytes (file and WAL); sign-in and signatures still work")
    func noPlaintextOnDisk() throws {
        let test = try TestStore()
        let store = test.store
        let secret = try Self.enrol(store)
        try store.settings.update(
            of: "131016", AuthoritySettings(webhookURL: "https://example.invalid/hook", webhookSecret: Self.webhookSecret),
            as: .localAdministrator)
        let bytes = Self.catalogueBytes(test.dataDirectory)
        #expect(bytes.count > 0)
        #expect(!Self.contains(bytes, secret))
        #expect(!Self.contains(bytes, Array(Self.webhookSecret.utf8)))
        #expect(!Self.contains(bytes, Array(TOTP.base32(secret).utf8)))

        // The key file is beside the data folder, not in it, and only its owner reads it.
        let keyFile = test.folder.url.appendingPathComponent("data.key")
        #expect(store.secretsKey.file.path == keyFile.standardizedFileURL.path)
        let attributes = try FileManager.default.attributesOfItem(atPath: keyFile.path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)

        // Sign-in with the current code works, and the webhook signs with the secret as given.
        let code = TOTP.code(secret: secret, step: TOTP.step(at: Date()))
        #expect(try store.users.authenticate(login: "kanda", password: Self.password, secondFactor: code) != nil)
        #expect(try store.settings.stored(of: "131016").webhookSecret == Self.webhookSecret)
        let reopened = try test.reopen()
        #expect(try reopened.secondFactors.secret(of: "kanda", confirmed: true) == secret)
        #expect(try reopened.settings.stored(of: "131016").webhookSecret == Self.webhookSecret)
        let delivery = WebhookDelivery(id: 1, authority: "131016", url: "", secret: Self.webhookSecret, payload: Array("{}".utf8), attempts: 0)
        #expect(delivery.signature == "sha256=" + Secret.hmacSHA256(key: Self.webhookSecret, message: Array("{}".utf8)))
    }

    @Test("a missing key file refuses to open with the file named, and is not replaced by a new key")
    func missingKeyRefused() throws {
        let test = try TestStore()
        _ = try Self.enrol(test.store)
        let keyFile = test.store.secretsKey.file
        try FileManager.default.removeItem(at: keyFile)
        let error = try #require(throws: StoreError.self) { try test.reopen() }
        #expect(error.kind == .configuration)
        #expect(error.description.contains("the secrets key \(keyFile.path) does not exist"), "\(error.description)")
        #expect(!FileManager.default.fileExists(atPath: keyFile.path))
    }

    @Test("a wrong key refuses to open with the file named")
    func wrongKeyRefused() throws {
        let test = try TestStore()
        _ = try Self.enrol(test.store)
        let other = test.folder.file("other.key")
        #expect(FileManager.default.createFile(atPath: other.path, contents: Data((String(repeating: "ab", count: 32) + "\n").utf8)))
        chmod(other.path, 0o600)
        let error = try #require(throws: StoreError.self) {
            try Store(dataDirectory: test.dataDirectory, dictionaries: TestStore.dictionaries, secretsKey: other)
        }
        #expect(error.kind == .configuration)
        #expect(error.description.contains("the secrets key \(other.path) does not open 1 of the 1 sealed secrets"), "\(error.description)")
        // A key others can read is refused too.
        chmod(other.path, 0o644)
        let readable = try #require(throws: StoreError.self) {
            try Store(dataDirectory: test.dataDirectory, dictionaries: TestStore.dictionaries, secretsKey: other)
        }
        #expect(readable.description.contains("can be read by others"))
    }

    @Test("plaintext secrets of an older store are sealed when it opens, and still work")
    func plaintextMigrated() throws {
        let test = try TestStore()
        let store = test.store
        try store.users.create(
            login: "kanda", authority: "131016", role: .worker, displayName: "神田 一郎", password: Self.password, as: .localAdministrator)
        let secret = TOTP.newSecret()
        // As a store before sealing wrote them, with no key file yet.
        try store.catalogue.write { connection throws(StoreError) in
            try connection.run(
                "INSERT INTO second_factors (login, secret, created_at, confirmed_at) VALUES ('kanda', ?, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
                [SQLValue.blob(secret)])
            try connection.run(
                "INSERT INTO settings (authority, webhook_url, webhook_secret) VALUES ('131016', 'https://example.invalid/hook', ?)",
                [Self.webhookSecret])
        }
        try FileManager.default.removeItem(at: store.secretsKey.file)

        let reopened = try test.reopen()
        #expect(FileManager.default.fileExists(atPath: reopened.secretsKey.file.path))
        let (totp, webhook) = try reopened.catalogue.read { connection throws(StoreError) in
            (
                try connection.first("SELECT secret FROM second_factors WHERE login = 'kanda'") { $0.blob(0) },
                try connection.first("SELECT webhook_secret FROM settings WHERE authority = '131016'") { $0.text(0) }
            )
        }
        #expect(try SecretsKey.isSealed(#require(totp)) && totp?.first == SecretsKey.version)
        #expect(try #require(webhook).hasPrefix(SecretsKey.textPrefix) && SecretsKey.sealedBytes(ofText: webhook ?? "") != nil)
        #expect(try reopened.secondFactors.secret(of: "kanda", confirmed: true) == secret)
        #expect(try reopened.settings.stored(of: "131016").webhookSecret == Self.webhookSecret)
        let code = TOTP.code(secret: secret, step: TOTP.step(at: Date()))
        #expect(try reopened.users.authenticate(login: "kanda", password: Self.password, secondFactor: code) != nil)
        // Opened again, the sealed values open with the key (nothing left to migrate).
        #expect(try test.reopen().settings.stored(of: "131016").webhookSecret == Self.webhookSecret)
    }
}
