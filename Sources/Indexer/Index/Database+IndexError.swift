import SQLiteDB

// The SQLite wrapper as the Indexer uses it: the index file (`index.sqlite`) throws
// `IndexError`, so the Indexer's code names the wrapper's types bare.
typealias Database = SQLiteDB.Database<IndexError>
typealias Connection = SQLiteDB.Connection<IndexError>
typealias Statement = SQLiteDB.Statement<IndexError>
