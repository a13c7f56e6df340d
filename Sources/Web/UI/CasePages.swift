import Foundation
import HTTPServer
import Query
import Store

/// The case pages: the authority's list, the record as the viewer may see it, the create and
/// edit form, notes, uploads and the actions on a case (request, transfer, alert, flag).
extension PageRequest {
    var caseID: String { ids[0] }

    /// GET /cases: the authority's own cases, filtered, sorted and paged.
    func caseListPage() throws -> HTTPResponse {
        try requireCaseHolder()
        let pageSize = 50
        let page = try integer("page", in: 1...100_000) ?? 1
        let status = CaseStatus(rawValue: query["status"] ?? "")
        let sort = CaseListQuery.Sort(rawValue: query["sort"] ?? "") ?? .updated
        let text = String((query["q"] ?? "").prefix(100))
        let listed = try store.cases.list(
            heldBy: authority, as: actor,
            matching: CaseListQuery(text: text, status: status, sort: sort, limit: pageSize, offset: (page - 1) * pageSize))
        let pages = max(1, (listed.total + pageSize - 1) / pageSize)
        func link(_ page: Int) -> String {
            var items = [URLQueryItem(name: "page", value: String(page)), URLQueryItem(name: "sort", value: sort.rawValue)]
            if !text.isEmpty { items.append(URLQueryItem(name: "q", value: text)) }
            if let status { items.append(URLQueryItem(name: "status", value: status.rawValue)) }
            var components = URLComponents()
            components.queryItems = items
            return "/cases" + (components.string ?? "")
        }
        let view = CaseListPage(
            q: text, total: listed.total, page: page, pages: pages,
            statuses: Labels.options([("", "すべて")] + Labels.statuses, selected: status?.rawValue ?? ""),
            sorts: Labels.options(
                [("updated", "更新が新しい順"), ("created", "登録が新しい順"), ("name", "ふりがな順"), ("birthdate", "生年月日順")], selected: sort.rawValue),
            cases: listed.cases.map { found in
                CaseListPage.Row(
                    caseID: found.id, externalID: found.record.externalID, name: Display.name(found.record.child),
                    birthdate: Display.date(found.record.child.birthdate?.iso), status: Display.status(found.record.status.rawValue),
                    updated: Display.time(found.updatedAt))
            },
            previous: page > 1 ? link(page - 1) : nil, next: page < pages ? link(page + 1) : nil)
        return render("cases", "自機関のケース", view)
    }

    /// GET /cases/{id}: exactly what the viewer may see (the Store refuses, and audits, the rest).
    func casePage() throws -> HTTPResponse {
        let found: StoredCase
        do throws(StoreError) {
            found = try store.cases.read(id: caseID, as: actor)
        } catch  where error.kind == .permissionDenied {
            // The viewer may know the case (its search summary), not read it: say how to ask.
            let view = ErrorPage(
                message: "この記録は概要のみ閲覧できます。記録を閲覧するには、保有機関に情報提供を依頼してください。",
                requestLink: "/cases/\(caseID)/request")
            return render("error", "閲覧できません", view, status: 403)
        } catch {
            throw error
        }
        return render("case", Display.name(found.record.child), try caseView(found))
    }

    /// GET /cases/{id}/print: the case for a handover meeting (ケース移管の面談), A4 when printed:
    /// what the viewer may see, every note (up to `Cases.printedNotes`), and in the footer of
    /// every sheet the viewer, the time and 「取扱注意」. Audited as a read (marked `print`).
    func casePrintPage() throws -> HTTPResponse {
        let found = try store.cases.readForPrint(id: caseID, as: actor)
        let navigation = navigation()
        let omitted = found.notesTotal - found.notes.count
        let view = CasePrintPage(
            title: "印刷用 " + Display.name(found.record.child), record: try caseView(found),
            printedBy: "\(navigation.displayName)（\(navigation.authorityName)）", printedAt: Display.time(Date(), western: true) ?? "",
            notesOmitted: omitted > 0 ? "ほかに古いメモが\(omitted)件あります（画面の「すべてのメモを見る」で閲覧できます）。" : nil)
        return pages.page("case-print", view)
    }

