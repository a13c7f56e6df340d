/// Why a text is not a date this system accepts. Messages say what is wrong and what to do.
package struct DateError: Error, Hashable, Sendable, CustomStringConvertible {
    package let description: String

    package init(_ description: String) { self.description = description }

    static func yearOutOfRange(_ year: Int) -> DateError { DateError("year \(year) is out of range") }
    static func monthOutOfRange(_ month: Int) -> DateError { DateError("month \(month) does not exist (use 1–12)") }
    static let dayWithoutMonth = DateError("a day needs a month")
    static func dayOutOfRange(year: Int, month: Int, day: Int) -> DateError {
        DateError("day \(day) does not exist in \(year)-\(month < 10 ? "0" : "")\(month) (it has \(PartialDate.daysIn(month: month, year: year)) days)")
    }
}
