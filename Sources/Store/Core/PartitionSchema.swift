import SQLiteDB

/// A prefecture's partition (`pref-13.sqlite`): the cases held by that prefecture's
/// authorities, their change log for the search index, and rows staged by cross-partition
/// commits.
enum PartitionSchema {
    static let migrations: [Migration] = [
        Migration(
            version: 1, name: "cases, changes, staged",
            sql: """
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
        // Notes (by the holder or a partner) and attachments travel with their case: a move
        // between partitions stages them beside the case row (see Store+Commit).
        Migration(
            version: 2, name: "notes, attachments",
            sql: """
                CREATE TABLE notes (
                    id TEXT PRIMARY KEY,
                    case_id TEXT NOT NULL,
                    at TEXT NOT NULL,
                    author TEXT NOT NULL,
                    authority TEXT NOT NULL,
                    text TEXT NOT NULL
                ) STRICT;
                CREATE INDEX notes_by_case ON notes (case_id, at);

                CREATE TABLE attachments (
                    id TEXT PRIMARY KEY,
                    case_id TEXT NOT NULL,
                    media_type TEXT NOT NULL,
                    name TEXT NOT NULL,
                    size INTEGER NOT NULL,
                    sha256 TEXT NOT NULL,
                    content BLOB NOT NULL,
                    at TEXT NOT NULL,
                    author TEXT NOT NULL,
                    authority TEXT NOT NULL
                ) STRICT;
                CREATE INDEX attachments_by_case ON attachments (case_id);

                -- A case's notes and attachments staged with it by a move (applied with its 'insert').
                CREATE TABLE staged_notes (
                    commit_id TEXT NOT NULL,
                    id TEXT NOT NULL,
                    case_id TEXT NOT NULL,
                    at TEXT NOT NULL,
                    author TEXT NOT NULL,
                    authority TEXT NOT NULL,
                    text TEXT NOT NULL,
                    PRIMARY KEY (commit_id, id)
                ) STRICT;
                CREATE TABLE staged_attachments (
                    commit_id TEXT NOT NULL,
                    id TEXT NOT NULL,
                    case_id TEXT NOT NULL,
                    media_type TEXT NOT NULL,
                    name TEXT NOT NULL,
                    size INTEGER NOT NULL,
                    sha256 TEXT NOT NULL,
                    content BLOB NOT NULL,
                    at TEXT NOT NULL,
                    author TEXT NOT NULL,
                    authority TEXT NOT NULL,
                    PRIMARY KEY (commit_id, id)
                ) STRICT;
                """),
        // The staff UI pages through an authority's own cases (a CGC holds tens of thousands) in
        // each order it offers; the expressions are those of `Store.cases(heldBy:as:matching:)`.
        Migration(
            version: 3, name: "case list orders",
            sql: """
                CREATE INDEX cases_by_holder_updated ON cases (holder, updated_at, id);
                CREATE INDEX cases_by_holder_status_updated ON cases (holder, status, updated_at, id);
                CREATE INDEX cases_by_holder_created ON cases (holder, created_at, id);
                CREATE INDEX cases_by_holder_reading ON cases (
                    holder, json_extract(body, '$.child.family_name_kana'), json_extract(body, '$.child.given_name_kana'), id);
                CREATE INDEX cases_by_holder_birthdate ON cases (
                    holder, json_extract(body, '$.child.birthdate') IS NULL, json_extract(body, '$.child.birthdate'), id);
                """),
        // The outbox of a case write: its audit entry and notifications, written in the case's own
        // transaction and carried into the catalogue afterwards (`Outbox`), so that a crash
        // between the two files cannot leave a write the audit log and the partners never hear of.
        Migration(
            version: 4, name: "outbox",
            sql: """
                CREATE TABLE outbox (
                    seq INTEGER PRIMARY KEY,
                    id TEXT NOT NULL UNIQUE,
                    record TEXT NOT NULL CHECK (json_valid(record))
                ) STRICT;
                """),
        // Packed bodies (`CaseBody`): `body` becomes a BLOB, the record's JSON packed with raw
        // deflate; rows written before keep their JSON as it is (read as such). What the staff
        // UI's case list orders and filters by, once expressions over the JSON, is kept beside
        // it in columns derived from the JSON when a body is written (`CaseBody.listColumns`).
        Migration(
            version: 5, name: "packed bodies",
            sql: """
                CREATE TABLE cases_packed (
                    id TEXT PRIMARY KEY,
                    holder TEXT NOT NULL,
                    external_id TEXT NOT NULL,
                    status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
                    version INTEGER NOT NULL CHECK (version >= 1),
                    body BLOB NOT NULL,
                    created_at TEXT NOT NULL,
                    updated_at TEXT NOT NULL,
                    child_family_kana TEXT,
                    child_given_kana TEXT,
                    child_birthdate TEXT,
                    list_text TEXT NOT NULL,
                    address_municipality TEXT,
                    abuse_types TEXT,
                    UNIQUE (holder, external_id)
                ) STRICT;
                INSERT INTO cases_packed
                    SELECT id, holder, external_id, status, version, CAST(body AS BLOB), created_at, updated_at,
                        \(CaseBody.listValues(json: "body", externalID: "external_id"))
                    FROM cases;
                DROP TABLE cases;
                ALTER TABLE cases_packed RENAME TO cases;
                CREATE INDEX cases_by_holder_updated ON cases (holder, updated_at, id);
                CREATE INDEX cases_by_holder_status_updated ON cases (holder, status, updated_at, id);
                CREATE INDEX cases_by_holder_created ON cases (holder, created_at, id);
                CREATE INDEX cases_by_holder_reading ON cases (holder, child_family_kana, child_given_kana, id);
                CREATE INDEX cases_by_holder_birthdate ON cases (holder, child_birthdate IS NULL, child_birthdate, id);
                """),
        // The list orders break ties by rowid, which every index entry holds anyway, instead of
        // the case id (a 36-character UUID) repeated in each of the five indexes.
        Migration(
            version: 6, name: "list indexes without the case id",
            sql: """
                DROP INDEX cases_by_holder_updated;
                DROP INDEX cases_by_holder_status_updated;
                DROP INDEX cases_by_holder_created;
                DROP INDEX cases_by_holder_reading;
                DROP INDEX cases_by_holder_birthdate;
                CREATE INDEX cases_by_holder_updated ON cases (holder, updated_at);
                CREATE INDEX cases_by_holder_status_updated ON cases (holder, status, updated_at);
                CREATE INDEX cases_by_holder_created ON cases (holder, created_at);
                CREATE INDEX cases_by_holder_reading ON cases (holder, child_family_kana, child_given_kana);
                CREATE INDEX cases_by_holder_birthdate ON cases (holder, child_birthdate IS NULL, child_birthdate);
                """),
        // The holder's progress management of a case (担当者, 要対協 category, risk, 次回確認日,
        // 支援方針) and the history of its support plans, moved with the case like its notes.
        Migration(
            version: 7, name: "case progress",
            sql: """
                CREATE TABLE case_progress (
                    case_id TEXT PRIMARY KEY,
                    category TEXT CHECK (category IN ('protected', 'support', 'expectant')),
                    assignee TEXT,
                    risk TEXT CHECK (risk IN ('low', 'medium', 'high', 'critical')),
                    next_review TEXT,
                    plan TEXT,
                    updated_at TEXT NOT NULL,
                    updated_by TEXT NOT NULL
                ) STRICT;
                CREATE INDEX case_progress_by_review ON case_progress (next_review);
                CREATE TABLE plan_history (
                    id TEXT PRIMARY KEY,
                    case_id TEXT NOT NULL,
                    at TEXT NOT NULL,
                    author TEXT NOT NULL,
                    authority TEXT NOT NULL,
                    plan TEXT NOT NULL
                ) STRICT;
                CREATE INDEX plan_history_by_case ON plan_history (case_id, at);
                CREATE TABLE staged_progress (
                    commit_id TEXT NOT NULL,
                    case_id TEXT NOT NULL,
                    category TEXT,
                    assignee TEXT,
                    risk TEXT,
                    next_review TEXT,
                    plan TEXT,
                    updated_at TEXT NOT NULL,
                    updated_by TEXT NOT NULL,
                    PRIMARY KEY (commit_id, case_id)
                ) STRICT;
                CREATE TABLE staged_plan_history (
                    commit_id TEXT NOT NULL,
                    case_id TEXT NOT NULL,
                    id TEXT NOT NULL,
                    at TEXT NOT NULL,
                    author TEXT NOT NULL,
                    authority TEXT NOT NULL,
                    plan TEXT NOT NULL,
                    PRIMARY KEY (commit_id, id)
                ) STRICT;
                """),
        // A case as it stood when a transfer took it from its holder (who keeps reading that, not
        // the new holder's later edits), in the former holder's own partition.
        Migration(
            version: 8, name: "former records",
            sql: """
                CREATE TABLE former_records (
                    case_id TEXT NOT NULL,
                    former_holder TEXT NOT NULL,
                    transfer_id TEXT NOT NULL,
                    version INTEGER NOT NULL,
                    created_at TEXT NOT NULL,
                    body TEXT NOT NULL,
                    notes TEXT NOT NULL,
                    left_at TEXT NOT NULL,
                    PRIMARY KEY (case_id, former_holder, transfer_id)
                ) STRICT;
                """),
        // A case voided as entered by mistake (registered twice, the wrong child): taken out of
        // `cases`, so no read, list, export or search sees it, and kept here for the audit with
        // who voided it, when and why. Its notes and attachments stay where they are.
        Migration(
            version: 9, name: "voided cases",
            sql: """
                CREATE TABLE voided_cases (
                    id TEXT PRIMARY KEY,
                    holder TEXT NOT NULL,
                    external_id TEXT NOT NULL,
                    status TEXT NOT NULL,
                    version INTEGER NOT NULL,
                    body BLOB NOT NULL,
                    created_at TEXT NOT NULL,
                    updated_at TEXT NOT NULL,
                    voided_at TEXT NOT NULL,
                    voided_by TEXT NOT NULL,
                    reason TEXT NOT NULL
                ) STRICT;
                CREATE INDEX voided_cases_by_holder ON voided_cases (holder, voided_at);
                """),
        // A bulk import stages each body once, as it will be stored: packed by the import's
        // workers, with the list columns derived from its JSON when it is staged, so that the
        // apply step inserts new cases with one `INSERT … SELECT` (`CrossPartitionCommit`).
        // Rows staged without them (`packed` NULL: moves, older rows) keep their JSON in `body`.
        Migration(
            version: 10, name: "staged packed bodies",
            sql: """
                ALTER TABLE staged ADD COLUMN packed BLOB;
                ALTER TABLE staged ADD COLUMN child_family_kana TEXT;
                ALTER TABLE staged ADD COLUMN child_given_kana TEXT;
                ALTER TABLE staged ADD COLUMN child_birthdate TEXT;
                ALTER TABLE staged ADD COLUMN list_text TEXT;
                ALTER TABLE staged ADD COLUMN address_municipality TEXT;
                ALTER TABLE staged ADD COLUMN abuse_types TEXT;
                """),
    ]
}