    /// GET /cases/{id}/former: the case as it stood when a transfer took it from the viewer's
    /// authority, in the print layout, read-only.
    func formerRecordPage() throws -> HTTPResponse {
        let former = try store.cases.readFormer(id: caseID, as: actor)
        let navigation = navigation()
        let view = CasePrintPage(
            title: "移管時点の記録 " + Display.name(former.found.record.child), record: try caseView(former.found, readOnly: true),
            printedBy: "\(navigation.displayName)（\(navigation.authorityName)）", printedAt: Display.time(Date(), western: true) ?? "",
            notesOmitted: "この記録は\(Display.time(former.leftAt))に\(authorityName(former.holderNow))へ移管した時点のものです。その後の更新は含みません。")
        return pages.page("case-print", view)
    }

    /// The case as the case page and the print view show it, for a viewer who may read it
    /// (`readOnly`: a former record, with no actions and no reads by others).
    private func caseView(_ found: StoredCase, readOnly: Bool = false) throws -> CasePage {
        let capabilities: AccessPolicy.Capabilities = readOnly ? [] : try store.capabilities(of: actor, on: found)
        let flag = readOnly ? nil : try store.seriousCases.state(of: found)
        let record = found.record
        func person(_ identity: PersonIdentity, _ relation: String) -> CasePage.Person {
            CasePage.Person(
                relation: relation, name: Display.name(identity), birthdate: Display.date(identity.birthdate?.iso),
                sex: Display.sex(identity.sex?.rawValue))
        }
        let holder = store.directory[found.holder]
        let attachmentsShown = capabilities.contains(.readAttachments)
        let viewsShown = found.holder == authority && !readOnly
        var page = CasePage(
            caseID: found.id, externalID: record.externalID, name: Display.name(record.child), child: person(record.child, "児童"),
            status: Display.status(record.status.rawValue), holderName: holder?.name ?? found.holder,
            holderContacts: ContactsView(SearchHit.Authority(found.holder, store)),
            created: Display.time(found.createdAt), updated: Display.time(found.updatedAt),
            address: record.address.map { [$0.prefecture, $0.municipality ?? "", $0.line ?? ""].joined(separator: " ") },
            guardians: record.guardians.map { person($0.identity, Labels.label($0.relation.rawValue, in: Labels.guardianRelations)) },
            household: record.household.map { person($0.identity, Labels.label($0.relation.rawValue, in: Labels.householdRelations)) },
            institutions: record.institutions.map {
                CasePage.Institution(
                    kind: Labels.label($0.kind.rawValue, in: Labels.institutions), name: $0.name ?? "",
                    schooling: Labels.label($0.schooling?.rawValue, in: Labels.schooling))
            },
            familySituation: record.familySituation,
            consultations: record.consultations.sorted { ($0.date?.iso ?? "") > ($1.date?.iso ?? "") }.map { consultation in
                CasePage.Consultation(
                    date: Display.date(consultation.date?.iso), source: Labels.label(consultation.source?.rawValue, in: Labels.sources),
                    types: consultation.abuseTypes.map { Labels.label($0.rawValue, in: Labels.abuseTypes) }.joined(separator: "・"),
                    status: Display.status(consultation.status.rawValue), assessment: consultation.assessment, response: consultation.response)
            },
            notes: found.notes.map(noteView), notesShown: found.notes.count, notesTotal: found.notesTotal,
            notesMore: found.notesTotal > found.notes.count,
            canEdit: capabilities.contains(.edit), canNote: capabilities.contains(.addNote), canTransfer: capabilities.contains(.transfer),
            canAlert: capabilities.contains(.edit) && holder?.kind == .childGuidanceCentre,
            canFlag: !readOnly && (found.holder == authority || role == .ministry),
            serious: flag == .confirmed,
            flagRequested: flag == .requested,
            attachmentsShown: attachmentsShown,
            attachments: attachmentsShown
                ? found.attachments.map { attachment in
                    CasePage.Attachment(
                        id: attachment.id, name: attachment.name, image: attachment.mediaType.hasPrefix("image/"),
                        size: Self.size(attachment.size), at: Display.time(attachment.at))
                } : [],
            viewsShown: viewsShown,
            views: viewsShown
                ? try store.auditLog.views(ofCase: found.id, as: actor, limit: 50).map { view in
                    CasePage.View(
                        at: Display.time(view.at), action: Labels.viewActions[view.action] ?? view.action, actor: view.actor,
                        authority: authorityName(view.authority))
                } : [])
        try showProgress(of: found, editable: capabilities.contains(.edit), on: &page)
        if let expected = found.record.expectedDelivery {
            page.expectant =
                "特定妊婦（出産予定日: \(Display.date(expected.iso))）"
                + (found.record.isBeforeBirth ? "。出生前のため、児童欄は母の姓のみです。出生後に児童の氏名・生年月日を記録してください。" : "")
        }
        if !found.hiddenFields.isEmpty {
            page.hiddenNote = "保有機関の設定により表示されない項目: " + found.hiddenFields.map { HideableField.labels[$0] ?? $0.rawValue }.joined(separator: "、")
        }
        if capabilities.contains(.edit), found.holder == authority {
            let watch = try store.casework.watch(ofCase: found.id, as: actor)
            page.watch = CasePage.Watch(watching: watch != nil, exemptPartners: watch?.exemptPartners ?? false)
            page.links = try linksSection(of: found)
            page.canVoid = role == .supervisor || role == .administrator
        }
        return page
    }

