import Foundation
import HTTPServer
import Store

extension WebApplication {
    /// POST /api/v1/reports {"year", "title", "fields": [{"key", "label", "type": "integer"|"text"}]}: the ministry publishes a form.
    func publishReport(_ request: HTTPRequest, _ caller: Caller) -> HTTPResponse {
        respond {
            let object = try request.jsonObject()
            let year = try (object["year"] ?? .null).integer("year", in: Reports.years)
            guard let title = object["title"]?.stringValue, case .array(let items)? = object["fields"] else {
                throw Refusal(
                    400, "Invalid form",
                    "send {\"year\": 2026, \"title\": \"…\", \"fields\": [{\"key\": \"child_welfare_officers\", \"label\": \"児童福祉司数\", \"type\": \"integer\"}]}"
                )
            }
            let fields = try items.enumerated().map { index, item throws(Refusal) -> ReportForm.Field in
                guard case .object(let field) = item, let key = field["key"]?.stringValue, let label = field["label"]?.stringValue,
                    let type = field["type"]?.stringValue.flatMap(ReportForm.Field.Kind.init(rawValue:))
                else { throw Refusal(400, "Invalid form", "fields[\(index)]: {\"key\", \"label\", \"type\": \"integer\" or \"text\"}") }
                return ReportForm.Field(key: key, label: label, type: type)
            }
            var deadline: String?
            if let value = object["deadline"], value != .null {
                guard let text = value.stringValue else { throw Refusal(400, "Invalid form", "deadline: a date, YYYY-MM-DD") }
                deadline = text
            }
            var audience = ReportForm.Audience.all
            if let value = object["audience"] {
                guard let chosen = value.stringValue.flatMap(ReportForm.Audience.init(rawValue:)) else {
                    throw Refusal(400, "Invalid form", "audience: all, cgc or municipality")
                }
                audience = chosen
            }
            let form = try requireStore().reports.publish(
                year: year, title: title, fields: fields, deadline: deadline, audience: audience, as: caller.actor)
            return .created(form, at: "/api/v1/reports/\(form.id)")
        }
    }

    /// GET /api/v1/reports: every published form.
    func listReports(_ request: HTTPRequest, _ caller: Caller) -> HTTPResponse {
        respond {
            struct List: Encodable { let reports: [ReportForm] }
            return .encoded(200, List(reports: try requireStore().reports.forms()))
        }
    }

    /// GET /api/v1/reports/{id}/submissions: the ministry sees every submission, an authority its own.
    func listSubmissions(_ id: String, _ request: HTTPRequest, _ caller: Caller) -> HTTPResponse {
        respond {
            struct List: Encodable { let submissions: [ReportSubmission] }
            return .encoded(200, List(submissions: try requireStore().reports.submissions(id, as: caller.actor)))
        }
    }

    /// PUT /api/v1/reports/{id}/submission {"answers": {"key": value}}: the caller's authority answers (or corrects).
    func submitReport(_ id: String, _ request: HTTPRequest, _ caller: Caller) -> HTTPResponse {
        respond {
            guard case .object(let values)? = try request.jsonObject()["answers"] else {
                throw Refusal(400, "Invalid submission", "send {\"answers\": {\"field_key\": value, …}}")
            }
            var answers: [String: String] = [:]
            for (key, value) in values {
                switch value {
                case .string(let text): answers[key] = text
                case .number: answers[key] = String(try value.integer(String(key.prefix(64)), in: Reports.answers))
                default: throw Refusal(400, "Invalid submission", "\(key.prefix(64)): a whole number or a text")
                }
            }
            try requireStore().reports.submit(id, answers: answers, as: caller.actor)
            return HTTPResponse(status: 204)
        }
    }

    /// GET /api/v1/reports/{id}/export: every submission as CSV (the ministry).
    func exportReport(_ id: String, _ request: HTTPRequest, _ caller: Caller) -> HTTPResponse {
        respond {
            let csv = try requireStore().reports.csv(id, as: caller.actor)
            return HTTPResponse(
                status: 200,
                headers: [("Content-Type", "text/csv; charset=utf-8"), ("Content-Disposition", "attachment; filename=\"report-\(id).csv\"")],
                body: Array(csv.utf8))
        }
    }

    /// GET /api/v1/reports/{id}/summary: totals and means of the numeric fields, nationwide, by
    /// prefecture and by kind of authority, and the non-submitters (ministry); `format=csv` as a sheet.
    func reportSummary(_ id: String, _ request: HTTPRequest, _ caller: Caller) -> HTTPResponse {
        respond {
            let store = try requireStore()
            let summary = try store.reports.summary(id, as: caller.actor)
            guard try Self.wantsSheet(request) else { return .encoded(200, summary) }
            let form = try store.reports.form(id)
            let numeric = form.fields.filter { $0.type == .integer }
            var rows = [["区分", "名称", "対象機関数", "提出数"] + numeric.flatMap { ["\($0.label) 合計", "\($0.label) 平均"] }]
            func row(_ scope: String, _ name: String, _ expected: Int, _ figures: ReportSummary.Figures) -> [String] {
                [scope, name, String(expected), String(figures.submitted)]
                    + numeric.flatMap { [String(figures.totals[$0.key] ?? 0), figures.means[$0.key].map { String(format: "%.2f", $0) } ?? ""] }
            }
            rows.append(row("全国", "全国", summary.expected, summary.all))
            rows += summary.byKind.map { row("機関の種別", $0.name, $0.expected, $0.figures) }
            rows += summary.byPrefecture.map { row("都道府県", $0.name, $0.expected, $0.figures) }
            rows.append([])
            rows.append(["未提出の機関", String(summary.nonSubmitters.count)])
            rows += summary.nonSubmitters.map { ["未提出", store.directory[$0]?.name ?? $0, $0] }
            return Self.sheet(rows, name: "report-summary.csv")
        }
    }

    /// POST /api/v1/reports/{id}/remind: a reminder in the inbox of every authority asked that has not submitted (ministry).
    func remindReport(_ id: String, _ request: HTTPRequest, _ caller: Caller) -> HTTPResponse {
        respond {
            struct Answer: Encodable { let reminded: Int }
            return .encoded(200, Answer(reminded: try requireStore().reports.remind(id, as: caller.actor)))
        }
    }
}
