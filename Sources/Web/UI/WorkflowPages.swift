import Foundation
import HTTPServer
import Store

/// The pages of the work between authorities: inbox, transfers, information requests and
/// missing-child alerts.
extension PageRequest {
    /// GET /inbox: notifications and match alerts, unread first, each linking to what it is about.
    func inboxPage() throws -> HTTPResponse {
        let notifications = try store.notifications.inbox(of: authority, as: actor, limit: 200)
        return render(
            "inbox", "受信箱",
            InboxPage(
                notifications: notifications.map { notification in
                    InboxPage.Notification(
                        id: notification.id, label: Labels.notificationKinds[notification.kind] ?? notification.kind,
                        from: (notification.from.map(authorityName) ?? "")
                            + (notification.kind.hasSuffix(".viewed") ? notification.ref.map { "（\($0)）" } ?? "" : ""),
                        at: Display.time(notification.at), unread: notification.readAt == nil,
                        match: notification.kind == "match.found")
                }))
    }

    /// Where a notification leads.
    static func link(of notification: InboxNotification) -> String? {
        switch notification.kind {
        case let kind where kind.hasPrefix("alert."): notification.ref.map { "/alerts/\($0)" }
        case let kind where kind.hasPrefix("transfer."): "/transfers"
        case let kind where kind.hasPrefix("request."): "/requests"
        case "report.reminder": notification.ref.map { "/reports/\($0)" }
        default: notification.caseID.map { "/cases/\($0)" }
        }
    }

    /// POST /inbox/{id}/open: marks the notification read and goes to what it is about (a POST:
    /// a prefetched link must not mark anything read).
    func openNotificationPage() throws -> HTTPResponse {
        guard let id = Int(ids[0]) else { throw StoreError(.notFound, "no notification") }
        return WebPages.redirect(Self.link(of: try store.notifications.markRead(id, as: actor)) ?? "/inbox")
    }

    /// POST /inbox/{id}/dismiss: a match alert is two different children.
    func dismissMatchPage() throws -> HTTPResponse {
        guard let id = Int(ids[0]) else { throw StoreError(.notFound, "no notification") }
        try store.notifications.dismissMatch(id, as: actor)
        return redirect("/inbox", notice: .matchDismissed)
    }

    /// POST /inbox/{id}/read.
    func markReadPage() throws -> HTTPResponse {
        guard let id = Int(ids[0]) else { throw StoreError(.notFound, "no notification") }
        try store.notifications.markRead(id, as: actor)
        return redirect("/inbox")
    }

    /// GET /transfers: incoming and outgoing transfers and provisions, with the actions each side has.
    func transfersPage() throws -> HTTPResponse {
        let transfers = try store.transfers.list(of: authority, as: actor, limit: 200)
        let supervisor = [Actor.Role.supervisor, .administrator].contains(role)
        func entry(_ transfer: Transfer) -> TransfersPage.Transfer {
            let incoming = transfer.destination == authority
            var entry = TransfersPage.Transfer(
                id: transfer.id, caseID: transfer.caseID, kind: transfer.kind == .transfer ? "移管" : "情報提供",
                origin: authorityName(transfer.origin), destination: authorityName(transfer.destination),
                state: Labels.transferStates[transfer.state.rawValue] ?? transfer.state.rawValue, reason: transfer.reason,
                urgent: transfer.urgent, created: Display.time(transfer.createdAt), updated: Display.time(transfer.updatedAt))
            if incoming, transfer.state == .sent {
                entry.canConfirm = true
                entry.canDecline = true
            }
            if !incoming, [.proposed, .sent].contains(transfer.state) { entry.canWithdraw = true }
            if !incoming, transfer.state == .proposed, supervisor { entry.canApprove = true }
            if transfer.state == .confirmed, incoming || transfer.kind == .provision { entry.canOpen = true }
            // The destination reads what it is asked to accept before confirming it.
            if incoming, transfer.state == .sent, transfer.kind == .transfer { entry.canOpen = true }
            if !incoming, transfer.state == .confirmed, transfer.kind == .transfer { entry.canOpenFormer = true }
            return entry
        }
        return render(
            "transfers", "移管・情報提供",
            TransfersPage(
                incoming: transfers.filter { $0.destination == authority }.map(entry),
                outgoing: transfers.filter { $0.origin == authority }.map(entry)))
    }

    /// POST /transfers/{id}/{approve|withdraw|decline|confirm}.
    func transferStepPage() throws -> HTTPResponse {
        let id = ids[0]
        let notice: Notice
        switch ids[1] {
        case "approve":
            _ = try store.transfers.approve(id, as: actor)
            notice = .transferApproved
        case "withdraw":
            _ = try store.transfers.withdraw(id, as: actor)
            notice = .transferWithdrawn
        case "decline":
            guard !form["reason"].isEmpty else { throw PageRefusal(422, "辞退の理由を入力してください。") }
            _ = try store.transfers.decline(id, reason: form["reason"], as: actor)
            notice = .declined
        case "confirm":
            let transfer = try store.transfers.confirm(id, handoverConfirmed: form["handover_confirmed"] == "1", as: actor)
            return redirect("/cases/\(transfer.caseID)", notice: .transferConfirmed)
        default:
            throw StoreError(.notFound, "no such step")
        }
        return redirect("/transfers", notice: notice)
    }