    /// The links of the holder's case with other holders' records of the child, each with what the viewer may do.
    private func linksSection(of found: StoredCase) throws -> CasePage.Links {
        let links = try store.links.links(ofCase: found.id, as: actor).filter { $0.state == .proposed || $0.state == .linked }
        let items = links.map { link in
            let other = link.other(than: found.id)
            return CasePage.Links.Item(
                id: link.id, otherCaseID: other.caseID, otherHolder: other.holder.flatMap { store.directory[$0]?.name } ?? "（保有されていません）",
                state: Labels.linkStates[link.state.rawValue] ?? link.state.rawValue,
                proposedAt: Display.time(link.proposedAt), canAnswer: link.state == .proposed && link.caseB == found.id,
                canEnd: link.state == .linked || link.caseA == found.id)
        }
        return CasePage.Links(items: items)
    }

    /// POST /cases/{id}/links: the holder proposes that another authority's record is the same child.
    func proposeLinkPage() throws -> HTTPResponse {
        let other = form["case_id"].trimmingCharacters(in: .whitespaces)
        guard !other.isEmpty else { throw PageRefusal(400, "相手機関の記録のケースIDを入力してください。") }
        try store.links.propose(caseID, with: other, as: actor)
        return redirect("/cases/\(caseID)#links", notice: .linkProposed)
    }

    /// POST /links/{id}/{step} (confirm, decline, end) from the case page `case_id` names.
    func linkStepPage() throws -> HTTPResponse {
        let step = ids[1]
        let link: CaseLink
        switch step {
        case "confirm", "decline": link = try store.links.decide(ids[0], agree: step == "confirm", as: actor)
        case "end": link = try store.links.end(ids[0], as: actor)
        default: throw PageRefusal(404, "このページは見つかりません。")
        }
        let back = form["case_id"] == link.caseA ? link.caseA : link.caseB
        return redirect("/cases/\(back)#links", notice: .linkChanged)
    }

    /// POST /cases/{id}/void: a supervisor or administrator of the holder voids a case entered by mistake.
    func voidCasePage() throws -> HTTPResponse {
        guard !form["reason"].trimmingCharacters(in: .whitespaces).isEmpty else { throw PageRefusal(400, "取消理由を入力してください。") }
        try store.cases.void(caseID, reason: form["reason"], as: actor)
        return redirect("/cases", notice: .caseVoided)
    }

