import Foundation
import MimamoriTesting
import Store
import Testing

/// The secrets key with the real commands: a backup does not hold it, and a restore whose key
/// does not open the restored secrets stops with the key file named.
@Suite(.serialized)
struct SecretsKeyCommandTests {
    @Test("restore without the secrets key stops (exit 78) naming the key file; with --secrets-key it restores")
    func restoreNeedsTheKey() throws {
        let test = try TestStore()
        try test.store.settings.update(
            of: "131016", AuthoritySettings(webhookURL: "https://example.invalid/hook", webhookSecret: "a-signing-secret-of-32-characters"),
            as: .localAdministrator)
        let folder = test.folder.url
        let backup = folder.appendingPathComponent("backup")
        let backedUp = try CommandRun.mimamori(["backup", "--data", test.dataDirectory.path, "--to", backup.path])
        #expect(backedUp.status == 0, "\(backedUp.standardError)")
        let names = try FileManager.default.contentsOfDirectory(atPath: backup.path)
        #expect(!names.contains { $0.hasSuffix(".key") }, "\(names)")

        let target = folder.appendingPathComponent("restored")
        let refused = try CommandRun.mimamori(["restore", "--from", backup.path, "--to", target.path])
        #expect(refused.status == 78, "\(refused.standardError)")
        #expect(refused.standardError.contains("the secrets key \(target.path).key does not exist"), "\(refused.standardError)")
        #expect(!FileManager.default.fileExists(atPath: target.path + ".key"))

        let restored = try CommandRun.mimamori([
            "restore", "--from", backup.path, "--to", target.path, "--force", "--secrets-key", test.store.secretsKey.file.path,
        ])
        #expect(restored.status == 0, "\(restored.standardError)")
    }
}
