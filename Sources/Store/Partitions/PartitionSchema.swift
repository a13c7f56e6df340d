/// A prefecture's partition (`pref-13.sqlite`): the cases held by that prefecture's
/// authorities, their change log for the search index, and rows staged by cross-partition
/// commits.
enum PartitionSchema {
    static let migrations: [Migration] = [
        Migration(version: 1, name: "cases, changes, staged", sql: """
            CREATE TABLE cases (
                id TEXT PRIMARY KEY,
                holder TEXT NOT NULL,
                external_id TEXT NOT NULL,
                status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
                version INTEGER NOT NULL CHECK (version >= 1),
                body TEXT NOT NULL CHECK (json_valid(body)),
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                UNIQUE (holder, external_id)
            ) STRICT;

            -- The outbox the search index follows: one row per case change, written in the
            -- same transaction as the change.
            CREATE TABLE changes (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                case_id TEXT NOT NULL,
                kind TEXT NOT NULL CHECK (kind IN ('upsert', 'delete')),
                at TEXT NOT NULL
            ) STRICT;

            CREATE TABLE staged (
                commit_id TEXT NOT NULL,
                seq INTEGER NOT NULL,
                op TEXT NOT NULL CHECK (op IN ('upsert', 'insert', 'delete')),
                case_id TEXT NOT NULL,
                holder TEXT NOT NULL,
                external_id TEXT NOT NULL,
                status TEXT NOT NULL,
                body TEXT NOT NULL,
                version INTEGER NOT NULL,
                created_at TEXT NOT NULL,
                PRIMARY KEY (commit_id, seq)
            ) STRICT;
            """),
    ]
}
