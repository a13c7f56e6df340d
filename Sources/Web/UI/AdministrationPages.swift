import Foundation
import HTTPServer
import Store

/// The ministry's pages (serious cases, annual reports), authority settings, user
/// administration and the audit view.
extension PageRequest {
    /// GET /serious: the cases flagged serious (ministry staff).
    func seriousCasesPage() throws -> HTTPResponse {
        let flagged = try store.seriousCases.list(as: actor)
        return render(
            "serious", "重大事例",
            SeriousPage(
                cases: flagged.map { entry in
                    SeriousPage.Case(
                        caseID: entry.caseID, child: entry.found.map { Display.name($0.record.child) } ?? "（保有されていません）",
                        holder: entry.found.map { store.directory[$0.holder]?.name ?? $0.holder } ?? "",
                        status: entry.found.map { Display.status($0.record.status.rawValue) } ?? "", flaggedBy: entry.flaggedBy,
                        at: Display.time(entry.flaggedAt))
                }))
    }

    /// GET /reports: the published report forms; the ministry also publishes new ones here.
    func reportsPage() throws -> HTTPResponse {
        try reportsPage(status: 200, error: nil)
    }

    private func reportsPage(status: Int, error: String?) throws -> HTTPResponse {
        let view = ReportsPage(
            forms: try store.reports.forms().map { ReportsPage.Form(id: $0.id, year: $0.year, title: $0.title, fields: $0.fields.count) },
            canPublish: role == .ministry, year: form["year"], formTitle: form["title"], fieldsText: form["fields"], error: error)
        return render("reports", "年次報告", view, status: status)
    }

    /// POST /reports: publishes a form; its fields are one per line, `key,label,integer|text`.
    func publishReportPage() throws -> HTTPResponse {
        guard let year = BoundedInteger.parse(form["year"], in: Reports.years) else {
            return try reportsPage(status: 422, error: "年度を西暦で入力してください（例: 2026）。")
        }
        guard !form["title"].isEmpty else { return try reportsPage(status: 422, error: "報告の名称を入力してください。") }
        var fields: [ReportForm.Field] = []
        for (number, line) in form["fields"].split(whereSeparator: \.isNewline).enumerated() {
            let parts = line.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 3, let type = ReportForm.Field.Kind(rawValue: parts[2]) else {
                return try reportsPage(status: 422, error: "項目の\(number + 1)行目は「キー,項目名,integer または text」の形で書いてください。")
            }
            fields.append(ReportForm.Field(key: parts[0], label: parts[1], type: type))
        }
        let published = try store.reports.publish(
            year: year, title: form["title"], fields: fields, deadline: form["deadline"].isEmpty ? nil : form["deadline"],
            audience: ReportForm.Audience(rawValue: form["audience"]) ?? .all, as: actor)
        return redirect("/reports/\(published.id)", notice: .reportPublished)
    }

    /// GET /reports/{id}: the ministry sees the submissions (and exports CSV); others answer the form.
    func reportPage() throws -> HTTPResponse {
        let report = try store.reports.form(ids[0])
        // An authority sees its own submission filled in, to correct it.
        let own = role == .ministry ? nil : try store.reports.submissions(report.id, as: actor).first
        var view = ReportPage(
            id: report.id, year: report.year, reportTitle: report.title,
            fields: report.fields.map { field in
                ReportPage.Field(key: field.key, label: field.label, integer: field.type == .integer, value: own?.answers[field.key] ?? "")
            })
        if let own { view.submitted = "\(Display.time(own.submittedAt))に\(own.submittedBy)が提出済み。訂正して再提出できます。" }
        view.deadline = report.deadline.map { Display.date($0) }
        view.audience = ["all": "市町村・児童相談所", "cgc": "児童相談所", "municipality": "市町村"][report.audience.rawValue] ?? ""
        if role == .ministry {
            view.ministry = true
            let summary = try store.reports.summary(report.id, as: actor)
            view.summary = ReportPage.Summary(
                expected: summary.expected, submitted: summary.all.submitted, nonSubmitters: summary.nonSubmitters.map(authorityName),
                hasNonSubmitters: !summary.nonSubmitters.isEmpty,
                figures: report.fields.filter { $0.type == .integer }.map { field in
                    ReportPage.Figure(
                        label: field.label, total: String(summary.all.totals[field.key] ?? 0),
                        mean: summary.all.means[field.key].map { String(format: "%.2f", $0) } ?? "—")
                })
            view.submissions = try store.reports.submissions(report.id, as: actor).map { submission in
                ReportPage.Submission(
                    authority: authorityName(submission.authority), by: submission.submittedBy, at: Display.time(submission.submittedAt),
                    answers: report.fields.map { submission.answers[$0.key] ?? "" })
            }
        }
        return render("report", report.title, view)
    }

