/// When a committed transaction reaches the disk (`PRAGMA synchronous`).
///
/// See https://www.sqlite.org/pragma.html#pragma_synchronous.
package enum Synchronous: String, Sendable {
    /// Before `COMMIT` returns (`FULL`): every file of record.
    case full = "FULL"
    /// At the next checkpoint (`NORMAL`, in WAL mode): a crash may lose the last commits but
    /// never leaves the file inconsistent. Only for files derived from others, which can
    /// redo what they lost (`AuditViews`).
    case normal = "NORMAL"
}
