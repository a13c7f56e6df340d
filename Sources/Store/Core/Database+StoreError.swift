import SQLiteDB

// The SQLite wrapper as the Store uses it: every database of the Store (the catalogue, the
// partitions) throws `StoreError`, so the Store's code names the wrapper's types bare.
typealias Database = SQLiteDB.Database<StoreError>
typealias Connection = SQLiteDB.Connection<StoreError>
typealias Statement = SQLiteDB.Statement<StoreError>
