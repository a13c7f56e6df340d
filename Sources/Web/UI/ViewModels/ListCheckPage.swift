/// The list check page (`list-check.mustache`): the upload form, and a table of the best hit
/// for each child of the list.
struct ListCheckPage: PageView {
    struct Row {
        let row: Int
        let reference: String?
        /// What the row asked: 「山田 太郎（やまだ たろう） 平成30年4月1日」.
        let asked: String
        let total: String
        let error: String?
        /// The best hit, as the search results show it.
        let best: SearchHitView?
        /// 「ほか2件」 when there are more hits.
        let more: String?
    }

    var title = ""
    var user: Navigation?
    var rows: [Row] = [] {
        didSet { checked = !rows.isEmpty }
    }
    private(set) var checked = false
    var summary: String?
    var error: String?
}
