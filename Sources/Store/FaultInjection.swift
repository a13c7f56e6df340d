import Foundation

/// Named points where a crash test may have the process kill itself with SIGKILL, to prove
/// that every point of a multi-step write recovers. Set `MIMAMORI_CRASH_AT=<point>`; unset
/// (always, outside tests), `reach` does nothing.
enum FaultInjection {
    private static let target = ProcessInfo.processInfo.environment["MIMAMORI_CRASH_AT"]

    static func reach(_ point: String) {
        guard let target, target == point else { return }
        kill(getpid(), SIGKILL)
    }
}
