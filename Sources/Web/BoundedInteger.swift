import Foundation
import Store

/// The one way a number from a request becomes an `Int`: parsed into a bounded range before
/// it is used, so that no value a caller sends (`1e300`, `Infinity`, `2^63`, `-1`, 10,000
/// digits) can trap a conversion or the arithmetic after it. Query parameters, form fields
/// and JSON members all go through here; a value outside the range is a precise 400 naming
/// the parameter and the range.
enum BoundedInteger {
    /// The whole number `text` spells, if it lies in `range` (ASCII digits with an optional
    /// sign, at most 19 digits: longer text is refused before any conversion).
    static func parse(_ text: String, in range: ClosedRange<Int>) -> Int? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed.utf8.count <= 20, let number = Int(trimmed), range.contains(number) else { return nil }
        return number
    }

    /// The whole number a JSON number holds, if it is finite, integral and in `range`
    /// (`Int(exactly:)` never traps, unlike `Int(_:)` on 1e300 or 2^63).
    static func parse(_ value: JSONValue, in range: ClosedRange<Int>) -> Int? {
        guard case .number(let number) = value, number.isFinite, let whole = Int(exactly: number), range.contains(whole) else {
            return nil
        }
        return whole
    }

    /// What a refusal says: "year must be a whole number in 2000–2200".
    static func requirement(_ name: String, _ range: ClosedRange<Int>) -> String {
        "\(name) must be a whole number in \(range.lowerBound)–\(range.upperBound)"
    }
}

extension JSONValue {
    /// This member as a whole number in `range`, or a 400 naming it.
    func integer(_ name: String, in range: ClosedRange<Int>) throws(Refusal) -> Int {
        guard let number = BoundedInteger.parse(self, in: range) else {
            throw Refusal(400, "Invalid parameter", BoundedInteger.requirement(name, range))
        }
        return number
    }
}
