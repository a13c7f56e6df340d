/// Who is acting: every read and write of case data names one, and is checked and
/// audited against it.
package enum Actor: Sendable, Hashable, CustomStringConvertible {
    /// The operator at the server's own command line (direct access to the data folder),
    /// e.g. `mimamori import` without `--as`. Audited like anyone.
    case localAdministrator
    /// A user acting for exactly one authority.
    case user(login: String, authority: String, role: Role)

    package enum Role: String, Sendable, Hashable, Codable {
        case worker, supervisor, administrator, ministry, systemOperator = "operator"
    }

    /// The authority the actor acts for, if any.
    package var authority: String? {
        switch self {
        case .localAdministrator: nil
        case .user(_, let authority, _): authority
        }
    }

    /// How the audit log names the actor.
    package var description: String {
        switch self {
        case .localAdministrator: "local-administrator"
        case .user(let login, let authority, _): "\(login)@\(authority)"
        }
    }
}
