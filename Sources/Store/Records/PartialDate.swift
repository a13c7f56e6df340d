/// A calendar date known fully or in part: a year, a year and month, or a whole date.
///
/// Birthdates in case records are often known only to the year or the month. Stored and
/// exchanged as ISO 8601 text: `"2018"`, `"2018-04"`, `"2018-04-01"`.
package struct PartialDate: Hashable, Sendable, Comparable {
    package let year: Int
    package let month: Int?
    package let day: Int?

    /// Creates a date, checking that it exists (2019-02-29 does not).
    /// - Throws: `DateError` naming what is impossible.
    package init(year: Int, month: Int? = nil, day: Int? = nil) throws(DateError) {
        guard (1..<10000).contains(year) else { throw .yearOutOfRange(year) }
        if let month {
            guard (1...12).contains(month) else { throw .monthOutOfRange(month) }
        }
        if let day {
            guard let month else { throw .dayWithoutMonth }
            let last = PartialDate.daysIn(month: month, year: year)
            guard (1...last).contains(day) else { throw .dayOutOfRange(year: year, month: month, day: day) }
        }
        self.year = year
        self.month = month
        self.day = day
    }

    /// The ISO 8601 form: `"2018"`, `"2018-04"` or `"2018-04-01"`.
    package var iso: String {
        var text = String(format4(year))
        if let month { text += "-" + format2(month) }
        if let day { text += "-" + format2(day) }
        return text
    }

    /// The earliest whole date this partial date may stand for (2018-04 → 2018-04-01).
    package var earliest: (year: Int, month: Int, day: Int) { (year, month ?? 1, day ?? 1) }

    package static func < (lhs: PartialDate, rhs: PartialDate) -> Bool {
        (lhs.year, lhs.month ?? 0, lhs.day ?? 0) < (rhs.year, rhs.month ?? 0, rhs.day ?? 0)
    }

    package static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    package static func isLeapYear(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }
}

private func format2(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
private func format4(_ value: Int) -> String { String(repeating: "0", count: max(0, 4 - String(value).count)) + "\(value)" }
