import Foundation
import HTTPServer
import Query
import Store

/// A page request from a signed-in user, with what every page handler needs.
struct PageRequest {
    let app: WebApplication
    let request: HTTPRequest
    /// The ids captured from the route's `{id}` segments.
    let ids: [String]
    let session: BrowserSession
    let store: Store
    let pages: WebPages
    let form: FormData

    var actor: Actor { session.user.actor }
    var authority: String { session.user.authority }
    var role: Actor.Role { session.user.role }
    var query: [String: String] { request.query }

    /// A page with its title and the header (user, navigation) filled in.
    func render(_ template: String, _ title: String, _ view: some PageView, status: Int = 200) -> HTTPResponse {
        var view = view
        view.title = title
        view.user = navigation()
        return pages.page(template, view, status: status)
    }

    /// A Japanese error page for a refused or failed operation.
    func failure(_ error: any Error) -> HTTPResponse {
        let (status, message): (Int, String)
        var detail: String?
        switch error {
        case let refusal as PageRefusal:
            (status, message) = (refusal.status, refusal.message)
        case let error as StoreError:
            app.logIfServiceFailure(error)
            (status, _, message) = error.http
            // The Store's diagnostic, for the user whose entry caused it (never logged).
            if status != 404, status != 403, status != 500 { detail = error.description }
        default:
            (status, message) = (500, "ただいま処理できません。しばらくしてからもう一度お試しください。")
        }
        return render("error", "エラー", ErrorPage(message: message, detail: detail), status: status)
    }

    /// Where to go after a successful POST (Post/Redirect/Get), with what was done. The address
    /// carries the notice's name, never its text: a link cannot make an official-looking notice say
    /// something else.
    func redirect(_ location: String, notice: Notice? = nil) -> HTTPResponse {
        guard let notice else { return WebPages.redirect(location) }
        let (path, fragment) = location.firstIndex(of: "#").map { (location[..<$0], location[$0...]) } ?? (location[...], "")
        return WebPages.redirect(path + (path.contains("?") ? "&" : "?") + "notice=" + notice.rawValue + fragment)
    }

    /// The header: who is signed in, the CSRF token for forms, and the menu this user has.
    func navigation() -> Navigation {
        let unread: Int
        do { unread = try store.notifications.inbox(of: authority, as: actor, unreadOnly: true, limit: 100).count } catch {
            app.logIfServiceFailure(error)  // the page is shown without the count
            unread = 0
        }
        let kind = store.directory[authority]?.kind
        return Navigation(
            displayName: session.user.displayName, authorityName: store.directory[authority]?.name ?? authority,
            csrf: session.csrfToken, holdsCases: store.directory[authority]?.holdsCases == true, ministry: role == .ministry,
            administrator: role == .administrator, cgc: kind == .childGuidanceCentre, idleSeconds: Int(Sessions.sessionIdleSeconds),
            unread: unread > 0 ? (unread >= 100 ? "99+" : String(unread)) : nil,
            notice: query["notice"].flatMap(Notice.init(rawValue:))?.text)
    }

    /// An authority's name (its code if the directory does not know it).
    func authorityName(_ code: String) -> String {
        store.directory[code]?.name ?? code
    }
}

/// What a page says was done, after the redirect that follows a form (`?notice=…`).
enum Notice: String, CaseIterable {
    case reportPublished = "report-published"
    case reportSubmitted = "report-submitted"
    case settingsSaved = "settings-saved"
    case userAdded = "user-added"
    case userDisabled = "user-disabled"
    case userEnabled = "user-enabled"
    case userUnlocked = "user-unlocked"
    case roleChanged = "role-changed"
    case sessionEnded = "session-ended"
    case passwordReset = "password-reset"
    case passwordChanged = "password-changed"
    case tokenRevoked = "token-revoked"
    case caseCreated = "case-created"
    case caseSaved = "case-saved"
    case noteAdded = "note-added"
    case progressSaved = "progress-saved"
    case secondFactorReset = "second-factor-reset"
    case watchSaved = "watch-saved"
    case matchDismissed = "match-dismissed"
    case attachmentVoided = "attachment-voided"
    case caseVoided = "case-voided"
    case linkProposed = "link-proposed"
    case linkChanged = "link-changed"
    case reportReminded = "report-reminded"
    case fileAttached = "file-attached"
    case requestSent = "request-sent"
    case transferRequested = "transfer-requested"
    case provisionRequested = "provision-requested"
    case alertOpened = "alert-opened"
    case flagged = "flagged"
    case unflagged = "unflagged"
    case flagConfirmed = "flag-confirmed"
    case transferConfirmed = "transfer-confirmed"
    case transferApproved = "transfer-approved"
    case transferWithdrawn = "transfer-withdrawn"
    case declined = "declined"
    case requestApproved = "request-approved"
    case alertAnswered = "alert-answered"
    case alertClosed = "alert-closed"

