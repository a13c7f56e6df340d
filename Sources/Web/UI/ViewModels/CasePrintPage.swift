/// A case as printed for a handover meeting (`case-print.mustache`): the case page's content
/// without its forms, and who printed it when, for the footer of every sheet.
struct CasePrintPage: PageView {
    var title = ""
    var user: Navigation?
    let record: CasePage
    /// 「山田 一郎（千代田区）」: the viewer, as the footer names them.
    let printedBy: String
    /// Japan time, in 和暦 and 西暦.
    let printedAt: String
    /// Said when the case has more notes than a print carries.
    let notesOmitted: String?
}
