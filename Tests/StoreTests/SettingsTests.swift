import Foundation
import MimamoriTesting
import Testing

@testable import Store

/// An authority's settings as its users read them: the webhook's signing secret never leaves
/// the Store on a read, and a change that does not name a new secret keeps the stored one.
struct SettingsTests {
    @Test("a read says a webhook secret is set without answering it; saving without a new secret keeps it; removing the URL removes it")
    func webhookSecretStaysInTheStore() throws {
        let store = try TestStore().store
        let admin = Actor.user(login: "admin", authority: "131016", role: .administrator)
        let secret = "a-signing-secret-of-32-characters"
        try store.settings.update(of: "131016", AuthoritySettings(webhookURL: "https://example.invalid/hook", webhookSecret: secret), as: admin)
        var read = try store.settings.read(of: "131016", as: .user(login: "worker", authority: "131016", role: .worker)).settings
        #expect(read.webhookSecret == nil && read.webhookSecretSet)
        // The form sends the settings back without a secret: the stored one stays.
        read.grantDays = 30
        try store.settings.update(of: "131016", read, as: admin)
        #expect(try store.settings.read(of: "131016", as: admin).settings.webhookSecretSet)
        #expect(try store.settings.stored(of: "131016").webhookSecret == secret)
        // A webhook without any secret is refused; without a URL the secret goes.
        #expect(throws: StoreError.self) {
            try store.settings.update(of: "131024", AuthoritySettings(webhookURL: "https://example.invalid/hook"), as: .localAdministrator)
        }
        read.webhookURL = nil
        try store.settings.update(of: "131016", read, as: admin)
        #expect(try !store.settings.read(of: "131016", as: admin).settings.webhookSecretSet)
    }
}
