import Store

/// The Japanese words the UI shows for the import format's vocabularies, in display order.
enum Labels {
    static let sexes = pairs(Sex.self)
    static let statuses = pairs(CaseStatus.self)
    static let guardianRelations = pairs(GuardianRelation.self)
    static let householdRelations = pairs(HouseholdRelation.self)
    static let institutions = pairs(InstitutionKind.self)
    static let schooling = pairs(Schooling.self)
    static let sources = pairs(ReportSource.self)
    static let abuseTypes = pairs(AbuseType.self)

    /// A vocabulary's values with their Japanese words (the Store's), in display order.
    static func pairs<Value: Vocabulary>(_: Value.Type) -> [(String, String)] { Value.allCases.map { ($0.rawValue, $0.label) } }
    static let transferStates: [String: String] = [
        "proposed": "承認待ち", "sent": "送付済み（受入側の確認待ち）", "confirming": "確認処理中", "confirmed": "完了", "declined": "辞退", "withdrawn": "取下げ",
    ]
    static let linkStates: [String: String] = [
        "proposed": "相手機関の確認待ち", "linked": "連携済み", "declined": "辞退", "withdrawn": "取下げ", "unlinked": "解除",
    ]
    static let requestStates: [String: String] = ["requested": "回答待ち", "approved": "承認", "declined": "辞退"]
    static let notificationKinds: [String: String] = [
        "case.created": "管内で新しいケースが登録されました", "case.updated": "ケースが更新されました",
        "report.reminder": "年次報告が未提出です（こども家庭庁からの督促）",
        "case.viewed": "閲覧通知の対象ケースを他機関が閲覧しました", "attachment.viewed": "閲覧通知の対象ケースの添付ファイルを他機関が閲覧しました",
        "transfer.sent": "移管・情報提供の受け入れ依頼が届きました",
        "transfer.confirmed": "移管・情報提供が完了しました", "transfer.declined": "移管・情報提供が辞退されました",
        "transfer.withdrawn": "移管・情報提供が取り下げられました", "request.received": "情報提供依頼が届きました",
        "request.approved": "情報提供依頼が承認されました", "request.declined": "情報提供依頼が辞退されました",
        "alert.opened": "行方不明児童の照会が発出されました", "alert.located": "行方不明児童の所在が確認されました",
        "alert.information": "行方不明児童の照会に情報が寄せられました",
        "match.found": "他機関のケースと一致する可能性があります",
        "flag.requested": "こども家庭庁から重大事例としての閲覧の依頼がありました",
        "flag.confirmed": "重大事例としての閲覧が承認されました",
        "link.proposed": "他機関から、同一児童の記録としての連携の依頼が届きました", "link.linked": "同一児童の記録としての連携が承認されました",
        "link.declined": "同一児童の記録としての連携が辞退されました", "link.withdrawn": "同一児童の記録としての連携の依頼が取り下げられました",
        "link.unlinked": "同一児童の記録の連携が解除されました",
    ]
    static let viewActions: [String: String] = [
        "case.read": "記録を閲覧", "attachment.read": "添付ファイルを閲覧", "caseload.read": "ケース一覧で閲覧", "caseload.meeting": "実務者会議資料で閲覧",
        "case.flag.list": "重大事例一覧で閲覧", "search": "検索結果に表示",
        "denied": "閲覧を拒否",
    ]
    static let relations: [(String, String)] = [
        ("partner", "管轄の相手機関（児童相談所と住所地の市町村）"), ("granted", "情報提供を受けた機関（閲覧期間内）"),
        ("destination", "移管の受入れを確認中の機関"),
        ("alert", "行方不明照会中の児童相談所"), ("ministry", "こども家庭庁（重大事例）"), ("other", "その他の機関"),
    ]
    static let capabilities: [String: String] = [
        "summary": "概要（検索結果）", "record": "記録の閲覧", "attachments": "添付ファイル", "edit": "編集", "note": "メモの追加",
        "transfer": "移管", "alert-profile": "照会の児童情報", "alert-respond": "照会への回答",
    ]
    static let roles: [(String, String)] = [("worker", "職員"), ("supervisor", "係長（承認者）"), ("administrator", "管理者")]

    static func label(_ value: String?, in table: [(String, String)]) -> String {
        guard let value else { return "" }
        return table.first { $0.0 == value }?.1 ?? value
    }

    /// The `<option>`s of a select, with the current value selected.
    static func options(_ table: [(String, String)], selected: String?) -> [SelectOption] {
        table.map { SelectOption(value: $0.0, label: $0.1, selected: $0.0 == selected) }
    }
}

extension WebApplication {
    /// The Japanese label of every notification kind the inbox shows.
    package static var notificationKindLabels: [String: String] { Labels.notificationKinds }
}