    /// POST /reports/{id}/remind: the ministry reminds every authority that has not submitted.
    func remindReportPage() throws -> HTTPResponse {
        try store.reports.remind(ids[0], as: actor)
        return redirect("/reports/\(ids[0])", notice: .reportReminded)
    }

    /// POST /reports/{id}: submits (or corrects) the authority's answers.
    func submitReportPage() throws -> HTTPResponse {
        let report = try store.reports.form(ids[0])
        var answers: [String: String] = [:]
        for field in report.fields { answers[field.key] = form[field.key] }
        try store.reports.submit(report.id, answers: answers, as: actor)
        return redirect("/reports/\(report.id)", notice: .reportSubmitted)
    }

    /// GET /settings: the authority's settings (administrators).
    func settingsPage() throws -> HTTPResponse {
        try store.settings.requireChange(of: authority, as: actor)
        let (settings, tightened) = try store.settings.read(of: authority, as: actor)
        let contacts = store.contacts(of: authority)
        let rules = Labels.relations.compactMap { name, label -> SettingsPage.Rule? in
            guard let relation = CaseRelation(rawValue: name), let allowed = AccessPolicy.defaults[relation] else { return nil }
            let effective = tightened[relation] ?? allowed
            return SettingsPage.Rule(
                relation: name, label: label,
                capabilities: AccessPolicy.Capabilities.names.filter { allowed.contains($0.1) }.map { capability, flag in
                    SettingsPage.Capability(name: capability, label: Labels.capabilities[capability] ?? capability, checked: effective.contains(flag))
                })
        }
        let view = SettingsPage(
            approvalRequired: settings.approvalRequired, secondFactorRequired: settings.secondFactorRequired, grantDays: settings.grantDays,
            retentionDays: settings.retentionDays.map(String.init) ?? "", webhookURL: settings.webhookURL ?? "",
            webhookSecretSet: settings.webhookSecretSet, rules: rules, department: contacts.department ?? "", daytime: contacts.daytime ?? "",
            nightHoliday: contacts.nightHoliday ?? "")
        var shown = view
        let hidden = try store.settings.hiddenFields(of: authority, as: actor)
        shown.hidden = AccessPolicy.hideableRelations.map { relation in
            SettingsPage.Hidden(
                relation: relation.rawValue, label: Labels.label(relation.rawValue, in: Labels.relations),
                fields: HideableField.allCases.map { field in
                    SettingsPage.Capability(
                        name: field.rawValue, label: HideableField.labels[field] ?? field.rawValue, checked: hidden[relation]?.contains(field) == true
                    )
                })
        }
        try showRouting(on: &shown)
        return render("settings", "機関の設定", shown)
    }

    /// Labels of the workflows an authority names approvers for.
    private static let workflowLabels: [ApprovalWorkflow: String] = [
        .transfer: "移管の承認", .provision: "情報提供の承認", .request: "情報提供依頼への回答",
    ]