    /// The progress section: what the holder recorded, and for the holder's staff the form to change it.
    private func showProgress(of found: StoredCase, editable: Bool, on page: inout CasePage) throws {
        let progress = found.progress ?? CaseProgress()
        let users = editable && found.holder == authority ? try store.users.colleagues(as: actor) : []
        func userName(_ login: String?) -> String {
            guard let login else { return "未定" }
            return users.first { $0.login == login }.map { "\($0.displayName)（\(login)）" } ?? login
        }
        if found.progress != nil {
            page.progress = CasePage.Progress(
                category: progress.category?.label ?? "未登録", assignee: userName(progress.assignee), risk: progress.risk?.label ?? "未評価",
                nextReview: progress.nextReview.map { Display.date($0) } ?? "未定",
                overdue: progress.nextReview.map { $0 < RecordValidator.todayInJapan().iso } ?? false, plan: progress.plan,
                updated: Display.time(progress.updatedAt))
        }
        page.plans = found.plans.map { CasePage.Plan(at: Display.time($0.at), author: $0.author, plan: $0.plan) }
        page.hasPlans = !page.plans.isEmpty
        guard editable else { return }
        page.progressForm = CasePage.ProgressForm(
            categories: Labels.options(
                [("", "未登録")] + SupportCategory.allCases.map { ($0.rawValue, $0.label) }, selected: progress.category?.rawValue ?? ""),
            assignees: Labels.options(
                [("", "未定")] + users.map { ($0.login, "\($0.displayName)（\($0.login)）") }, selected: progress.assignee ?? ""),
            risks: Labels.options([("", "未評価")] + RiskLevel.allCases.map { ($0.rawValue, $0.label) }, selected: progress.risk?.rawValue ?? ""),
            nextReview: progress.nextReview ?? "", plan: progress.plan ?? "")
    }

    /// POST /attachments/{id}/void: the holder voids a file entered by mistake, with a reason.
    func voidAttachmentPage() throws -> HTTPResponse {
        guard !form["reason"].trimmingCharacters(in: .whitespaces).isEmpty else { throw PageRefusal(400, "取消理由を入力してください。") }
        let caseID = try store.attachments.void(ids[0], reason: form["reason"], as: actor)
        return redirect("/cases/\(caseID)#attachments", notice: .attachmentVoided)
    }

    /// POST /cases/{id}/watch: the holder turns 閲覧通知 on or off.
    func setWatchPage() throws -> HTTPResponse {
        try store.casework.setWatch(ofCase: caseID, watching: form["watch"] == "1", exemptPartners: form["exempt_partners"] == "1", as: actor)
        return redirect("/cases/\(caseID)#watch", notice: .watchSaved)
    }

    /// POST /cases/{id}/progress: the holder's progress form (担当者, 要対協区分, 緊急度, 次回確認日, 支援方針).
    func updateProgressPage() throws -> HTTPResponse {
        try store.casework.updateProgress(ofCase: caseID, as: actor) { _ throws(StoreError) in
            func chosen(_ name: String) -> String? { form[name].isEmpty ? nil : form[name] }
            guard chosen("category").map({ SupportCategory(rawValue: $0) != nil }) ?? true,
                chosen("risk").map({ RiskLevel(rawValue: $0) != nil }) ?? true
            else { throw StoreError(.invalidInput, "category or risk: choose one of the listed values") }
            return CaseProgress(
                category: chosen("category").flatMap(SupportCategory.init(rawValue:)), assignee: chosen("assignee"),
                risk: chosen("risk").flatMap(RiskLevel.init(rawValue:)), nextReview: chosen("next_review"), plan: chosen("plan"))
        }
        return redirect("/cases/\(caseID)#progress", notice: .progressSaved)
    }

    /// GET /cases/new: the empty form (for the staff of an authority that holds cases).
    func caseFormPage() throws -> HTTPResponse {
        try requireCaseHolder()
        var form = CaseForm(FormData())
        form.values["status"] = "open"
        return renderForm(form, status: 200)
    }

