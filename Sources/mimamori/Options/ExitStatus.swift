import ArgumentParser
import Store

/// Exit codes scripts can rely on (besides ArgumentParser's 64 for a usage error), from
/// sysexits.h: one table for every command.
enum ExitStatus {
    /// The input was invalid; nothing was written.
    static let invalidData = ExitCode(65)
    /// The store could not be opened or written.
    static let storeFailure = ExitCode(70)
    /// A later attempt may succeed (a locked sign-in).
    static let temporaryFailure = ExitCode(75)
    /// The actor may not do this.
    static let permissionDenied = ExitCode(77)
    /// The installation is misconfigured (no dictionaries, a data folder that cannot be created).
    static let configuration = ExitCode(78)

    /// The exit status a Store error ends any command with.
    static func code(for error: StoreError) -> ExitCode {
        switch error.kind {
        case .invalidInput, .notFound, .conflict, .stale, .unsupportedMedia: invalidData
        case .permissionDenied, .secondFactorNeeded: permissionDenied
        case .tooManyAttempts: temporaryFailure
        case .storage: storeFailure
        case .configuration: configuration
        }
    }
}
