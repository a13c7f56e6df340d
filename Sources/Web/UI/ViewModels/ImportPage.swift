import Spreadsheet

/// The 一括登録 page (`import.mustache`): the upload form, and after an upload either what was
/// registered or every problem by row and column.
struct ImportPage: PageView {
    struct Problem {
        let row: Int
        let column: String
        let message: String
    }

    var title = ""
    var user: Navigation?
    /// 「12件のケースを登録しました…」 after a successful import (or a successful check).
    var done: String?
    /// The file's problems, in row order; nothing was registered. (Stored, with their count:
    /// Mustache sees stored properties only.)
    var problems: [Problem] = [] {
        didSet { (hasProblems, problemCount) = (!problems.isEmpty, problems.count) }
    }
    private(set) var hasProblems = false
    private(set) var problemCount = 0
    var fileName: String?
    var dryRun = false
}