    var text: String {
        switch self {
        case .reportPublished: "報告様式を公開しました。"
        case .reportSubmitted: "報告を提出しました。"
        case .settingsSaved: "設定を保存しました。"
        case .userAdded: "利用者を追加しました。"
        case .userDisabled: "利用者を無効にしました。その利用者のログイン中の画面とAPIトークンも無効になりました。"
        case .userEnabled: "利用者を有効にしました。以前のログインとAPIトークンは無効のままです。"
        case .userUnlocked: "ログインのロックを解除しました。"
        case .roleChanged: "役割を変更しました。次の操作から新しい役割になります。"
        case .sessionEnded: "ほかの画面のログインを終了しました。"
        case .passwordReset: "パスワードを再設定しました。その利用者のログイン中の画面とAPIトークンはすべて無効になりました。"
        case .passwordChanged: "パスワードを変更しました。他の端末のログインとAPIトークンはすべて無効になりました。"
        case .tokenRevoked: "APIトークンを無効にしました。"
        case .caseCreated: "ケースを登録しました。"
        case .caseSaved: "保存しました。"
        case .noteAdded: "メモを追加しました。"
        case .progressSaved: "進行管理を保存しました。"
        case .watchSaved: "閲覧通知の設定を保存しました。"
        case .reportReminded: "未提出の機関に督促を送りました。"
        case .attachmentVoided: "添付ファイルを取り消しました。監査のため保存され、閲覧はできません。"
        case .caseVoided: "ケースを取り消しました。監査のため保存され、検索にも一覧にも表示されません。"
        case .linkProposed: "同一児童の記録としての連携を相手機関に依頼しました。相手機関の確認後、検索結果でまとめて表示されます。"
        case .linkChanged: "連携の状態を更新しました。"
        case .matchDismissed: "別の児童として記録しました。この組み合わせは今後通知されません。"
        case .secondFactorReset: "二要素認証の設定を解除しました。次回のサインインで本人が設定し直します。"
        case .fileAttached: "ファイルを添付しました。"
        case .requestSent: "情報提供を依頼しました。保有機関の回答をお待ちください。"
        case .transferRequested: "移管を依頼しました。"
        case .provisionRequested: "情報提供を送付しました。"
        case .alertOpened: "行方不明児童の照会を全国の児童相談所に発出しました。"
        case .flagged: "重大事例として報告しました。"
        case .unflagged: "重大事例の報告を取り消しました。"
        case .flagConfirmed: "こども家庭庁の職員による閲覧を承認しました。"
        case .transferConfirmed: "受け入れました。このケースは自機関の記録になりました。"
        case .transferApproved: "承認し、送付しました。"
        case .transferWithdrawn: "取り下げました。"
        case .declined: "辞退しました。"
        case .requestApproved: "承認しました。依頼元は記録を閲覧できます。"
        case .alertAnswered: "発出元の児童相談所に伝えました。"
        case .alertClosed: "照会を終了しました。"
        }
    }
}

/// A page handler's refusal with the Japanese message the user sees.
extension PageRequest {
    /// A whole-number query parameter in `range` (nil when absent or empty), or a Japanese 400.
    func integer(_ name: String, in range: ClosedRange<Int>) throws(PageRefusal) -> Int? {
        guard let text = query[name], !text.isEmpty else { return nil }
        guard let number = BoundedInteger.parse(text, in: range) else {
            throw PageRefusal(400, "アドレスの「\(name)」の値が正しくありません（\(range.lowerBound)〜\(range.upperBound)の整数）。")
        }
        return number
    }
}

struct PageRefusal: Error {
    let status: Int
    let message: String

    init(_ status: Int, _ message: String) {
        self.status = status
        self.message = message
    }
}

/// Display forms shared by the pages.
enum Display {
    /// 平成30年4月1日 (2018-04-01); partial dates in their era form too.
    static func date(_ iso: String?) -> String {
        guard let iso, !iso.isEmpty else { return "不明" }
        guard let date = try? PartialDate(iso: iso) else { return iso }
        return "\(date.japaneseEraText) (\(iso))"
    }

    /// A stored timestamp (UTC, ISO 8601) as Japan time: 令和8年11月25日 16:18.
    static func time(_ timestamp: String?) -> String {
        guard let timestamp, let date = Timestamp.date(timestamp) else { return timestamp ?? "" }
        return time(date, western: false) ?? timestamp
    }

    /// A moment as Japan time: 令和8年11月25日 16:18, with the western date after it if asked
    /// (令和8年11月25日 16:18（2026-11-25）).
    static func time(_ date: Date, western: Bool) -> String? {
        let parts = RecordValidator.japan.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        guard let year = parts.year, let month = parts.month, let dayOfMonth = parts.day, let hour = parts.hour, let minute = parts.minute,
            let day = try? PartialDate(year: year, month: month, day: dayOfMonth)
        else { return nil }
        return day.japaneseEraText + String(format: " %02d:%02d", hour, minute) + (western ? "（\(day.iso)）" : "")
    }

    static func sex(_ value: String?) -> String {
        Labels.sexes.first { $0.0 == value }?.1 ?? "不明"
    }

    static func status(_ value: String) -> String { value == "open" ? "対応中" : "終結" }

    /// A person's name with its reading: 山田 太郎（ヤマダ タロウ）.
    static func name(_ person: PersonIdentity) -> String {
        let name = person.displayName.isEmpty ? (person.romaji ?? "（氏名不明）") : person.displayName
        let kana = [person.familyNameKana, person.givenNameKana].compactMap { $0 }.joined(separator: " ")
        return kana.isEmpty ? name : "\(name)（\(kana)）"
    }
}
