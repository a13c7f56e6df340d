package import SQLiteDB

/// The nationwide search index (`index.sqlite`): one row per person (child, guardian,
/// household member) with identity data and compact derived keys only (`CompactKeys`), a
/// table of exact keys (`person_keys`), and a contentless FTS5 table over derived terms.
///
/// Terms (see docs/search.md): `kf` a name part's canonical form, `kg` its kanji/kana unigrams
/// and bigrams, `kw` family+given as one, `rf`/`rl`/`rp` strong reading, loose reading and
/// reading prefixes, `rw` the whole reading, `by`/`bm`/`bd`/`bu` birth year, month, day or
/// unknown, `sx` sex. `person_keys` holds the exact keys of `LookupKeys` beside them. The
/// `ascii` tokenizer keeps each term whole (non-ASCII characters are
/// token characters), so 1- and 2-character names match through the index.
package enum IndexSchema {
    package static let migrations: [Migration] = [
        Migration(
            version: 1, name: "persons, terms, cursors",
            sql: """
                CREATE TABLE persons (
                    id INTEGER PRIMARY KEY,
                    case_id TEXT NOT NULL,
                    ordinal INTEGER NOT NULL,
                    role TEXT NOT NULL,
                    relation TEXT,
                    prefecture TEXT NOT NULL,
                    holder TEXT NOT NULL,
                    external_id TEXT NOT NULL,
                    status TEXT NOT NULL,
                    family_name TEXT,
                    given_name TEXT,
                    family_kana TEXT,
                    given_kana TEXT,
                    romaji TEXT,
                    birthdate TEXT,
                    sex TEXT,
                    keys TEXT NOT NULL,
                    terms TEXT NOT NULL
                ) STRICT;
                CREATE INDEX persons_by_case ON persons (case_id);

                CREATE VIRTUAL TABLE person_terms USING fts5 (
                    terms, content = 'persons', content_rowid = 'id', tokenize = 'ascii', detail = 'none'
                );
                CREATE TRIGGER persons_terms_insert AFTER INSERT ON persons BEGIN
                    INSERT INTO person_terms (rowid, terms) VALUES (new.id, new.terms);
                END;
                CREATE TRIGGER persons_terms_delete AFTER DELETE ON persons BEGIN
                    INSERT INTO person_terms (person_terms, rowid, terms) VALUES ('delete', old.id, old.terms);
                END;

                -- How far the index has followed each partition's change log.
                CREATE TABLE cursors (
                    prefecture TEXT PRIMARY KEY,
                    seq INTEGER NOT NULL
                ) STRICT;
                """),
        // Row-by-row triggers made FTS5 flush a segment per statement (its savepoint handling):
        // the index now maintains person_terms in bulk, once per batch (SearchIndex.write).
        Migration(
            version: 2, name: "bulk term maintenance",
            sql: """
                DROP TRIGGER IF EXISTS persons_terms_insert;
                DROP TRIGGER IF EXISTS persons_terms_delete;
                """),
        // Terms changed (birthdate precision `bq1`/`bq2`): empty the index; the cursors start
        // again at 0, so opening the store rebuilds it from the partitions' change logs.
        Migration(
            version: 3, name: "birthdate precision terms",
            sql: """
                DELETE FROM persons;
                DELETE FROM cursors;
                INSERT INTO person_terms (person_terms) VALUES ('delete-all');
                """),
        // The access policy needs the case's address municipality (partner relation) for each
        // hit: empty the index so that it is rebuilt with it, as in migration 3.
        Migration(
            version: 4, name: "address municipality",
            sql: """
                ALTER TABLE persons ADD COLUMN municipality TEXT;
                DELETE FROM persons;
                DELETE FROM cursors;
                INSERT INTO person_terms (person_terms) VALUES ('delete-all');
                """),
        // Cases the index took in for the first time, until the match check has run on them:
        // written with the index update, so a crash or a server that was down (a CLI import)
        // loses none.
        Migration(
            version: 5, name: "match check queue",
            sql: """
                CREATE TABLE match_queue (
                    case_id TEXT PRIMARY KEY,
                    queued_at TEXT NOT NULL
                ) STRICT;
                """),
        // Exact-key lookups (`LookupKeys`): every key of a person's name with its birthdate as
        // an integer (yyyymmdd, 00 for an unknown month or day, 0 for none), so "this name born
        // on this day" is one B-tree seek. The index is emptied and rebuilt, as in migration 3.
        Migration(
            version: 6, name: "person keys",
            sql: """
                CREATE TABLE person_keys (
                    key TEXT NOT NULL,
                    birth INTEGER NOT NULL,
                    person INTEGER NOT NULL,
                    PRIMARY KEY (key, birth, person)
                ) STRICT, WITHOUT ROWID;
                DELETE FROM persons;
                DELETE FROM cursors;
                INSERT INTO person_terms (person_terms) VALUES ('delete-all');
                """),
        // Leaner persons (docs/search.md, "On disk"): `keys` becomes the compact BLOB of
        // `CompactKeys` and `terms` goes — a person's FTS5 document is derived from its keys,
        // so `person_terms` becomes contentless and a person's terms are deleted by deriving
        // them again. The index is emptied (the cursors start again at 0) and rebuilt on open.
        Migration(
            version: 7, name: "compact persons, contentless terms",
            sql: """
                DROP TABLE person_terms;
                DROP TABLE persons;
                CREATE TABLE persons (
                    id INTEGER PRIMARY KEY,
                    case_id TEXT NOT NULL,
                    ordinal INTEGER NOT NULL,
                    role TEXT NOT NULL,
                    relation TEXT,
                    prefecture TEXT NOT NULL,
                    holder TEXT NOT NULL,
                    external_id TEXT NOT NULL,
                    status TEXT NOT NULL,
                    family_name TEXT,
                    given_name TEXT,
                    family_kana TEXT,
                    given_kana TEXT,
                    romaji TEXT,
                    birthdate TEXT,
                    sex TEXT,
                    municipality TEXT,
                    keys BLOB NOT NULL
                ) STRICT;
                CREATE INDEX persons_by_case ON persons (case_id);
                CREATE VIRTUAL TABLE person_terms USING fts5 (terms, content = '', tokenize = 'ascii', detail = 'none');
                DELETE FROM person_keys;
                DELETE FROM cursors;
                """),
        // `persons_by_case` holds only a case's child (ordinal 0), which carries the number of
        // the case's persons (`case_persons`): their ids follow the child's, so the index finds
        // every person of a case from one entry instead of one per person. Emptied and rebuilt.
        Migration(
            version: 8, name: "one persons_by_case entry per case",
            sql: """
                DROP INDEX persons_by_case;
                ALTER TABLE persons ADD COLUMN case_persons INTEGER;
                DELETE FROM persons;
                DELETE FROM person_keys;
                DELETE FROM cursors;
                INSERT INTO person_terms (person_terms) VALUES ('delete-all');
                CREATE INDEX persons_by_case ON persons (case_id) WHERE ordinal = 0;
                """),
        // A case's own fields (id, partition, holder, external id, status, municipality) are
        // kept on its child's row only, not repeated on each guardian's and household member's:
        // a person's case is read from row `id - ordinal` (`SearchIndex.personRows`). Emptied
        // and rebuilt.
        Migration(
            version: 9, name: "case fields on the child's row",
            sql: """
                DROP TABLE persons;
                CREATE TABLE persons (
                    id INTEGER PRIMARY KEY,
                    ordinal INTEGER NOT NULL,
                    role TEXT NOT NULL,
                    relation TEXT,
                    family_name TEXT,
                    given_name TEXT,
                    family_kana TEXT,
                    given_kana TEXT,
                    romaji TEXT,
                    birthdate TEXT,
                    sex TEXT,
                    keys BLOB NOT NULL,
                    case_id TEXT,
                    case_persons INTEGER,
                    prefecture TEXT,
                    holder TEXT,
                    external_id TEXT,
                    status TEXT,
                    municipality TEXT,
                    CHECK ((ordinal = 0) = (case_id IS NOT NULL AND case_persons IS NOT NULL AND prefecture IS NOT NULL
                        AND holder IS NOT NULL AND external_id IS NOT NULL AND status IS NOT NULL))
                ) STRICT;
                CREATE INDEX persons_by_case ON persons (case_id) WHERE ordinal = 0;
                DELETE FROM person_keys;
                DELETE FROM cursors;
                INSERT INTO person_terms (person_terms) VALUES ('delete-all');
                """),
        // A first load (an index with no person yet: a new store's first import, a rebuild
        // after a migration) writes its exact keys unsorted to `person_keys_load`, and
        // `person_keys` is built from them once, in key order, when the load ends
        // (`SearchIndex.moveLoadedKeys`): inserted page by page, they landed all over a B-tree
        // far larger than the page cache at 1M records.
        Migration(
            version: 10, name: "exact keys of a first load",
            sql: """
                CREATE TABLE person_keys_load (
                    key TEXT NOT NULL,
                    birth INTEGER NOT NULL,
                    person INTEGER NOT NULL
                ) STRICT;
                """),
    ]
}