    /// POST /cases/new: registers the case (and its photo) if everything is valid; otherwise
    /// the form again, with what was typed and a Japanese message next to each bad field.
    /// Nothing is saved unless everything is: the Store is asked to create the case only once
    /// the photo is acceptable too.
    func createCasePage() throws -> HTTPResponse {
        try requireCaseHolder()
        var caseForm = CaseForm(form)
        let upload = form.file("photo")
        caseForm.check(upload: upload)
        if let upload, caseForm.errors["photo"] == nil {
            // The photo is inspected as the Store will store it, before the case exists.
            do throws(StoreError) {
                try store.attachments.check(upload.content, forNewCaseOf: authority, as: actor)
            } catch {
                guard let problem = error.upload else { throw error }
                caseForm.error("photo", problem.japanese)
            }
        }
        let entry = caseForm.read()
        guard caseForm.isValid else { return renderForm(caseForm, status: 422) }
        var record = CaseRecord(externalID: "", authority: authority, child: PersonIdentity())
        let placement = entry.apply(to: &record)
        let created: StoredCase
        do throws(StoreError) {
            created = try store.cases.create(record, as: actor)
        } catch  where error.kind == .invalidInput {
            caseForm.report(error, at: placement)
            return renderForm(caseForm, status: 422)
        } catch  where error.kind == .conflict {
            caseForm.error("external_id", "この記録番号のケースは既に登録されています。")
            return renderForm(caseForm, status: 409)
        } catch {
            throw error
        }
        if let upload {
            _ = try store.attachments.add(toCase: created.id, content: upload.content, declaredType: nil, name: upload.fileName, as: actor)
        }
        return redirect("/cases/\(created.id)", notice: .caseCreated)
    }

    /// The form as a page; when editing, it carries the version it was filled from.
    private func renderForm(_ form: CaseForm, status: Int, editing found: StoredCase? = nil, version: Int? = nil) -> HTTPResponse {
        var view = form.page(withConsultation: true, withPhoto: found == nil)
        if let found {
            view.action = "/cases/\(found.id)/edit"
            view.version = version ?? found.version
            view.caseID = found.id
        } else {
            view.action = "/cases/new"
        }
        return render("case-form", found == nil ? "ケースの新規登録" : "ケースの編集", view, status: status)
    }

    /// GET /cases/{id}/edit: the form filled with the record, for those who may edit it (the
    /// Store refuses anyone else, audited, and audits the read).
    func editCasePage() throws -> HTTPResponse {
        let found = try readForEditing()
        return renderForm(CaseForm(found.record), status: 200, editing: found)
    }

    /// The case for its edit form; a refusal is the form's own Japanese 403.
    private func readForEditing() throws -> StoredCase {
        do throws(StoreError) {
            return try store.cases.readForEditing(id: caseID, as: actor)
        } catch  where error.kind == .permissionDenied {
            throw Self.mayNotEdit
        }
    }

    private static let mayNotEdit = PageRefusal(403, "このケースを編集する権限がありません。編集は保有機関が行います。")

    /// POST /cases/{id}/edit: saves the changed fields if the record is still at the version
    /// the form was filled from (another worker's change is never overwritten). The form's
    /// fields are merged into the stored record (`CaseEntry.apply`); the Store validates the
    /// result once. Shown again, the form keeps the version it was filled from, so that saving
    /// it again cannot overwrite a change made meanwhile either.
    func updateCasePage() throws -> HTTPResponse {
        // Refused (and audited) unless the actor may edit; the saved change is audited by the update.
        let found = try readForEditing()
        guard let version = BoundedInteger.parse(form["version"], in: Cases.versions) else { throw PageRefusal(400, "フォームが正しく送信されませんでした。開き直してください。") }
        var caseForm = CaseForm(form)
        let entry = caseForm.read()
        guard caseForm.isValid else { return renderForm(caseForm, status: 422, editing: found, version: version) }
        var placement = FormPlacement()
        do throws(StoreError) {
            _ = try store.cases.update(id: found.id, expectedVersion: version, as: actor) { record in
                placement = entry.apply(to: &record)
            }
        } catch  where error.kind == .invalidInput {
            caseForm.report(error, at: placement)
            return renderForm(caseForm, status: 422, editing: found, version: version)
        } catch  where error.kind == .stale {
            caseForm.error("", "保存できませんでした。この記録は編集を始めた後に他の職員が更新しています。入力内容を控えてから、記録を開き直してください。")
            return renderForm(caseForm, status: 412, editing: found, version: version)
        } catch  where error.kind == .conflict {
            caseForm.error("external_id", "この記録番号のケースは既に登録されています。")
            return renderForm(caseForm, status: 409, editing: found, version: version)
        } catch {
            throw error
        }
        return redirect("/cases/\(found.id)", notice: .caseSaved)
    }