    /// GET /requests: information requests received (to answer) and sent.
    func requestsPage() throws -> HTTPResponse {
        let requests = try store.requests.list(of: authority, as: actor, limit: 200)
        func entry(_ request: InformationRequest) -> RequestsPage.Request {
            RequestsPage.Request(
                id: request.id, caseID: request.caseID, requester: authorityName(request.requester), holder: authorityName(request.holder),
                reason: request.reason, state: Labels.requestStates[request.state.rawValue] ?? request.state.rawValue,
                created: Display.time(request.createdAt), createdBy: request.createdBy, answer: request.answer,
                canAnswer: request.holder == authority && request.state == .requested,
                transferID: request.requester == authority && request.state == .approved ? request.transferID : nil)
        }
        return render(
            "requests", "情報提供依頼",
            RequestsPage(
                received: requests.filter { $0.holder == authority }.map(entry),
                sent: requests.filter { $0.requester == authority }.map(entry)))
    }

    /// POST /requests/{id}/{approve|decline}.
    func answerRequestPage() throws -> HTTPResponse {
        switch ids[1] {
        case "approve":
            _ = try store.requests.approve(ids[0], as: actor)
            return redirect("/requests", notice: .requestApproved)
        case "decline":
            guard !form["reason"].isEmpty else { throw PageRefusal(422, "辞退の理由を入力してください。") }
            _ = try store.requests.decline(ids[0], reason: form["reason"], as: actor)
            return redirect("/requests", notice: .declined)
        default:
            throw StoreError(.notFound, "no such step")
        }
    }

    /// GET /alerts: the open missing-child alerts nationwide (child guidance centres), and closed ones of the own authority.
    func alertsPage() throws -> HTTPResponse {
        let alerts = try store.alerts.list(as: actor, includeClosed: true)
        var view = AlertsPage(
            open: alerts.filter { $0.state == .open }.map(alertView),
            closed: alerts.filter { $0.state == .closed && $0.origin == authority }.map(alertView))
        if query["state"] == "closed" {
            view.past = AlertsPage.PastSearch(
                name: query["name"] ?? "", kana: query["kana"] ?? "", birthdate: query["birthdate"] ?? "", from: query["from"] ?? "",
                to: query["to"] ?? "", asked: true)
            let search: PastAlertQuery
            do throws(Refusal) { search = try WebApplication.pastAlertQuery(query) } catch {
                throw PageRefusal(400, "氏名・ふりがな・生年月日のいずれかを入力し、日付は 2026-04-01 のように入力してください。")
            }
            view.past.results = try store.alerts.searchPast(search, as: actor).map { past in
                AlertsPage.Past(
                    origin: authorityName(past.origin), name: past.profile.name, kana: past.profile.kana,
                    birthdate: Display.date(past.profile.birthdate), created: Display.time(past.createdAt),
                    closed: past.closedAt.map(Display.time) ?? "",
                    located: past.locatedBy.map { "所在確認: \(authorityName($0))（\(past.locatedAt.map(Display.time) ?? "")）" })
            }
        }
        return render("alerts", "行方不明児童の照会", view)
    }

    private func alertView(_ alert: MissingChildAlert) -> AlertView {
        AlertView(
            id: alert.id, origin: authorityName(alert.origin), name: alert.profile.name, kana: alert.profile.kana,
            birthdate: Display.date(alert.profile.birthdate), sex: Display.sex(alert.profile.sex), circumstances: alert.circumstances,
            photo: alert.hasPhoto, created: Display.time(alert.createdAt), open: alert.state == .open, closed: alert.closedAt.map(Display.time),
            own: alert.origin == authority,
            responses: alert.responses.map {
                AlertView.Response(
                    at: Display.time($0.at), authority: authorityName($0.authority), actor: $0.actor,
                    kind: $0.kind == .located ? "所在確認" : "情報提供", text: $0.text)
            },
            views: alert.views?.map { AlertView.Viewer(authority: authorityName($0.authority), at: Display.time($0.firstSeenAt)) })
    }

    /// GET /alerts/{id}: the alert's profile and photo, the answers, and the forms to answer or close it.
    func alertPage() throws -> HTTPResponse {
        let alert = try store.alerts.read(ids[0], as: actor)
        return render("alert", "行方不明児童の照会", alertView(alert))
    }

    /// POST /alerts/{id}/respond: "located" or more information.
    func respondToAlertPage() throws -> HTTPResponse {
        guard !form["text"].isEmpty else { throw PageRefusal(422, "いつ・どこで・どのような情報かを入力してください。") }
        let kind: MissingChildAlert.Response.Kind = form["kind"] == "located" ? .located : .information
        _ = try store.alerts.respond(ids[0], kind: kind, text: form["text"], as: actor)
        return redirect("/alerts/\(ids[0])", notice: .alertAnswered)
    }

    /// POST /alerts/{id}/close (the originator).
    func closeAlertPage() throws -> HTTPResponse {
        _ = try store.alerts.close(ids[0], as: actor)
        return redirect("/alerts", notice: .alertClosed)
    }
}
