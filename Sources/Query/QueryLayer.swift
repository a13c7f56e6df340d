/// The search layer: parses what an intake worker typed, retrieves candidates from the
/// nationwide index, ranks them and filters them through the Store's access rules.
///
/// It arrives with the search issue; this module exists so that the dependency direction
/// (`Store`, `Indexer` → `Query` → `Web`) is fixed from the start.
enum QueryLayer {}
