import Foundation

extension FieldIssue {
    /// The issue in Japanese for a page or a spreadsheet report, `label` naming the field as the
    /// user knows it (生年月日, 保護者1氏名). A date that does not exist says why (平成 ended on
    /// 2019-04-30; February has 28 days), so the clerk can correct it without asking anyone.
    package func japanese(label: String) -> String {
        if message == "is required" || message == "must not be empty" { return "\(label)を入力してください。" }
        if message.contains("lies in the future") { return "\(label)が未来の日付になっています。" }
        if let date = Self.japaneseDateReason(message) { return date }
        if path.hasSuffix("date") {
            return "\(label)を正しく入力してください。存在しない日付か、読み取れない書き方です（例: 平成30年4月1日、H30.4.1、2018-04-01）。"
        }
        if path.hasSuffix("_kana") { return "\(label)はカタカナまたはひらがなで入力してください。" }
        if path.hasSuffix("romaji") { return "\(label)はローマ字（英字）で入力してください。" }
        if path == "address.prefecture" { return "都道府県名を正しく入力してください（例: 東京都、大阪府、北海道）。" }
        if path.hasPrefix("address.municipality") { return "この都道府県にその市区町村はありません。名称を確認してください。" }
        if message.contains("characters long") { return "\(label)が長すぎます。" }
        if message.contains("control character") || message.contains("one line") { return "\(label)に使えない文字が含まれています。" }
        if message.contains("needs a name") { return "氏名・ふりがな・ローマ字表記のいずれかを入力してください。" }
        if message.contains("is not one of") || message.contains("unknown") { return "\(label)の選択肢から選んでください。" }
        return "\(label)を確認してください（\(message)）。"
    }

    /// A date that reads as a date but does not exist, in Japanese with the reason:
    /// 「平成31年5月1日は存在しない日付です（平成は31年4月30日まで。令和元年5月1日と入力してください）」.
    private static func japaneseDateReason(_ message: String) -> String? {
        guard let quoteEnd = message.range(of: "\" is not a valid date: "), message.hasPrefix("\"") else { return nil }
        let input = String(message[message.index(after: message.startIndex)..<quoteEnd.lowerBound])
        let reason = String(message[quoteEnd.upperBound...])
        let said: String
        if let ended = reason.firstMatch(of: /^(\p{Han}+) ended on (\d{4})-(\d{2})-(\d{2}); use (.+)$/),
            let year = Int(ended.2), let month = Int(ended.3), let day = Int(ended.4),
            let last = try? PartialDate(year: year, month: month, day: day)
        {
            // The era's last day in its own years: 平成31年4月30日.
            said = "\(ended.1)は\(last.japaneseEraText.replacingOccurrences(of: String(ended.1), with: ""))まで。\(ended.5)と入力してください"
        } else if let days = reason.firstMatch(of: /has (\d+) days/) {
            said = "その月は\(days.1)日までです"
        } else if reason.contains("does not exist (use 1–12)") {
            said = "月は1〜12です"
        } else {
            said = reason
        }
        return "\(input)は存在しない日付です（\(said)）。"
    }
}