    /// The approvers and notification targets sections of the settings form.
    private func showRouting(on page: inout SettingsPage) throws {
        func routed(_ field: String, _ label: String, _ audience: Audience, webhook: Bool) -> SettingsPage.Routed {
            SettingsPage.Routed(
                field: field, label: label,
                roles: Audience.namableRoles.map { role in
                    SettingsPage.Capability(
                        name: role.rawValue, label: Labels.label(role.rawValue, in: Labels.roles), checked: audience.roles.contains(role))
                }, users: audience.users.sorted().joined(separator: ", "), webhookOn: webhook)
        }
        let approvers = try store.settings.approvers(of: authority)
        page.approvers = ApprovalWorkflow.allCases.map { workflow in
            routed(
                "approvers.\(workflow.rawValue)", Self.workflowLabels[workflow] ?? workflow.rawValue,
                approvers[workflow] ?? workflow.defaultApprovers,
                webhook: false)
        }
        let targets = try store.settings.notificationTargets(of: authority)
        let everyone = Audience(roles: Set(Audience.namableRoles))
        page.targets = Notifications.kinds.map { kind in
            let target = targets[kind] ?? NotificationTarget(audience: everyone)
            return routed("targets.\(kind)", Labels.notificationKinds[kind] ?? kind, target.audience, webhook: target.webhook)
        }
    }

    /// The audience the settings form sent for `name` (`prefix.name.roles`, `….users`): nil when
    /// it is `standard` (the default need not be stored).
    private func submittedAudience(_ prefix: String, _ name: String, standard: Audience) throws -> Audience? {
        var roles: Set<Actor.Role> = []
        for value in form.all("\(prefix).\(name).roles") {
            guard let role = Actor.Role(rawValue: value), Audience.namableRoles.contains(role) else {
                throw PageRefusal(422, "承認者・通知先の役割が正しくありません。画面を開き直してください。")
            }
            roles.insert(role)
        }
        let users = Set(
            form["\(prefix).\(name).users"].split(whereSeparator: { ",、 　".contains($0) }).map { String($0) }.filter { !$0.isEmpty })
        let audience = Audience(roles: roles, users: users)
        return audience == standard ? nil : audience
    }

    /// The approvers and notification targets the settings form sent, checked by the Store before anything is written.
    /// A form without the sections (`routing` absent) changes neither.
    private func submittedRouting() throws -> ([ApprovalWorkflow: Audience?], [String: NotificationTarget?]) {
        guard form["routing"] == "1" else { return ([:], [:]) }
        var approvers: [ApprovalWorkflow: Audience?] = [:]
        for workflow in ApprovalWorkflow.allCases {
            approvers.updateValue(
                try submittedAudience("approvers", workflow.rawValue, standard: workflow.defaultApprovers), forKey: workflow)
        }
        var targets: [String: NotificationTarget?] = [:]
        let everyone = Audience(roles: Set(Audience.namableRoles))
        for kind in Notifications.kinds {
            let audience = try submittedAudience("targets", kind, standard: everyone)
            let webhook = form["targets.\(kind).webhook"] == "1"
            targets.updateValue(audience == nil && webhook ? nil : NotificationTarget(audience: audience ?? everyone, webhook: webhook), forKey: kind)
        }
        try store.settings.check(approvers, of: authority)
        try store.settings.check(targets, of: authority)
        return (approvers, targets)
    }

    /// The access rules as the settings form sent them: per relation, the capabilities kept
    /// (nil where the default is kept whole). The form only offers the default's capabilities.
    private func submittedRules() throws -> [(CaseRelation, AccessPolicy.Capabilities?)] {
        try Labels.relations.compactMap { name, _ -> (CaseRelation, AccessPolicy.Capabilities?)? in
            guard let relation = CaseRelation(rawValue: name), let allowed = AccessPolicy.defaults[relation] else { return nil }
            var kept = AccessPolicy.Capabilities()
            for capability in form.all("rule.\(name)") {
                guard let flag = AccessPolicy.Capabilities.names.first(where: { $0.0 == capability })?.1 else {
                    throw PageRefusal(422, "アクセス権限の項目が正しくありません。画面を開き直してください。")
                }
                kept.insert(flag)
            }
            return (relation, kept == allowed ? nil : kept)
        }
    }

