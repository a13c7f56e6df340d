/// Who checkpoints a database's WAL into the file.
///
/// See https://www.sqlite.org/wal.html#ckpt and https://litestream.io/tips/ (Litestream reads
/// the WAL before it is checkpointed away, so while it replicates a file it must own
/// checkpointing: the application neither auto-checkpoints nor truncates the WAL on close).
package enum CheckpointOwner: Sendable, Hashable {
    /// This process: SQLite's automatic checkpoints (every 1000 pages), and a TRUNCATE
    /// checkpoint when the `Database` closes.
    case application
    /// Another process (Litestream): automatic checkpoints and checkpoint-on-close are off.
    case external
}