    private func noteView(_ note: CaseNote) -> CasePage.Note {
        CasePage.Note(at: Display.time(note.at), author: note.author, authority: authorityName(note.authority), text: note.text)
    }

    /// GET /cases/{id}/notes?page=: every note on the case, newest first, 50 to a page.
    func notesPage() throws -> HTTPResponse {
        let pageSize = 50
        let page = try integer("page", in: 1...(Cases.noteOffsets.upperBound / pageSize + 1)) ?? 1
        let listed = try store.cases.notes(ofCase: caseID, limit: pageSize, offset: (page - 1) * pageSize, as: actor)
        let pages = max(1, (listed.total + pageSize - 1) / pageSize)
        func link(_ page: Int) -> String { "/cases/\(caseID)/notes?page=\(page)" }
        let view = NotesPage(
            caseID: caseID, total: listed.total, page: page, pages: pages, notes: listed.notes.map(noteView),
            previous: page > 1 ? link(page - 1) : nil, next: page < pages ? link(page + 1) : nil)
        return render("notes", "記録メモ", view)
    }

    /// POST /cases/{id}/notes.
    func addNotePage() throws -> HTTPResponse {
        guard !form["text"].isEmpty else { throw PageRefusal(400, "メモの内容を入力してください。") }
        guard form["text"].count <= Cases.maxNoteLength else {
            throw PageRefusal(
                400, "メモは\(Cases.maxNoteLength)文字までです（入力は\(form["text"].count)文字）。長い文書は「写真・資料」に添付してください。")
        }
        _ = try store.cases.addNote(toCase: caseID, text: form["text"], as: actor)
        return redirect("/cases/\(caseID)#notes", notice: .noteAdded)
    }

    /// POST /cases/{id}/attachments: a photo or document from the case page.
    func addAttachmentPage() throws -> HTTPResponse {
        guard let upload = form.file("photo") else { throw PageRefusal(400, "ファイルを選んでください。") }
        if let problem = CaseForm.problem(with: upload) { throw PageRefusal(422, problem) }
        _ = try store.attachments.add(toCase: caseID, content: upload.content, declaredType: nil, name: upload.fileName, as: actor)
        return redirect("/cases/\(caseID)#attachments", notice: .fileAttached)
    }

    /// GET /cases/{id}/request: the information request form for a summary-only search hit.
    func requestFormPage() throws -> HTTPResponse {
        render("request-form", "情報提供の依頼", try requestView(reason: ""))
    }

    private func requestView(reason: String) throws -> RequestFormPage {
        // The summary the search already showed, so the worker knows what is being asked for.
        guard let engine = app.engine, let hit = try engine.summary(ofCase: caseID, as: actor) else {
            throw StoreError(.notFound, "no case \(caseID)")
        }
        return RequestFormPage(caseID: caseID, hit: hitView(hit), reason: reason)
    }

    /// POST /cases/{id}/request: sends the request with its reason.
    func sendRequestPage() throws -> HTTPResponse {
        let reason = form["reason"]
        guard !reason.isEmpty else {
            var view = try requestView(reason: reason)
            view.reasonError = "依頼の理由を入力してください（保有機関が判断に使います）。"
            return render("request-form", "情報提供の依頼", view, status: 422)
        }
        _ = try store.requests.create(aboutCase: caseID, reason: reason, as: actor)
        return redirect("/requests", notice: .requestSent)
    }

    /// POST /cases/{id}/transfer: proposes a transfer or an information provision.
    func proposeTransferPage() throws -> HTTPResponse {
        let destination = try resolveAuthority(form["destination"])
        let kind = Transfer.Kind(rawValue: form["kind"]) ?? .transfer
        let reason = form["reason"]
        guard !reason.isEmpty else { throw PageRefusal(422, "移管の理由を入力してください。") }
        _ = try store.transfers.propose(ofCase: caseID, to: destination, kind: kind, urgent: form["urgent"] == "1", reason: reason, as: actor)
        return redirect("/transfers", notice: kind == .transfer ? .transferRequested : .provisionRequested)
    }