    /// POST /settings.
    func updateSettingsPage() throws -> HTTPResponse {
        try store.settings.requireChange(of: authority, as: actor)
        var (settings, current) = try store.settings.read(of: authority, as: actor)
        settings.approvalRequired = form["approval_required"] == "1"
        settings.secondFactorRequired = form["second_factor_required"] == "1"
        guard let grantDays = BoundedInteger.parse(form["grant_days"], in: 1...3650) else {
            throw PageRefusal(422, "情報提供の閲覧期間は1〜3650日の数字で入力してください。")
        }
        settings.grantDays = grantDays
        if form["retention_days"].isEmpty {
            settings.retentionDays = nil
        } else {
            guard let days = BoundedInteger.parse(form["retention_days"], in: 1...36500) else {
                throw PageRefusal(422, "終結ケースの保存期間は1〜36500日の数字で入力するか、空欄にしてください。")
            }
            settings.retentionDays = days
        }
        settings.webhookURL = form["webhook_url"].isEmpty ? nil : form["webhook_url"]
        if !form["webhook_secret"].isEmpty { settings.webhookSecret = form["webhook_secret"] }
        // Only the rules that change; the Store checks them whole and writes them with the settings.
        var rules: [CaseRelation: AccessPolicy.Capabilities?] = [:]
        for (relation, capabilities) in try submittedRules() where current[relation] != capabilities { rules[relation] = capabilities }
        let contacts = AuthorityContacts(
            department: form["contacts.department"], daytime: form["contacts.daytime"], nightHoliday: form["contacts.night_holiday"])
        var hidden: [CaseRelation: Set<HideableField>] = [:]
        for relation in AccessPolicy.hideableRelations {
            hidden[relation] = Set(form.all("hidden.\(relation.rawValue)").compactMap(HideableField.init(rawValue:)))
        }
        let (approvers, targets) = try submittedRouting()
        try store.settings.update(of: authority, settings, rules: rules, contacts: contacts, as: actor)
        if store.directory[authority]?.holdsCases == true { try store.settings.setHiddenFields(of: authority, hidden, as: actor) }
        try store.settings.setApprovers(of: authority, approvers, as: actor)
        try store.settings.setNotificationTargets(of: authority, targets, as: actor)
        return redirect("/settings", notice: .settingsSaved)
    }

    /// GET /users: the authority's users (administrators).
    func usersPage() throws -> HTTPResponse {
        try render("users", "利用者の管理", usersView())
    }

    /// The users and the form to add one, with what was typed kept (the messages are the caller's).
    private func usersView() throws -> UsersPage {
        let accounts = try store.users.accounts(of: authority, as: actor)
        let tokens = TokenRow.active(try store.tokens.list(ofAuthority: authority, as: actor))
        return UsersPage(
            users: accounts.map { account in
                let user = account.user
                return UsersPage.User(
                    login: user.login, name: user.displayName, role: Labels.label(user.role.rawValue, in: Labels.roles),
                    disabled: user.disabled, self: user.login == session.user.login,
                    lastLogin: account.lastLoginAt.map { Display.time($0) } ?? "なし",
                    locked: account.lockedUntil.map { "ロック中（\(Display.time($0))まで）" },
                    roleOptions: Labels.options(Labels.roles, selected: user.role.rawValue), secondFactor: account.secondFactor)
            },
            tokens: tokens, hasTokens: !tokens.isEmpty,
            roles: Labels.options(Labels.roles, selected: form["role"].isEmpty ? "worker" : form["role"]),
            login: form["login"], displayName: form["display_name"])
    }

