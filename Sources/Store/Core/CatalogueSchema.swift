import SQLiteDB

/// The national catalogue database (`catalogue.sqlite`): the authority directory, the
/// journal of writes that span partitions, and the audit log. Users, notifications and
/// transfers arrive as further migrations with their issues.
enum CatalogueSchema {
    static let migrations: [Migration] = [
        Migration(
            version: 1, name: "directory, commits, audit",
            sql: """
                CREATE TABLE meta (
                    key TEXT PRIMARY KEY,
                    value TEXT NOT NULL
                ) STRICT;

                CREATE TABLE authorities (
                    code TEXT PRIMARY KEY,
                    kind TEXT NOT NULL CHECK (kind IN ('prefecture', 'municipality', 'cgc', 'ministry')),
                    name TEXT NOT NULL,
                    prefecture_code TEXT NOT NULL,
                    contact TEXT
                ) STRICT;

                CREATE TABLE jurisdictions (
                    municipality_code TEXT PRIMARY KEY REFERENCES authorities (code),
                    cgc_code TEXT NOT NULL REFERENCES authorities (code) ON DELETE CASCADE
                ) STRICT;
                CREATE INDEX jurisdictions_by_cgc ON jurisdictions (cgc_code);

                -- A write that spans several partition files (an import, a move between prefectures).
                -- Rows are staged in each partition, then this row turns 'committed' (the commit point),
                -- then each partition applies its staged rows. Recovery on open applies what is
                -- committed and discards what is not. See docs/storage.md.
                CREATE TABLE commits (
                    id TEXT PRIMARY KEY,
                    kind TEXT NOT NULL,
                    state TEXT NOT NULL CHECK (state IN ('prepared', 'committed', 'done', 'aborted')),
                    actor TEXT NOT NULL,
                    -- The process writing it: recovery in another process leaves a live owner's commit alone.
                    owner_pid INTEGER NOT NULL,
                    created_at TEXT NOT NULL,
                    finished_at TEXT
                ) STRICT;

                CREATE TABLE audit_log (
                    id INTEGER PRIMARY KEY,
                    at TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    authority TEXT,
                    action TEXT NOT NULL,
                    target TEXT,
                    detail TEXT
                ) STRICT;
                """),
        Migration(
            version: 2, name: "users",
            sql: """
                CREATE TABLE users (
                    id INTEGER PRIMARY KEY,
                    login TEXT NOT NULL UNIQUE,
                    authority TEXT NOT NULL REFERENCES authorities (code),
                    role TEXT NOT NULL CHECK (role IN ('worker', 'supervisor', 'administrator', 'ministry', 'operator')),
                    display_name TEXT NOT NULL,
                    -- argon2id, libsodium's crypto_pwhash_str format; never the password itself.
                    password_hash TEXT NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
                    disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
                    created_at TEXT NOT NULL
                ) STRICT;
                CREATE INDEX users_by_authority ON users (authority);
                """),
        Migration(
            version: 3, name: "api tokens",
            sql: """
                CREATE TABLE tokens (
                    id INTEGER PRIMARY KEY,
                    login TEXT NOT NULL REFERENCES users (login),
                    -- BLAKE2b-256 of the token, hex; the token itself is shown once and never stored.
                    token_hash TEXT NOT NULL UNIQUE,
                    label TEXT NOT NULL,
                    created_at TEXT NOT NULL,
                    expires_at TEXT NOT NULL,
                    revoked_at TEXT
                ) STRICT;
                CREATE INDEX tokens_by_login ON tokens (login);
                """),
        // Each audit row carries SHA-256(previous row's hash, its own fields): changing,
        // inserting or deleting a row breaks the chain from there on (`mimamori audit verify`).
        Migration(
            version: 4, name: "audit chain",
            sql: """
                ALTER TABLE audit_log ADD COLUMN hash TEXT;
                """),
        // Failed sign-ins per login (known or not), for throttling.
        Migration(
            version: 5, name: "login failures",
            sql: """
                CREATE TABLE login_failures (
                    login TEXT PRIMARY KEY,
                    count INTEGER NOT NULL,
                    last_at TEXT NOT NULL
                ) STRICT;
                """),
        // Each holder's tightening of the default access rules; the cases each audit entry
        // names (with their holder), so a holder can list who looked its cases up; browser sessions.
        Migration(
            version: 6, name: "access rules, audit case references, sessions",
            sql: """
                CREATE TABLE access_rules (
                    authority TEXT NOT NULL REFERENCES authorities (code),
                    relation TEXT NOT NULL,
                    capabilities INTEGER NOT NULL,
                    PRIMARY KEY (authority, relation)
                ) STRICT;

                CREATE TABLE audit_cases (
                    audit_id INTEGER NOT NULL REFERENCES audit_log (id),
                    case_id TEXT NOT NULL,
                    holder TEXT NOT NULL,
                    PRIMARY KEY (case_id, audit_id)
                ) STRICT, WITHOUT ROWID;
                CREATE INDEX audit_cases_by_holder ON audit_cases (holder, audit_id);

                CREATE TABLE sessions (
                    -- BLAKE2b-256 of the session id, hex; the id itself lives only in the browser's cookie.
                    id_hash TEXT PRIMARY KEY,
                    login TEXT NOT NULL REFERENCES users (login),
                    created_at TEXT NOT NULL,
                    last_seen_at TEXT NOT NULL,
                    ended_at TEXT
                ) STRICT;
                CREATE INDEX sessions_by_login ON sessions (login);
                """),
        // Transfers between authorities (case transfer ケース移管 / information provision 情報提供),
        // the read grants a provision gives, and the cases flagged serious (重大事案).
        Migration(
            version: 7, name: "transfers, grants, flags",
            sql: """
                CREATE TABLE transfers (
                    id TEXT PRIMARY KEY,
                    case_id TEXT NOT NULL,
                    kind TEXT NOT NULL CHECK (kind IN ('transfer', 'provision')),
                    origin TEXT NOT NULL REFERENCES authorities (code),
                    destination TEXT NOT NULL REFERENCES authorities (code),
                    urgent INTEGER NOT NULL CHECK (urgent IN (0, 1)),
                    reason TEXT NOT NULL,
                    -- 'confirming' lasts only while a confirmed case transfer moves the record;
                    -- recovery settles it from where the case is.
                    state TEXT NOT NULL CHECK (state IN ('proposed', 'sent', 'confirming', 'confirmed', 'declined', 'withdrawn')),
                    case_version INTEGER NOT NULL,
                    created_by TEXT NOT NULL,
                    created_at TEXT NOT NULL,
                    updated_at TEXT NOT NULL
                ) STRICT;
                CREATE INDEX transfers_by_case ON transfers (case_id);
                CREATE INDEX transfers_by_origin ON transfers (origin, updated_at);
                CREATE INDEX transfers_by_destination ON transfers (destination, updated_at);

                CREATE TABLE transfer_events (
                    id INTEGER PRIMARY KEY,
                    transfer_id TEXT NOT NULL REFERENCES transfers (id),
                    at TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    event TEXT NOT NULL,
                    note TEXT
                ) STRICT;
                CREATE INDEX transfer_events_by_transfer ON transfer_events (transfer_id, id);

                CREATE TABLE grants (
                    case_id TEXT NOT NULL,
                    authority TEXT NOT NULL REFERENCES authorities (code),
                    transfer_id TEXT NOT NULL REFERENCES transfers (id),
                    expires_at TEXT NOT NULL,
                    PRIMARY KEY (case_id, authority, transfer_id)
                ) STRICT;

                CREATE TABLE case_flags (
                    case_id TEXT PRIMARY KEY,
                    serious INTEGER NOT NULL CHECK (serious IN (0, 1)),
                    flagged_by TEXT NOT NULL,
                    flagged_at TEXT NOT NULL
                ) STRICT;

                -- Per-authority settings; absent rows mean the defaults.
                CREATE TABLE settings (
                    authority TEXT PRIMARY KEY REFERENCES authorities (code),
                    approval_required INTEGER NOT NULL DEFAULT 0 CHECK (approval_required IN (0, 1)),
                    grant_days INTEGER NOT NULL DEFAULT 90 CHECK (grant_days BETWEEN 1 AND 3650)
                ) STRICT;
                """),
        // Each authority's inbox: references to cases and transfers, never their content.
        Migration(
            version: 8, name: "notifications",
            sql: """
                CREATE TABLE notifications (
                    id INTEGER PRIMARY KEY,
                    authority TEXT NOT NULL REFERENCES authorities (code),
                    kind TEXT NOT NULL,
                    case_id TEXT,
                    -- A transfer, request or alert id, or the other case of a match.
                    ref TEXT,
                    from_authority TEXT,
                    at TEXT NOT NULL,
                    read_at TEXT,
                    read_by TEXT
                ) STRICT;
                CREATE INDEX notifications_inbox ON notifications (authority, read_at, id);
                """),
        // Requests for a record found by search (a family moved without notice).
        Migration(
            version: 9, name: "information requests",
            sql: """
                CREATE TABLE information_requests (
                    id TEXT PRIMARY KEY,
                    case_id TEXT NOT NULL,
                    requester TEXT NOT NULL REFERENCES authorities (code),
                    holder TEXT NOT NULL REFERENCES authorities (code),
                    reason TEXT NOT NULL,
                    state TEXT NOT NULL CHECK (state IN ('requested', 'approved', 'declined')),
                    answer TEXT,
                    transfer_id TEXT REFERENCES transfers (id),
                    created_by TEXT NOT NULL,
                    created_at TEXT NOT NULL,
                    answered_by TEXT,
                    answered_at TEXT
                ) STRICT;
                CREATE INDEX information_requests_by_requester ON information_requests (requester, created_at);
                CREATE INDEX information_requests_by_holder ON information_requests (holder, created_at);
                """),
        // Missing-child alerts (CA情報) broadcast to every CGC, their answers, and which CGCs saw them.
        Migration(
            version: 10, name: "missing-child alerts",
            sql: """
                CREATE TABLE alerts (
                    id TEXT PRIMARY KEY,
                    case_id TEXT NOT NULL,
                    origin TEXT NOT NULL REFERENCES authorities (code),
                    state TEXT NOT NULL CHECK (state IN ('open', 'closed')),
                    -- The child's identity summary when the alert opened (JSON), so recipients never read the record.
                    profile TEXT NOT NULL CHECK (json_valid(profile)),
                    circumstances TEXT NOT NULL,
                    photo_attachment_id TEXT,
                    created_by TEXT NOT NULL,
                    created_at TEXT NOT NULL,
                    closed_by TEXT,
                    closed_at TEXT
                ) STRICT;
                CREATE INDEX alerts_by_case ON alerts (case_id, state);
                CREATE INDEX alerts_by_state ON alerts (state, created_at);

                CREATE TABLE alert_responses (
                    id INTEGER PRIMARY KEY,
                    alert_id TEXT NOT NULL REFERENCES alerts (id),
                    at TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    authority TEXT NOT NULL,
                    kind TEXT NOT NULL CHECK (kind IN ('located', 'information')),
                    text TEXT NOT NULL
                ) STRICT;
                CREATE INDEX alert_responses_by_alert ON alert_responses (alert_id, id);

                CREATE TABLE alert_views (
                    alert_id TEXT NOT NULL REFERENCES alerts (id),
                    authority TEXT NOT NULL,
                    first_seen_at TEXT NOT NULL,
                    PRIMARY KEY (alert_id, authority)
                ) STRICT, WITHOUT ROWID;
                """),
        // Match alerts: a newly registered child who is, by identity, a child in another
        // authority's open case (one row per pair, so each pair is told once).
        Migration(
            version: 11, name: "match alerts",
            sql: """
                CREATE TABLE match_alerts (
                    new_case TEXT NOT NULL,
                    new_holder TEXT NOT NULL,
                    existing_case TEXT NOT NULL,
                    existing_holder TEXT NOT NULL,
                    at TEXT NOT NULL,
                    PRIMARY KEY (new_case, existing_case)
                ) STRICT, WITHOUT ROWID;
                """),
        // How long an authority keeps its closed cases (NULL: until it decides otherwise).
        Migration(
            version: 12, name: "retention",
            sql: """
                ALTER TABLE settings ADD COLUMN retention_days INTEGER CHECK (retention_days BETWEEN 1 AND 36500);
                """),
        // Webhooks: each authority's endpoint and signing secret, and an outbox of deliveries
        // written with the notification, sent (and retried) by `serve`'s worker.
        Migration(
            version: 13, name: "webhooks",
            sql: """
                ALTER TABLE settings ADD COLUMN webhook_url TEXT;
                ALTER TABLE settings ADD COLUMN webhook_secret TEXT;
                CREATE TABLE webhook_deliveries (
                    id INTEGER PRIMARY KEY,
                    authority TEXT NOT NULL,
                    notification_id INTEGER NOT NULL REFERENCES notifications (id),
                    payload TEXT NOT NULL,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    next_attempt_at TEXT NOT NULL,
                    delivered_at TEXT,
                    failed_at TEXT,
                    last_error TEXT
                ) STRICT;
                CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE delivered_at IS NULL AND failed_at IS NULL;
                """),
        // The ministry's annual report forms (e.g. the CGC staffing survey) and each authority's submission.
        Migration(
            version: 14, name: "annual reports",
            sql: """
                CREATE TABLE report_forms (
                    id TEXT PRIMARY KEY,
                    year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2200),
                    title TEXT NOT NULL,
                    fields TEXT NOT NULL CHECK (json_valid(fields)),
                    published_by TEXT NOT NULL,
                    published_at TEXT NOT NULL
                ) STRICT;

                CREATE TABLE report_submissions (
                    form_id TEXT NOT NULL REFERENCES report_forms (id),
                    authority TEXT NOT NULL REFERENCES authorities (code),
                    answers TEXT NOT NULL CHECK (json_valid(answers)),
                    submitted_by TEXT NOT NULL,
                    submitted_at TEXT NOT NULL,
                    PRIMARY KEY (form_id, authority)
                ) STRICT;
                """),
        // Outbox entries of the partitions already carried into the audit log (each once, even
        // when a crash repeats the carrying).
        Migration(
            version: 15, name: "outbox carried",
            sql: """
                CREATE TABLE outbox_carried (
                    id TEXT PRIMARY KEY,
                    at TEXT NOT NULL
                ) STRICT, WITHOUT ROWID;
                """),
        // A serious-case flag asked for by ministry staff opens nothing until the holder confirms it.
        Migration(
            version: 16, name: "serious-case flag requests",
            sql: """
                ALTER TABLE case_flags ADD COLUMN state TEXT NOT NULL DEFAULT 'confirmed' CHECK (state IN ('requested', 'confirmed'));
                ALTER TABLE case_flags ADD COLUMN confirmed_by TEXT;
                ALTER TABLE case_flags ADD COLUMN confirmed_at TEXT;
                """),
        // When each API token was last used (written at most once a minute), and the service's
        // own settings (the longest token lifetime the operator allows).
        Migration(
            version: 17, name: "token use, service settings",
            sql: """
                ALTER TABLE tokens ADD COLUMN last_used_at TEXT;
                CREATE TABLE service_settings (
                    name TEXT PRIMARY KEY,
                    value INTEGER NOT NULL
                ) STRICT, WITHOUT ROWID;
                """),
        // Audit chain version 2: each new row's hash covers its id and its case links
        // (`links_hash`, the digest of its `audit_cases` rows); older rows keep version 1.
        // Checkpoints: the chain's head signed with the audit key kept outside the database
        // (also exported to files elsewhere), so rows removed or rewritten before a checkpoint
        // are found (`AuditCheckpoint`, `mimamori audit verify`).
        Migration(
            version: 18, name: "audit chain v2, audit checkpoints",
            sql: """
                ALTER TABLE audit_log ADD COLUMN chain_version INTEGER NOT NULL DEFAULT 1 CHECK (chain_version IN (1, 2));
                ALTER TABLE audit_log ADD COLUMN links_hash TEXT;
                CREATE INDEX audit_cases_by_audit ON audit_cases (audit_id);

                CREATE TABLE audit_checkpoints (
                    id INTEGER PRIMARY KEY,
                    -- The last audit row covered, its hash, and the rows and case links up to it.
                    sequence INTEGER NOT NULL,
                    hash TEXT NOT NULL,
                    count INTEGER NOT NULL,
                    links INTEGER NOT NULL,
                    at TEXT NOT NULL,
                    -- Ed25519, hex: the signer's public key and the signature over AuditCheckpoint.message.
                    public_key TEXT NOT NULL,
                    signature TEXT NOT NULL
                ) STRICT;
                CREATE INDEX audit_checkpoints_by_sequence ON audit_checkpoints (sequence);
                """),
        // Whom other authorities call (department, daytime, night and holiday): from the CGC list
        // where it knows them, or set by the authority's administrators, whose entry a list
        // never overwrites.
        Migration(
            version: 19, name: "authority contacts",
            sql: """
                CREATE TABLE authority_contacts (
                    authority TEXT PRIMARY KEY,
                    department TEXT,
                    daytime TEXT,
                    night_holiday TEXT,
                    source TEXT NOT NULL CHECK (source IN ('list', 'administrator')),
                    updated_at TEXT NOT NULL
                ) STRICT, WITHOUT ROWID;
                """),
        // When each user last signed in (the administrators' user list shows it).
        Migration(
            version: 20, name: "last sign-in",
            sql: """
                ALTER TABLE users ADD COLUMN last_login_at TEXT;
                """),
        // A second factor at sign-in: each user's TOTP secret (RFC 6238) and single-use recovery
        // codes (digests only); authorities that require it of their staff; sessions that may
        // only enrol a second factor (a user who must have one and has none yet).
        Migration(
            version: 21, name: "second factor",
            sql: """
                CREATE TABLE second_factors (
                    login TEXT PRIMARY KEY REFERENCES users (login),
                    secret BLOB NOT NULL,
                    confirmed_at TEXT,
                    -- The last time step a code was accepted for: a code is never accepted twice.
                    last_step INTEGER NOT NULL DEFAULT 0,
                    created_at TEXT NOT NULL
                ) STRICT;
                CREATE TABLE recovery_codes (
                    login TEXT NOT NULL REFERENCES users (login),
                    digest TEXT NOT NULL,
                    used_at TEXT,
                    PRIMARY KEY (login, digest)
                ) STRICT;
                ALTER TABLE settings ADD COLUMN second_factor_required INTEGER NOT NULL DEFAULT 0 CHECK (second_factor_required IN (0, 1));
                ALTER TABLE sessions ADD COLUMN enrolment_only INTEGER NOT NULL DEFAULT 0;
                """),
        // Cases whose holder is told of every read by another authority (notify on view).
        Migration(
            version: 22, name: "case watches",
            sql: """
                CREATE TABLE case_watches (
                    case_id TEXT PRIMARY KEY,
                    exempt_partners INTEGER NOT NULL CHECK (exempt_partners IN (0, 1)),
                    set_by TEXT NOT NULL,
                    set_at TEXT NOT NULL
                ) STRICT;
                """),
        // Pairs of cases a holder found are not the same child: never matched again.
        Migration(
            version: 23, name: "match dismissals, voided attachments",
            sql: """
                CREATE TABLE match_dismissals (
                    -- The two case ids in byte order.
                    case_a TEXT NOT NULL,
                    case_b TEXT NOT NULL,
                    authority TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    at TEXT NOT NULL,
                    PRIMARY KEY (case_a, case_b)
                ) STRICT, WITHOUT ROWID;

                -- Attachments entered by mistake (a photo on the wrong case): kept, hidden from every reader.
                CREATE TABLE voided_attachments (
                    attachment_id TEXT PRIMARY KEY,
                    case_id TEXT NOT NULL,
                    authority TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    reason TEXT NOT NULL,
                    at TEXT NOT NULL
                ) STRICT;
                CREATE INDEX voided_attachments_by_case ON voided_attachments (case_id);
                """),
        // A report form's deadline and audience (who answers it).
        Migration(
            version: 24, name: "report deadline and audience",
            sql: """
                ALTER TABLE report_forms ADD COLUMN deadline TEXT;
                ALTER TABLE report_forms ADD COLUMN audience TEXT NOT NULL DEFAULT 'all' CHECK (audience IN ('all', 'cgc', 'municipality'));
                """),
        // Fields a holder hides from a relation (never wider than the default table: hiding only narrows).
        Migration(
            version: 25, name: "hidden fields",
            sql: """
                CREATE TABLE hidden_fields (
                    authority TEXT NOT NULL,
                    relation TEXT NOT NULL,
                    field TEXT NOT NULL,
                    PRIMARY KEY (authority, relation, field)
                ) STRICT, WITHOUT ROWID;
                """),
        // The process moving the case of a transfer being confirmed: a store opened meanwhile by
        // another process (a command beside `serve`, a backup) leaves that confirmation alone.
        Migration(
            version: 26, name: "transfer confirmation owner",
            sql: """
                ALTER TABLE transfers ADD COLUMN confirming_pid INTEGER;
                """),
        // Records of one child held by two authorities, linked as one person once both agree
        // (`case_a` is the proposer's): search groups them. A pair has at most one live link.
        Migration(
            version: 27, name: "case links",
            sql: """
                CREATE TABLE case_links (
                    id TEXT PRIMARY KEY,
                    case_a TEXT NOT NULL,
                    case_b TEXT NOT NULL CHECK (case_b <> case_a),
                    state TEXT NOT NULL CHECK (state IN ('proposed', 'linked', 'declined', 'withdrawn', 'unlinked')),
                    proposed_by TEXT NOT NULL,
                    proposed_at TEXT NOT NULL,
                    decided_by TEXT,
                    decided_at TEXT,
                    ended_by TEXT,
                    ended_at TEXT
                ) STRICT;
                CREATE UNIQUE INDEX case_links_live ON case_links (min(case_a, case_b), max(case_a, case_b))
                    WHERE state IN ('proposed', 'linked');
                CREATE INDEX case_links_by_a ON case_links (case_a, state);
                CREATE INDEX case_links_by_b ON case_links (case_b, state);
                """),
        // Whom an authority names as approvers of a workflow, and as the targets of a kind of
        // notification (roles and logins, comma-separated; no row: the default).
        Migration(
            version: 28, name: "approvers and notification targets",
            sql: """
                CREATE TABLE approvers (
                    authority TEXT NOT NULL,
                    workflow TEXT NOT NULL CHECK (workflow IN ('transfer', 'provision', 'request')),
                    roles TEXT NOT NULL,
                    users TEXT NOT NULL,
                    PRIMARY KEY (authority, workflow)
                ) STRICT, WITHOUT ROWID;
                CREATE TABLE notification_targets (
                    authority TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    roles TEXT NOT NULL,
                    users TEXT NOT NULL,
                    webhook INTEGER NOT NULL CHECK (webhook IN (0, 1)),
                    PRIMARY KEY (authority, kind)
                ) STRICT, WITHOUT ROWID;
                """),
        // Case links keyed by audit id, so an audit commit appends them; the lookups by case
        // and by holder move to `audit-views.sqlite`, built behind the log (`AuditViews`).
        // The links themselves, the chain's `links_hash` over them and the checkpoints' link
        // counts are unchanged.
        Migration(
            version: 29, name: "audit case links keyed by audit id",
            sql: """
                CREATE TABLE audit_cases_by_entry (
                    audit_id INTEGER NOT NULL REFERENCES audit_log (id),
                    case_id TEXT NOT NULL,
                    holder TEXT NOT NULL,
                    PRIMARY KEY (audit_id, case_id)
                ) STRICT, WITHOUT ROWID;
                INSERT INTO audit_cases_by_entry (audit_id, case_id, holder)
                    SELECT audit_id, case_id, holder FROM audit_cases ORDER BY audit_id, case_id;
                DROP TABLE audit_cases;
                ALTER TABLE audit_cases_by_entry RENAME TO audit_cases;
                """),
    ]
}
