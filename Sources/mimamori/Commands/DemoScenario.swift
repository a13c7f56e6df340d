import Store

/// What the demo leaves waiting for a newcomer, so that each workflow can be seen with the demo
/// logins: the demo authorities' contacts, unread notifications, a transfer to confirm, an open missing-child alert, an
/// information request to answer and a report form to fill in. Every step goes through the
/// Store as the demo user who would take it, so notifications and the audit log are the real ones.
/// Played once per data folder (the first case's record number marks it).
enum DemoScenario {
    static let marker = "DEMO-2026-0001"

    /// The demo users as actors (see `DemoLoginsCommand.users`).
    static func actor(_ login: String) -> Actor {
        let (_, authority, role, _) = DemoLoginsCommand.users.first { $0.0 == login }!
        return .user(login: login, authority: authority, role: role)
    }

    /// Plays the scenario unless it was played in this folder; returns what it left, one line each.
    static func play(on store: Store) throws -> [String] {
        let existing = try store.cases.list(heldBy: "131016", as: .localAdministrator, matching: CaseListQuery(text: marker, limit: 1))
        guard existing.total == 0 else { return [] }
        let chiyoda = actor("chiyoda")
        let tokyo = actor("cgc-tokyo")

        // 0. Whom to call, on every hit of these authorities (invented numbers, marked as such).
        let contacts: [(String, String, String, String)] = [
            ("131016", "子ども家庭支援センター", "03-0000-1016（デモ）", "03-0000-9016（デモ・休日当番）"),
            ("130001-01", "相談課", "03-0000-0001（デモ）", "03-0000-9001（デモ・夜間休日）"),
            ("011002", "子ども家庭課", "011-000-1002（デモ）", "011-000-9002（デモ・夜間休日）"),
            ("271004-01", "相談支援課", "06-0000-1004（デモ）", "06-0000-9004（デモ・夜間休日）"),
        ]
        for (authority, department, daytime, night) in contacts {
            try store.settings.update(
                of: authority, nil, contacts: AuthorityContacts(department: department, daytime: daytime, nightHoliday: night),
                as: .localAdministrator)
        }

        // 1. 千代田区 registers a report (通告) and notes a home visit: the partner CGC's inbox.
        let reported = try store.cases.create(
            json: record(
                marker, child: ("北村", "陽菜", "キタムラ", "ヒナ", "平成31年4月3日", "female"), mother: ("北村", "真由美", "キタムラ", "マユミ"),
                municipality: "千代田区", source: "school", abuse: "neglect"),
            as: chiyoda)
        _ = try store.cases.addNote(toCase: reported.id, text: "12月4日 家庭訪問。母と面会、児童は登校中。冷蔵庫に食品がほとんどない。", as: chiyoda)

        // 2. A family moving to 札幌市: the transfer waits for 札幌市 to confirm.
        let moving = try store.cases.create(
            json: record(
                "DEMO-2026-0002", child: ("南", "大翔", "ミナミ", "ヒロト", "令和2年8月19日", "male"), mother: ("南", "彩", "ミナミ", "アヤ"),
                municipality: "千代田区", source: "neighbour", abuse: "psychological"),
            as: chiyoda)
        _ = try store.transfers.propose(
            ofCase: moving.id, to: "011002", kind: .transfer, urgent: false, reason: "一家が札幌市へ転居（転出届 12月1日）。継続支援をお願いします。", as: chiyoda)

        // 3. The Tokyo CGC broadcasts a missing child: every CGC sees the open alert.
        let missing = try store.cases.create(
            json: record(
                "DEMO-2026-0003", child: ("西田", "蓮", "ニシダ", "レン", "平成28年11月2日", "male"), mother: ("西田", "恵", "ニシダ", "メグミ"),
                municipality: "中央区", source: "police", abuse: "neglect"),
            as: tokyo)
        _ = try store.alerts.open(
            forCase: missing.id, circumstances: "12月6日夕方、下校後に帰宅せず。母と連絡が取れない。青いジャンパー、黒いランドセル。",
            photoAttachmentID: nil, as: tokyo)

        // 4. The Osaka CGC asks 千代田区 for the record it found in a search: a request to answer.
        _ = try store.requests.create(
            aboutCase: reported.id, reason: "大阪市内の小学校から同姓同名・同生年月日の児童について通告あり。過去の経過の確認を依頼します。", as: actor("cgc-osaka"))

        // 5. The ministry publishes the staffing survey: every authority has a form to fill in.
        _ = try store.reports.publish(
            year: 2026, title: "児童相談所・市町村の体制調査（デモ）",
            fields: [
                .init(key: "child_welfare_officers", label: "児童福祉司数", type: .integer),
                .init(key: "psychologists", label: "児童心理司数", type: .integer), .init(key: "remarks", label: "備考", type: .text),
            ],
            as: actor("ministry"))

        return [
            "cgc-tokyo: unread notifications (two new cases of 千代田区, its partner municipality)",
            "sapporo: a transfer from 千代田区 waiting for confirmation (移管)",
            "cgc-osaka: an open missing-child alert of the Tokyo CGC to answer (行方不明照会)",
            "chiyoda: an information request from the Osaka CGC to answer (情報提供依頼)",
            "everyone: the ministry's survey form to fill in (年次報告)",
        ]
    }

    /// A case in the national import format, held by the caller's authority.
    private static func record(
        _ externalID: String, child: (String, String, String, String, String, String), mother: (String, String, String, String),
        municipality: String, source: String, abuse: String
    ) -> [UInt8] {
        let json = """
            {"external_id": "\(externalID)", "status": "open",
             "child": {"family_name": "\(child.0)", "given_name": "\(child.1)", "family_name_kana": "\(child.2)", "given_name_kana": "\(child.3)",
                       "birthdate": "\(child.4)", "sex": "\(child.5)"},
             "guardians": [{"relation": "mother", "family_name": "\(mother.0)", "given_name": "\(mother.1)",
                            "family_name_kana": "\(mother.2)", "given_name_kana": "\(mother.3)"}],
             "address": {"prefecture": "東京都", "municipality": "\(municipality)"},
             "consultations": [{"date": "2026-11-20", "source": "\(source)", "abuse_types": ["\(abuse)"], "status": "open"}]}
            """
        return Array(json.utf8)
    }
}
