package import Store

/// A plausible slip between two whole birthdates: the ways a date is mistyped or misread
/// when copied from a form or said over the phone. A record whose birthdate is such a slip of
/// the query's may be the person sought (graded `possible`); any other differing birthdate is
/// a namesake, not a hit.
package enum DateSlip: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// One digit of `yyyymmdd` differs (2018-04-01 / 2018-04-07, 2018 / 2013).
    case oneDigit
    /// Day and month swapped (2018-04-01 / 2018-01-04).
    case dayMonthSwapped
    /// The same day of a neighbouring year (2018-04-01 / 2017-04-01).
    case neighbouringYear
    /// The same era year in another era (平成2年 = 1990 / 令和2年 = 2020).
    case eraYear

    /// The English of the JSON API's reasons (`MatchReason.birthdateSlip`).
    package var description: String {
        switch self {
        case .oneDigit: "one digit differs"
        case .dayMonthSwapped: "day and month swapped"
        case .neighbouringYear: "a year apart"
        case .eraYear: "the same year of another era"
        }
    }

    /// The earliest year a slip may land in: none of the records is born before 明治.
    static let earliestYear = 1868

    /// How `recorded` is a slip of `query` (both whole dates), or nil if it is not one.
    package static func kind(of recorded: PartialDate, from query: PartialDate) -> DateSlip? {
        guard let qm = query.month, let qd = query.day, let rm = recorded.month, let rd = recorded.day else { return nil }
        guard (query.year, qm, qd) != (recorded.year, rm, rd) else { return nil }
        if (recorded.year, rm, rd) == (query.year, qd, qm) { return .dayMonthSwapped }
        if abs(recorded.year - query.year) == 1, rm == qm, rd == qd { return .neighbouringYear }
        let a = digits(query.year, qm, qd)
        let b = digits(recorded.year, rm, rd)
        if zip(a, b).filter({ $0 != $1 }).count == 1 { return .oneDigit }
        if rm == qm, rd == qd, eraYears(of: query).contains(recorded.year) { return .eraYear }
        return nil
    }

    /// Every whole date that is a slip of `query` (a whole date), from 明治 up to `latestYear`,
    /// without `query` itself; empty for a partial date. At most about fifty dates.
    package static func candidates(of query: PartialDate, latestYear: Int) -> [PartialDate] {
        guard let month = query.month, let day = query.day else { return [] }
        var found: [PartialDate] = []
        var seen: Set<Int> = [query.year * 10_000 + month * 100 + day]
        func add(_ year: Int, _ month: Int, _ day: Int) {
            guard (earliestYear...latestYear).contains(year), seen.insert(year * 10_000 + month * 100 + day).inserted,
                let date = try? PartialDate(year: year, month: month, day: day)
            else { return }
            found.append(date)
        }
        add(query.year, day, month)
        add(query.year - 1, month, day)
        add(query.year + 1, month, day)
        let original = digits(query.year, month, day)
        for position in original.indices {
            for digit in 0...9 where digit != original[position] {
                var changed = original
                changed[position] = digit
                let year = changed[0] * 1000 + changed[1] * 100 + changed[2] * 10 + changed[3]
                add(year, changed[4] * 10 + changed[5], changed[6] * 10 + changed[7])
            }
        }
        for year in eraYears(of: query) { add(year, month, day) }
        return found
    }

    /// The eight digits of `yyyymmdd`.
    private static func digits(_ year: Int, _ month: Int, _ day: Int) -> [Int] {
        var value = year * 10_000 + month * 100 + day
        var digits = [Int](repeating: 0, count: 8)
        for position in digits.indices.reversed() {
            digits[position] = value % 10
            value /= 10
        }
        return digits
    }

    /// The Gregorian years of the query's era year in the other eras (平成2年 → 昭和2年 1927,
    /// 令和2年 2020, ...).
    private static func eraYears(of query: PartialDate) -> [Int] {
        guard let era = JapaneseEra(inForceOn: query) else { return [] }
        let eraYear = query.year - era.gregorianYear(1) + 1
        // Only eras that lasted that long (there is no 大正30年).
        return JapaneseEra.allCases.filter { $0 != era }.compactMap { other in
            let year = other.gregorianYear(eraYear)
            return other.lastDay.map { year <= $0.year } ?? true ? year : nil
        }
    }
}
