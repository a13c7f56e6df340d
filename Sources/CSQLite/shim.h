#ifndef MIMAMORI_CSQLITE_SHIM_H
#define MIMAMORI_CSQLITE_SHIM_H

#include <sqlite3.h>

/// `SQLITE_TRANSIENT` is a macro Swift cannot import: SQLite copies the bound bytes.
static inline sqlite3_destructor_type csqlite_transient(void) {
    return (sqlite3_destructor_type)-1;
}

/// `sqlite3_db_config` is variadic: a fixed-arity wrapper for the integer on/off options.
static inline int csqlite_db_config_flag(sqlite3 *db, int op, int value) {
    int applied = -1;
    return sqlite3_db_config(db, op, value, &applied);
}

#endif