    /// POST /users: adds a user to the administrator's own authority.
    func createUserPage() throws -> HTTPResponse {
        var loginError: String?
        var displayNameError: String?
        var passwordError: String?
        let login = form["login"]
        if login.range(of: "^[a-z0-9._-]{3,64}$", options: .regularExpression) == nil {
            loginError = "ログインIDは英小文字・数字・「.」「_」「-」の3〜64文字にしてください。"
        }
        if form["display_name"].isEmpty { displayNameError = "氏名を入力してください。" }
        let password = form.all("password").first ?? ""
        if password.count < Users.minimumPasswordLength { passwordError = "パスワードは\(Users.minimumPasswordLength)文字以上にしてください。" }
        let role = Actor.Role(rawValue: form["role"]) ?? .worker
        guard [.worker, .supervisor, .administrator].contains(role) else { throw PageRefusal(422, "役割を選んでください。") }
        guard loginError == nil, displayNameError == nil, passwordError == nil else {
            var view = try usersView()
            (view.loginError, view.displayNameError, view.passwordError) = (loginError, displayNameError, passwordError)
            return render("users", "利用者の管理", view, status: 422)
        }
        do throws(StoreError) {
            _ = try store.users.create(
                login: login, authority: authority, role: role, displayName: form["display_name"], password: password, as: actor)
        } catch  where error.kind == .conflict {
            var view = try usersView()
            view.loginError = "このログインIDは既に使われています。"
            return render("users", "利用者の管理", view, status: 409)
        } catch {
            throw error
        }
        return redirect("/users", notice: .userAdded)
    }

    /// POST /users/disable.
    func disableUserPage() throws -> HTTPResponse {
        guard form["login"] != session.user.login else { throw PageRefusal(422, "自分自身は無効にできません。") }
        try store.users.disable(form["login"], as: actor)
        return redirect("/users", notice: .userDisabled)
    }

    /// POST /users/enable: an administrator enables a disabled user again.
    func enableUserPage() throws -> HTTPResponse {
        try store.users.enable(form["login"], as: actor)
        return redirect("/users", notice: .userEnabled)
    }

    /// POST /users/unlock: an administrator lifts the lock failed sign-ins put on a login.
    func unlockUserPage() throws -> HTTPResponse {
        try store.users.unlock(form["login"], as: actor)
        return redirect("/users", notice: .userUnlocked)
    }

    /// POST /users/role: an administrator changes another user's role.
    func changeRolePage() throws -> HTTPResponse {
        guard let role = Actor.Role(rawValue: form["role"]) else { throw PageRefusal(422, "役割を選んでください。") }
        guard form["login"] != session.user.login else { throw PageRefusal(422, "自分自身の役割は変更できません。ほかの管理者に依頼してください。") }
        try store.users.setRole(of: form["login"], to: role, as: actor)
        return redirect("/users", notice: .roleChanged)
    }

    /// POST /sessions/{id}/end: the user ends one of its own other sessions.
    func endSessionPage() throws -> HTTPResponse {
        try store.sessions.end(reference: ids[0], of: session)
        return redirect("/password", notice: .sessionEnded)
    }

    /// POST /users/password: an administrator sets a new password for one of its users.
    func resetPasswordPage() throws -> HTTPResponse {
        let password = form.all("password").first ?? ""
        guard password.count >= Users.minimumPasswordLength else {
            throw PageRefusal(422, "新しいパスワードは\(Users.minimumPasswordLength)文字以上にしてください。")
        }
        try store.users.changePassword(of: form["login"], current: nil, new: password, as: actor)
        return redirect("/users", notice: .passwordReset)
    }

    /// GET /password: the signed-in user changes its own password, and sees (and revokes) its API tokens.
    func passwordPage() throws -> HTTPResponse {
        render("password", "パスワードの変更", try passwordView())
    }

