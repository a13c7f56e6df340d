/// Applies the migrations a database has not seen yet, each in its own transaction, and
/// records them in `schema_migrations`.
struct Migrator {
    let migrations: [Migration]

    init(_ migrations: [Migration]) {
        precondition(
            migrations.map(\.version) == Array(1...migrations.count).prefix(migrations.count).map { $0 },
            "migration versions must be 1, 2, 3, ... in order")
        self.migrations = migrations
    }

    /// - Throws: `Failure` for a failed migration, or for a file whose schema is newer than
    ///   these migrations (`SQLiteFailure.Reason.newerSchema`): an older build must not write to it.
    func migrate<Failure>(_ connection: Connection<Failure>) throws(Failure) {
        try connection.execute(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version INTEGER PRIMARY KEY,
                name TEXT NOT NULL,
                applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
            ) STRICT;
            """)
        let applied = try connection.first("SELECT coalesce(max(version), 0) FROM schema_migrations") { $0.int(0) } ?? 0
        if applied > migrations.count {
            throw Failure(
                sqlite: SQLiteFailure(
                    .newerSchema(found: applied, known: migrations.count), path: connection.path,
                    message: "has schema version \(applied), newer than this build knows (\(migrations.count))"))
        }
        for migration in migrations where migration.version > applied {
            try connection.transaction { () throws(Failure) in
                try connection.execute(migration.sql)
                try connection.run("INSERT INTO schema_migrations (version, name) VALUES (?, ?)", [migration.version, migration.name])
            }
        }
    }
}
