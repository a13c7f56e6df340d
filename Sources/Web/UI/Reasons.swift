import Foundation

/// The search's reasons (English in the API, see MatchScorer) as the Japanese UI shows them.
enum Reasons {
    /// Translates one reason; an unknown form is shown as it is rather than dropped.
    static func japanese(_ reason: String) -> String {
        reason.components(separatedBy: "; ").map(clause).joined(separator: "、")
    }

    private static func clause(_ text: String) -> String {
        func after(_ prefix: String, before suffix: String = "") -> String? {
            guard text.hasPrefix(prefix), text.hasSuffix(suffix), text.count >= prefix.count + suffix.count else { return nil }
            return String(text.dropFirst(prefix.count).dropLast(suffix.count))
        }
        switch text {
        case "birthdate not recorded": return "生年月日の記録なし"
        case "sex differs": return "性別が異なる"
        default: break
        }
        if let date = after("birthdate differs (", before: ")") { return "生年月日が異なる（記録は\(date)）" }
        if let date = after("birthdate ", before: " in range") { return "生年月日 \(date)（範囲内）" }
        if let rest = after("birthdate ") {
            let parts = rest.components(separatedBy: " fits ")
            return parts.count == 2 ? "生年月日 \(parts[0])（\(parts[1])と整合）" : "生年月日 \(rest)"
        }
        if let name = after("name starts with ") { return "氏名が「\(name)」で始まる" }
        if let name = after("name contains ") { return "氏名に「\(name)」を含む" }
        if let pair = after("similar kanji ", before: ", a different character") { return "似た漢字 \(pair)（別の字）" }
        if let name = after("kanji differ: ") { return "漢字が異なる（記録は\(name)）" }
        if let reading = after("reading ", before: " (from the name dictionary)") { return "読み \(reading)（人名辞書による推定）" }
        if let pair = after("reading ", before: " (long vowel)") { return "読み \(pair)（長音の違い）" }
        if let rest = after("reading ") {
            let parts = rest.components(separatedBy: " starts with ")
            return parts.count == 2 ? "読み \(parts[0]) が「\(parts[1])」で始まる" : "読み \(rest)"
        }
        if let name = after("name ") { return "氏名 \(name)" }
        return text
    }
}
