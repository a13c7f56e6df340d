import Foundation
import Synchronization

/// Named points where a test may have the process kill itself with SIGKILL
/// (`MIMAMORI_CRASH_AT=<point>`) or pause once for two seconds (`MIMAMORI_PAUSE_AT=<point>`),
/// to prove that every step of a multi-step write recovers and that concurrent processes do
/// not disturb each other. Unset (always, outside tests), `reach` does nothing.
enum FaultInjection {
    private static let crashPoint = ProcessInfo.processInfo.environment["MIMAMORI_CRASH_AT"]
    private static let pausePoint = ProcessInfo.processInfo.environment["MIMAMORI_PAUSE_AT"]
    private static let paused = Atomic(false)

    static func reach(_ point: String) {
        if let crashPoint, crashPoint == point { kill(getpid(), SIGKILL) }
        if let pausePoint, pausePoint == point, !paused.exchange(true, ordering: .relaxed) {
            Thread.sleep(forTimeInterval: 2)
        }
    }
}
