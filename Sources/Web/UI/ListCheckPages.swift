import Foundation
import HTTPServer
import Query
import Spreadsheet
import Store

extension PageRequest {
    /// GET /search/batch: the list check form.
    func listCheckPage() throws -> HTTPResponse {
        render("list-check", "一覧照合", ListCheckPage())
    }

    /// POST /search/batch: every child of the list searched (each audited as a search); the
    /// best hit per row on the page, or every row's best hits as a sheet (`format=csv`).
    func listCheckUploadPage() throws -> HTTPResponse {
        guard let engine = app.engine else { throw PageRefusal(404, "この環境では検索できません。") }
        guard let file = form.file("file"), !file.content.isEmpty else { throw PageRefusal(400, "一覧のCSVファイルを選んでください。") }
        let encoding = try chosenEncoding()
        let list: ChildList
        do throws(EncodingProblem) { list = try ChildList(file.content, encoding: encoding) } catch {
            return render("list-check", "一覧照合", ListCheckPage(error: error.japanese), status: 422)
        }
        guard list.issues.isEmpty else {
            let said = list.issues.map(\.japanese).joined(separator: " ／ ")
            return render("list-check", "一覧照合", ListCheckPage(error: "一覧を読み取れません: \(said)"), status: 422)
        }
        let csv = form["format"] == "csv"
        let hits = ListCheck.defaultHits
        let answers = try ListCheck.run(ListCheck.requests(list, limit: hits), engine: engine, actor: actor)
        if csv {
            return HTTPResponse(
                status: 200,
                headers: [("Content-Type", "text/csv; charset=utf-8"), ("Content-Disposition", "attachment; filename=\"shougou-kekka.csv\"")]
                    + WebApplication.privateDownload,
                body: ListCheck.csv(answers, list: list, hits: hits))
        }
        let asked = Dictionary(uniqueKeysWithValues: list.entries.map { ($0.row, $0) })
        var view = ListCheckPage()
        view.rows = answers.map { answer in
            let entry = asked[answer.row]
            let question = [entry?.name, entry?.kana.map { "（\($0)）" }, entry?.birthdate.map { Display.date($0) }].compactMap { $0 }.joined(
                separator: " ")
            let total = answer.total ?? 0
            return ListCheckPage.Row(
                row: answer.row, reference: answer.reference, asked: question, total: answer.total.map { "\($0)件" } ?? "—",
                error: answer.error.map { "照合できませんでした（\($0)）" }, best: answer.hits?.first.map(hitView),
                more: total > 1 ? "ほか\(total - 1)件" : nil)
        }
        let found = answers.filter { ($0.total ?? 0) > 0 }.count
        view.summary = "\(answers.count)人中\(found)人に該当する記録があります"
        return render("list-check", "一覧照合", view)
    }
}
