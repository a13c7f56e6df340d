/// A Japanese era (元号) from 明治 on, with the day it began and the day it ended.
///
/// Dates before 明治 began (1868-01-25, the documented start used here) are out of scope:
/// no era is in force on them. An era's year 1 is written 元年.
package enum JapaneseEra: CaseIterable, Sendable, Hashable {
    case meiji, taisho, showa, heisei, reiwa

    /// The era's name in kanji: `明治`, `大正`, `昭和`, `平成`, `令和`.
    package var name: String {
        switch self {
        case .meiji: "明治"
        case .taisho: "大正"
        case .showa: "昭和"
        case .heisei: "平成"
        case .reiwa: "令和"
        }
    }

    /// The capital letter used in short forms such as `H30.4.1`: `M`, `T`, `S`, `H`, `R`.
    package var letter: Character {
        switch self {
        case .meiji: "M"
        case .taisho: "T"
        case .showa: "S"
        case .heisei: "H"
        case .reiwa: "R"
        }
    }

    /// The single-character era ligature: `㍾`, `㍽`, `㍼`, `㍻`, `㋿`.
    package var ligature: Character {
        switch self {
        case .meiji: "\u{337E}"
        case .taisho: "\u{337D}"
        case .showa: "\u{337C}"
        case .heisei: "\u{337B}"
        case .reiwa: "\u{32FF}"
        }
    }

    /// The first day of the era (`平成` → 1989-01-08).
    package var firstDay: PartialDate {
        let (year, month, day) = firstDayComponents
        return PartialDate(trustedYear: year, month: month, day: day)
    }

    /// The last day of the era, the day before the next one began; `nil` for the current era.
    package var lastDay: PartialDate? {
        guard let next else { return nil }
        let (year, month, day) = dayBefore(next.firstDayComponents)
        return PartialDate(trustedYear: year, month: month, day: day)
    }

    /// The era that followed this one, if any.
    package var next: JapaneseEra? {
        switch self {
        case .meiji: .taisho
        case .taisho: .showa
        case .showa: .heisei
        case .heisei: .reiwa
        case .reiwa: nil
        }
    }

    /// The era that came before this one, if it is in scope (`nil` for 明治).
    package var previous: JapaneseEra? {
        switch self {
        case .meiji: nil
        case .taisho: .meiji
        case .showa: .taisho
        case .heisei: .showa
        case .reiwa: .heisei
        }
    }

    /// The Gregorian year of an era year (元年 is year 1): `heisei.gregorianYear(30)` is 2018.
    package func gregorianYear(_ eraYear: Int) -> Int {
        firstDayComponents.year + eraYear - 1
    }

    /// The era whose letter this is, upper or lower case (`"h"` → `.heisei`).
    package init?(letter: Character) {
        switch letter {
        case "M", "m": self = .meiji
        case "T", "t": self = .taisho
        case "S", "s": self = .showa
        case "H", "h": self = .heisei
        case "R", "r": self = .reiwa
        default: return nil
        }
    }

    /// The era in force on the earliest day of `date` that lies in 明治 or later.
    ///
    /// A year or month that spans two eras belongs to the era in force on its first day:
    /// 1989 → 昭和, 1989-02 → 平成, 2019-05 → 令和. The year 1868 belongs to 明治 because
    /// its first day in scope is 1868-01-25. `nil` when the whole of `date` is before 明治.
    package init?(inForceOn date: PartialDate) {
        guard date.latestKey >= JapaneseEra.meiji.firstDayKey else { return nil }
        let probe = max(date.earliestKey, JapaneseEra.meiji.firstDayKey)
        guard let era = JapaneseEra.allCases.last(where: { $0.firstDayKey <= probe }) else { return nil }
        self = era
    }

    // MARK: Internal

    var firstDayComponents: (year: Int, month: Int, day: Int) {
        switch self {
        case .meiji: (1868, 1, 25)
        case .taisho: (1912, 7, 30)
        case .showa: (1926, 12, 25)
        case .heisei: (1989, 1, 8)
        case .reiwa: (2019, 5, 1)
        }
    }

    /// The first day as a sortable integer, `yyyymmdd`.
    var firstDayKey: Int { dayKey(firstDayComponents) }

    /// The last day as a sortable integer, `yyyymmdd`; `Int.max` for the current era.
    var lastDayKey: Int {
        guard let next else { return Int.max }
        return dayKey(dayBefore(next.firstDayComponents))
    }
}

extension PartialDate {
    /// The date in 和暦 with kanji: `平成30年4月1日`, `令和元年5月`, `昭和64年`.
    ///
    /// A year or month spanning two eras is written in the era in force on its first day
    /// (1989 → `昭和64年`, 1989-02 → `平成元年2月`). A date wholly before 明治 is written
    /// in the Gregorian calendar with the same units (`1867年1月1日`).
    package var japaneseEraText: String {
        guard let written = japaneseEra else { return iso.prefix(4) + "年" + unitSuffix }
        return written.era.name + (written.year == 1 ? "元" : String(written.year)) + "年" + unitSuffix
    }

    /// The date in the short letter form: `H30.4.1`, `R1.5`, `S64`.
    ///
    /// Uses the same choice of era as `japaneseEraText`; a date wholly before 明治 is
    /// written as ISO 8601 (`1867-01-01`).
    package var japaneseEraShortText: String {
        guard let written = japaneseEra else { return iso }
        return japaneseEraShortText(era: written.era, eraYear: written.year, separator: ".")
    }

    /// The era and era year this date is written in (see `japaneseEraText`), or `nil`
    /// when the whole date is before 明治.
    package var japaneseEra: (era: JapaneseEra, year: Int)? {
        guard let era = JapaneseEra(inForceOn: self) else { return nil }
        return (era, year - era.firstDayComponents.year + 1)
    }

    // MARK: Internal

    /// Creates a date from components known to exist (constants in this module).
    init(trustedYear year: Int, month: Int?, day: Int?) {
        self.year = year
        self.month = month
        self.day = day
    }

    func japaneseEraShortText(era: JapaneseEra, eraYear: Int, separator: Character) -> String {
        var text = String(era.letter) + String(eraYear)
        if let month { text += String(separator) + String(month) }
        if let day { text += String(separator) + String(day) }
        return text
    }

    /// The earliest day this date may stand for, as `yyyymmdd`.
    var earliestKey: Int { dayKey(earliest) }

    /// The latest day this date may stand for, as `yyyymmdd` (2018-02 → 20180228).
    var latestKey: Int {
        let lastMonth = month ?? 12
        return dayKey((year, lastMonth, day ?? PartialDate.daysIn(month: lastMonth, year: year)))
    }

    private var unitSuffix: String {
        var text = ""
        if let month { text += "\(month)月" }
        if let day { text += "\(day)日" }
        return text
    }
}

/// A whole date as a sortable integer, `yyyymmdd`.
func dayKey(_ date: (year: Int, month: Int, day: Int)) -> Int {
    date.year * 10_000 + date.month * 100 + date.day
}

private func dayBefore(_ date: (year: Int, month: Int, day: Int)) -> (year: Int, month: Int, day: Int) {
    if date.day > 1 { return (date.year, date.month, date.day - 1) }
    if date.month > 1 {
        return (date.year, date.month - 1, PartialDate.daysIn(month: date.month - 1, year: date.year))
    }
    return (date.year - 1, 12, 31)
}
