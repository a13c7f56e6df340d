import ArgumentParser
import Foundation
import Store

struct UserCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Manage users (the local administrator's access; audited).",
        subcommands: [Add.self, List.self, Disable.self, Enable.self, Unlock.self, Role.self, Password.self, ResetSecondFactor.self]
    )

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a user. The password is read from standard input with --password-stdin, else generated and printed once.")

        @OptionGroup var options: DataOptions
        @Option(help: "Login: 3–64 characters of a–z, 0–9, '.', '_', '-'.") var login: String
        @Option(help: "The authority the user acts for, e.g. 130001-01.") var authority: String
        @Option(help: "worker, supervisor, administrator, ministry or operator.") var role: String
        @Option(help: "The name shown to other users.") var name: String
        @Flag(help: "Read the password from the first line of standard input.") var passwordStdin = false

        func run() throws {
            guard let parsedRole = Actor.Role(rawValue: role) else {
                throw ValidationError("--role must be worker, supervisor, administrator, ministry or operator")
            }
            let (password, generated) = try UserCommand.password(fromStandardInput: passwordStdin)
            let user = try options.openStore().users.create(
                login: login, authority: authority, role: parsedRole, displayName: name, password: password, as: .localAdministrator)
            print("Created \(user.login) (\(user.role.rawValue) at \(user.authority)).")
            if generated { print("Password (shown once): \(password)") }
        }
    }

    struct Password: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Reset a user's password and end its sessions and tokens. The new one is read with --password-stdin, else generated and printed once."
        )
        @OptionGroup var options: DataOptions
        @Argument(help: "The login.") var login: String
        @Flag(help: "Read the password from the first line of standard input.") var passwordStdin = false

        func run() throws {
            let (password, generated) = try UserCommand.password(fromStandardInput: passwordStdin)
            try options.openStore().users.changePassword(of: login, current: nil, new: password, as: .localAdministrator)
            print("Reset the password of \(login); its sessions and tokens have ended.")
            if generated { print("Password (shown once): \(password)") }
        }
    }

    /// The first line of standard input, or a generated password (20 characters without look-alikes).
    static func password(fromStandardInput: Bool) throws -> (password: String, generated: Bool) {
        if fromStandardInput {
            guard let line = readLine(strippingNewline: true) else { throw ValidationError("no password on standard input") }
            return (line, false)
        }
        let alphabet = Array("abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var random = SystemRandomNumberGenerator()
        return (String((0..<20).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }), true)
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List users, of one authority or all.")
        @OptionGroup var options: DataOptions
        @Option(help: "Only this authority's users.") var authority: String?

        func run() throws {
            for user in try options.openStore().users.list(of: authority, as: .localAdministrator) {
                print(
                    [user.login, user.authority, user.role.rawValue, user.displayName, user.disabled ? "disabled" : "active"]
                        .joined(separator: "\t"))
            }
        }
    }

    struct Enable: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Enable a disabled user again (its old sessions and tokens stay ended).")
        @OptionGroup var options: DataOptions
        @Argument(help: "The login.") var login: String

        func run() throws {
            try options.openStore().users.enable(login, as: .localAdministrator)
            print("Enabled \(login).")
        }
    }

    struct Unlock: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Lift the lock that failed sign-ins put on a login.")
        @OptionGroup var options: DataOptions
        @Argument(help: "The login.") var login: String

        func run() throws {
            try options.openStore().users.unlock(login, as: .localAdministrator)
            print("Unlocked \(login).")
        }
    }

    struct ResetSecondFactor: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reset-second-factor",
            abstract: "Remove a user's second factor (a lost device); where one is required, the next sign-in sets up a new one.")
        @OptionGroup var options: DataOptions
        @Argument(help: "The login.") var login: String

        func run() throws {
            try options.openStore().secondFactors.reset(login, as: .localAdministrator)
            print("The second factor of \(login) is removed.")
        }
    }

    struct Role: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change a user's role (worker, supervisor, administrator; ministry and operator for the ministry's users).")
        @OptionGroup var options: DataOptions
        @Argument(help: "The login.") var login: String
        @Argument(help: "The new role.") var role: String

        func run() throws {
            guard let newRole = Actor.Role(rawValue: role) else {
                throw ValidationError("role must be worker, supervisor, administrator, ministry or operator")
            }
            try options.openStore().users.setRole(of: login, to: newRole, as: .localAdministrator)
            print("\(login) is now \(newRole.rawValue).")
        }
    }

    struct Disable: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable a user: it can no longer sign in, and its sessions and tokens end.")
        @OptionGroup var options: DataOptions
        @Argument(help: "The login.") var login: String

        func run() throws {
            try options.openStore().users.disable(login, as: .localAdministrator)
            print("Disabled \(login); its sessions and tokens have ended.")
        }
    }
}
