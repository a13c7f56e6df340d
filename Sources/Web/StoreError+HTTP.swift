import Store

extension StoreError {
    /// The one table from a Store error to its HTTP answer, for the JSON API (status and
    /// problem title) and the staff pages (status and the Japanese message) alike. Failures of
    /// the store itself say nothing about the data, and are not the caller's fault.
    var http: (status: Int, title: String, japanese: String) {
        switch kind {
        case .invalidInput: (400, "Invalid request", "入力内容を確認してください。")
        case .notFound: (404, "Not found", "お探しのものは見つからないか、閲覧する権限がありません。")
        case .conflict: (409, "Conflict", "他の操作と重なったため、実行できませんでした。")
        case .permissionDenied: (403, "Forbidden", "この操作を行う権限がありません。")
        case .stale: (412, "Precondition failed", "この記録は他の職員が更新しました。最新の内容を確認してからもう一度操作してください。")
        case .unsupportedMedia: (415, "Unsupported media type", upload?.japanese ?? "入力内容を確認してください。")
        case .tooManyAttempts: (429, "Too many attempts", "操作が続いたため、しばらく実行できません。")
        case .secondFactorNeeded: (401, "Second factor required", "確認コード（認証アプリの6桁の数字、または回復コード）を入力してください。")
        case .storage, .configuration: (500, "Internal error", "ただいま処理できません。しばらくしてからもう一度お試しください。")
        }
    }

    /// Whether the error is the service's own failure (logged at the edge; its diagnostic is
    /// never shown to the caller).
    var isServiceFailure: Bool { kind == .storage || kind == .configuration }
}
