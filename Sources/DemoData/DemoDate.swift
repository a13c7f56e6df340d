/// A whole proleptic Gregorian date that can be counted in days, without Foundation.
///
/// Uses Howard Hinnant's `days_from_civil` / `civil_from_days`
/// (https://howardhinnant.github.io/date_algorithms.html).
package struct DemoDate: Hashable, Comparable, Sendable {
    package let year: Int
    package let month: Int
    package let day: Int

    /// The dataset's "today": ages and consultation dates are computed against it, never the clock.
    package static let reference = DemoDate(year: 2026, month: 4, day: 1)

    package init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// The date `dayNumber` days after 1970-01-01.
    init(dayNumber: Int) {
        let z = dayNumber + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    }

    /// Days since 1970-01-01.
    var dayNumber: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let shiftedMonth = month > 2 ? month - 3 : month + 9
        let dayOfYear = (153 * shiftedMonth + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The same month and day `years` years earlier (29 February becomes 28 February).
    func yearsEarlier(_ years: Int) -> DemoDate {
        let target = year - years
        let isLeap = (target % 4 == 0 && target % 100 != 0) || target % 400 == 0
        return DemoDate(year: target, month: month, day: month == 2 && day == 29 && !isLeap ? 28 : day)
    }

    /// Whole years of age on `date` for someone born on `self`.
    package func age(on date: DemoDate) -> Int {
        var years = date.year - year
        if (date.month, date.day) < (month, day) { years -= 1 }
        return years
    }

    /// `2018-04-01`.
    package var iso: String { pad4(year) + "-" + pad2(month) + "-" + pad2(day) }

    package static func < (lhs: DemoDate, rhs: DemoDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }
}

/// `7` → `"07"`, without Foundation's formatter.
func pad2(_ value: Int) -> String { value < 10 ? "0" + String(value) : String(value) }

/// `123` → `"0123"`.
func pad4(_ value: Int) -> String {
    let text = String(value)
    return text.count >= 4 ? text : String(repeating: "0", count: 4 - text.count) + text
}