    /// An authority from what a worker types: its code, or its name when that is unique
    /// ("大阪市", or with the prefecture: "東京都府中市").
    func resolveAuthority(_ text: String) throws -> String {
        let typed = text.filter { !$0.isWhitespace }
        guard !typed.isEmpty else { throw PageRefusal(422, "送付先の機関を入力してください（機関コードまたは名称）。") }
        if store.directory[typed] != nil { return typed }
        let named = store.directory.authorities.values.filter { authority in
            guard authority.holdsCases else { return false }
            let prefecture = store.directory.prefecture(named: authority.prefectureCode)?.name ?? ""
            return authority.name == typed || prefecture + authority.name == typed
        }
        switch named.count {
        case 1: return named[0].code
        case 0: throw PageRefusal(422, "「\(typed.prefix(40))」という機関は見つかりません。機関コードまたは正式な名称を入力してください。")
        default:
            let choices = named.sorted { $0.code < $1.code }.prefix(10).map {
                "\(store.directory.prefecture(named: $0.prefectureCode)?.name ?? "")\($0.name)（\($0.code)）"
            }
            throw PageRefusal(422, "「\(typed.prefix(40))」に当たる機関が複数あります: \(choices.joined(separator: "、"))。機関コードで指定してください。")
        }
    }

    /// POST /cases/{id}/alert: a missing-child alert with its photo (CGC holders).
    func openAlertPage() throws -> HTTPResponse {
        let circumstances = form["circumstances"]
        guard !circumstances.isEmpty, circumstances.count <= RecordValidator.maxTextLength else {
            throw PageRefusal(422, "不明になった状況を入力してください（\(RecordValidator.maxTextLength)文字まで）。")
        }
        // Everything the alert could be refused for is checked before the photo is stored with the case.
        if try store.alerts.list(as: actor).contains(where: { $0.caseID == caseID }) {
            throw PageRefusal(409, "この児童の照会は既に発出中です。")
        }
        var photoID: String?
        if let upload = form.file("photo") {
            if let problem = CaseForm.problem(with: upload) { throw PageRefusal(422, problem) }
            guard AttachmentKind(sniffing: upload.content) != .pdf else { throw PageRefusal(422, "照会に付ける写真は画像ファイルを選んでください。") }
            photoID = try store.attachments.add(toCase: caseID, content: upload.content, declaredType: nil, name: upload.fileName, as: actor).id
        }
        let alert = try store.alerts.open(forCase: caseID, circumstances: circumstances, photoAttachmentID: photoID, as: actor)
        return redirect("/alerts/\(alert.id)", notice: .alertOpened)
    }

    /// POST /cases/{id}/flag/confirm: the holder's supervisor or administrator opens the case to
    /// the ministry, as it asked (the Store refuses anyone else, audited).
    func confirmFlagPage() throws -> HTTPResponse {
        try store.seriousCases.confirm(caseID, as: actor)
        return redirect("/cases/\(caseID)", notice: .flagConfirmed)
    }

    /// POST /cases/{id}/flag: reports (or withdraws) the case as serious.
    func flagCasePage() throws -> HTTPResponse {
        let serious = form["serious"] != "0"
        try store.seriousCases.flag(caseID, serious, as: actor)
        return redirect("/cases/\(caseID)", notice: serious ? .flagged : .unflagged)
    }

    /// Municipalities and child guidance centres hold cases; the ministry and operators do not
    /// (the Store decides, and audits a refusal).
    func requireCaseHolder() throws {
        try store.require(.registerCases(holder: authority), as: actor, action: "case.list", target: authority)
    }

    static func size(_ bytes: Int) -> String {
        bytes >= 1 << 20 ? String(format: "%.1fMB", Double(bytes) / Double(1 << 20)) : "\(max(1, bytes / 1024))KB"
    }
}
