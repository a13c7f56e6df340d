import Query
import Store

/// The search's reasons as the Japanese UI shows them (the API writes their English,
/// `MatchReason.description`).
enum Reasons {
    /// Words one reason in Japanese. Exhaustive, so a new kind of reason cannot reach the UI
    /// in English.
    static func japanese(_ reason: MatchReason) -> String {
        switch reason {
        case .name(let name): "氏名 \(name)"
        case .fullName(let family, let given): "氏名 \(family) \(given)"
        case .variantName(let name, let changes):
            changes.isEmpty ? "氏名 \(name)" : "氏名 \(name) (\(changes.map(\.description).joined(separator: ", ")))"
        case .reading(let reading): "読み \(reading)"
        case .guessedReading(let reading): "読み \(reading)（人名辞書による推定）"
        case .fullNameReading(let family, let given): "読み \(family) \(given)"
        case .readingWithSimilarKanji(let reading, let kanji): "読み \(reading)、\(similar(kanji))"
        case .readingWithDifferentKanji(let reading, let recorded): "読み \(reading)、漢字が異なる（記録は\(recorded)）"
        case .similarKanji(let kanji): similar(kanji)
        case .romajiReading(let reading, let romaji): "読み \(reading) ＝ \(romaji)（ローマ字）"
        case .longVowelReading(let query, let recorded): "読み \(query) ≈ \(recorded)（長音の違い）"
        case .transcription(let query, let recorded): "\(query) ≈ \(recorded)（外国人名の別表記）"
        case .nameStartsWith(let prefix): "氏名が「\(prefix)」で始まる"
        case .readingStartsWith(let reading, let prefix): "読み \(reading) が「\(prefix)」で始まる"
        case .nameContains(let part): "氏名に「\(part)」を含む"
        case .composedReading(let reading, let kanji):
            "読み \(reading)（記録に読みがなく、漢字ごとの読み \(kanji.map(\.description).joined(separator: " ")) から推定）"
        case .readingNotRecorded(let name): "氏名 \(name)（読みの記録がなく照合できない）"
        case .birthdate(let date): "生年月日 \(date.iso)"
        case .birthdateFits(let recorded, let query): "生年月日 \(recorded.iso)（\(query.iso)と整合）"
        case .birthdateDiffers(let recorded): "生年月日が異なる（記録は\(recorded.iso)）"
        case .birthdateSlip(let recorded, let slip): "生年月日 \(recorded.iso)（\(japanese(slip))）"
        case .birthdateNotRecorded: "生年月日の記録なし"
        case .birthdateInRange(let date): "生年月日 \(date.iso)（範囲内）"
        case .sexDiffers: "性別が異なる"
        case .guardian(let reason): "保護者の\(japanese(reason))"
        }
    }

    /// A birthdate slip as the UI names it: `1桁違い`, `月と日の入れ違い`, `1年違い`, `元号の取り違え`.
    private static func japanese(_ slip: DateSlip) -> String {
        switch slip {
        case .oneDigit: "1桁違い"
        case .dayMonthSwapped: "月と日の入れ違い"
        case .neighbouringYear: "1年違い"
        case .eraYear: "元号の取り違え"
        }
    }

    /// `似た漢字 斉≈斎（別の字）`: kanji that look alike but make a different name.
    private static func similar(_ kanji: [MatchReason.KanjiPair]) -> String {
        "似た漢字 \(kanji.map(\.description).joined(separator: ", "))（別の字）"
    }
}
