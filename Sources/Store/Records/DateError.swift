/// Why a text is not a date this system accepts. Messages say what is wrong and what to do.
package struct DateError: Error, Hashable, Sendable, CustomStringConvertible {
    package let description: String

    package init(_ description: String) { self.description = description }

    static func yearOutOfRange(_ year: Int) -> DateError { DateError("year \(year) is out of range") }
    static func monthOutOfRange(_ month: Int) -> DateError { DateError("month \(month) does not exist (use 1–12)") }
    static let dayWithoutMonth = DateError("a day needs a month")
    static func dayOutOfRange(year: Int, month: Int, day: Int) -> DateError {
        DateError(
            "day \(day) does not exist in \(year)-\(month < 10 ? "0" : "")\(month) (it has \(PartialDate.daysIn(month: month, year: year)) days)")
    }
}

// MARK: Parsing (see PartialDate+Parsing.swift)

extension DateError {
    /// The text is empty or only spaces.
    static let empty = DateError("no date given: enter a date such as 2018-04-01, 2018年4月1日 or H30.4.1")

    /// The text is longer than any date can be.
    static func tooLong(_ input: String) -> DateError {
        DateError("\(quoted(input)) is too long to be a date: enter a date such as 2018-04-01 or H30.4.1")
    }

    /// The text cannot be read as a date; `reason` says why and what to write instead.
    static func unreadable(_ input: String, _ reason: String) -> DateError {
        DateError("\(quoted(input)) is not a date: \(reason)")
    }

    /// The text reads as a date that does not exist; `reason` says why and what to do.
    static func invalid(_ input: String, _ reason: String) -> DateError {
        DateError("\(quoted(input)) is not a valid date: \(reason)")
    }

    /// Day-first or month-first order (`12/25/2018`): the order cannot be known for sure.
    /// - Parameter meaning: what the input may mean, year first (`2018-12-25`, or
    ///   `2018-04-05 or 2018-05-04`), when that can be told.
    static func ambiguousOrder(_ input: String, meaning: String?) -> DateError {
        unreadable(input, "day-first and month-first forms are ambiguous; write the year first: \(meaning ?? "e.g. 2018-12-25")")
    }

    /// A two-digit year (`18/4/1`) could be 1918, 2018 or an era year.
    static func twoDigitYear(_ input: String) -> DateError {
        unreadable(
            input, "a 2-digit year is ambiguous (1918? 2018? 平成18?): write the year with 4 digits (2018-04-01) or with its era (H30.4.1, 平成30年4月1日)")
    }

    /// A western year with other than four digits.
    static func yearDigits(_ input: String, digits: Int) -> DateError {
        unreadable(input, "a year has 4 digits, not \(digits): write e.g. 2018-04-01")
    }

    /// A compact era form such as `H300401`.
    static func compactEra(_ input: String, suggestion: String?) -> DateError {
        let example = suggestion ?? "H30.4.1"
        return unreadable(input, "an era date needs separators between its parts: write \(example) or the kanji form (平成30年4月1日)")
    }

    /// Era year 0 (`H0`, `令和0年`): the first year of an era is 1 (元年).
    static func eraYearZero(_ input: String, era: JapaneseEra) -> DateError {
        invalid(input, "an era has no year 0; its first year is \(era.letter)1 (\(era.name)元年)")
    }

    /// A month outside 1–12.
    static func monthDoesNotExist(_ input: String, month: Int) -> DateError {
        invalid(input, "month \(month) does not exist (use 1–12)")
    }

    /// A day outside the month (`2019-02-30`).
    static func dayDoesNotExist(_ input: String, year: Int, month: Int, day: Int) -> DateError {
        let days = PartialDate.daysIn(month: month, year: year)
        let yearText = String(repeating: "0", count: max(0, 4 - String(year).count)) + String(year)
        let yearMonth = "\(yearText)-\(month < 10 ? "0" : "")\(month)"
        return invalid(input, day < 1 ? "day \(day) does not exist" : "\(yearMonth) has \(days) days")
    }

    /// An era date after the era ended (`H31.5.1`).
    static func eraEnded(_ input: String, era: JapaneseEra, suggestion: String) -> DateError {
        let ended = era.lastDay?.iso ?? "?"
        return invalid(input, "\(era.name) ended on \(ended); use \(suggestion)")
    }

    /// An era date before the era began (`R1.4.30`).
    static func eraNotBegun(_ input: String, era: JapaneseEra, suggestion: String?) -> DateError {
        let instead = suggestion.map { "; use \($0)" } ?? "; dates before \(JapaneseEra.meiji.name) are not supported"
        return invalid(input, "\(era.name) began on \(era.firstDay.iso)\(instead)")
    }

    /// The input as quoted in messages: trimmed, at most 40 characters, escaped.
    private static func quoted(_ input: String) -> String {
        var text = Substring(input)
        while let first = text.first, first.isWhitespace { text.removeFirst() }
        while let last = text.last, last.isWhitespace { text.removeLast() }
        let shown = text.dropFirst(40).isEmpty ? String(text) : String(text.prefix(40)) + "…"
        return shown.debugDescription
    }
}