    /// The password form with the user's own API tokens that still work.
    private func passwordView() throws -> PasswordPage {
        var page = PasswordPage(tokens: TokenRow.active(try store.tokens.list(of: session.user.login, as: actor)))
        page.sessions = try store.sessions.list(of: session).map { info in
            PasswordPage.Session(
                reference: info.reference, created: Display.time(info.createdAt), lastSeen: Display.time(info.lastSeenAt), current: info.current)
        }
        return page
    }

    /// POST /tokens/{id}/revoke: the user revokes one of its tokens (from its password page), or
    /// an administrator one of its users' (from the users page, `from=users`); anyone else's does
    /// not exist for it.
    func revokeTokenPage() throws -> HTTPResponse {
        guard let id = BoundedInteger.parse(ids[0], in: 1...Int.max) else {
            throw PageRefusal(404, "お探しのAPIトークンは見つからないか、操作する権限がありません。")
        }
        try store.tokens.revoke(id, as: actor)
        return redirect(form["from"] == "users" ? "/users" : "/password", notice: .tokenRevoked)
    }

    /// POST /password: checked against the current password; other sessions and every API token of the user end.
    func changePasswordPage() throws -> HTTPResponse {
        let current = form.all("current").first ?? ""
        let new = form.all("new").first ?? ""
        var view = try passwordView()
        if current.isEmpty { view.currentError = "現在のパスワードを入力してください。" }
        if new.count < Users.minimumPasswordLength { view.newError = "新しいパスワードは\(Users.minimumPasswordLength)文字以上にしてください。" }
        if new == session.user.login { view.newError = "ログインIDと同じパスワードは使えません。" }
        if new != (form.all("confirm").first ?? "") { view.confirmError = "確認のため、同じパスワードをもう一度入力してください。" }
        guard view.currentError == nil, view.newError == nil, view.confirmError == nil else {
            return render("password", "パスワードの変更", view, status: 422)
        }
        do throws(StoreError) {
            try store.users.changePassword(of: session.user.login, current: current, new: new, keepingSession: session.id, as: actor)
        } catch  where error.kind == .permissionDenied {
            return render("password", "パスワードの変更", PasswordPage(tokens: view.tokens, currentError: "現在のパスワードが正しくありません。"), status: 422)
        } catch  where error.kind == .tooManyAttempts {
            return render("password", "パスワードの変更", PasswordPage(tokens: view.tokens, currentError: "誤りが続いたため、15分間変更できません。"), status: 429)
        } catch {
            throw error
        }
        return redirect("/search", notice: .passwordChanged)
    }

    /// GET /audit: the authority's audit trail (administrators); page back with `before`.
    func auditPage() throws -> HTTPResponse {
        let before = try integer("before", in: 1...Int.max)
        let entries = try store.auditLog.auditTrail(of: authority, as: actor, limit: 100, before: before)
        var view = AuditPage(
            entries: entries.map { entry in
                AuditPage.Entry(
                    id: entry.id, at: Display.time(entry.at), actor: entry.actor, authority: entry.authority.map(authorityName) ?? "",
                    action: entry.action, target: entry.target ?? "", detail: entry.detail ?? "")
            })
        if entries.count == 100, let last = entries.last { view.older = "/audit?before=\(last.id)" }
        // The cases the authority voided (kept for the audit), on the trail's first page: never the reason.
        if before == nil, store.directory[authority]?.holdsCases == true {
            view.voided = try store.cases.voided(holder: authority, as: actor).map { voided in
                AuditPage.Voided(
                    id: voided.id, externalID: voided.externalID,
                    at: Timestamp.date(voided.voidedAt).flatMap { Display.time($0, western: true) } ?? voided.voidedAt, by: voided.voidedBy)
            }
            view.voidedShown = true
            view.voidedEmpty = view.voided.isEmpty
        }
        return render("audit", "監査ログ", view)
    }
}
