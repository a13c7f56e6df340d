import ArgumentParser
import Store

struct DemoLoginsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo-logins",
        abstract:
            "Create the demo users (one per role and kind of authority) and the demo's waiting workflows if missing, and print them with a fresh API token.",
        discussion: "For demo data only: every demo user shares one password, printed here."
    )

    @OptionGroup var options: DataOptions
    @Option(help: "Where the server will answer, for the printed examples.") var url = "http://127.0.0.1:8080"

    static let password = "mimamori-demo-2026"

    /// Login, authority, role, name.
    static let users: [(String, String, Actor.Role, String)] = [
        ("cgc-tokyo", "130001-01", .worker, "東京都児童相談センター 職員"),
        ("chiyoda", "131016", .worker, "千代田区 職員 (東京都児童相談センター管内)"),
        ("sapporo", "011002", .worker, "札幌市 職員 (管外の市町村)"),
        ("cgc-osaka", "271004-01", .worker, "大阪市児童相談所 職員 (他の児童相談所)"),
        ("cgc-tokyo-supervisor", "130001-01", .supervisor, "東京都児童相談センター 係長"),
        ("cgc-tokyo-admin", "130001-01", .administrator, "東京都児童相談センター 管理者"),
        ("ministry", Authority.ministryCode, .ministry, "こども家庭庁 職員"),
    ]

    func run() throws {
        let store = try options.openStore()
        let existing = Set(try store.users.list(of: nil, as: .localAdministrator).map(\.login))
        for (login, authority, role, name) in Self.users where !existing.contains(login) {
            try store.users.create(
                login: login, authority: authority, role: role, displayName: name, password: Self.password, as: .localAdministrator)
        }
        let waiting = try DemoScenario.play(on: store)
        let token = try store.tokens.create(for: "cgc-tokyo", label: "demo", days: 7, as: .localAdministrator).token
        print("Demo logins (password for all: \(Self.password)):")
        for (login, authority, role, name) in Self.users { print("  \(login)\t\(role.rawValue)\t\(authority)\t\(name)") }
        print("API token for cgc-tokyo (7 days): \(token)")
        print("Staff web UI: \(url)/ (sign in with any login above)")
        print("  ministry must sign in with a second factor: its first sign-in sets one up with an authenticator app (TOTP)")
        print("Try: curl -H 'Authorization: Bearer \(token)' '\(url)/api/v1/search?q=%E3%81%95%E3%81%A8%E3%81%86%202018'")
        print("A family's move through the API: scripts/demo-move.sh \(url)")
        if !waiting.isEmpty {
            print("Waiting in the demo, by login:")
            for line in waiting { print("  \(line)") }
        }
    }
}
