package import Foundation

/// Writes a realistic synthetic dataset in the import format (see README, "Import format"):
/// case records of children, their guardians and households, with the untidiness real
/// records have, each one carrying the truth it was made from.
///
/// Deterministic: the same dictionaries and `seed` give the same sequence of cases, byte for
/// byte, on every machine and every day (ages are counted at the fixed reference date
/// 2026-04-01, `DemoDate.reference`). The first *n* cases do not depend on how many follow.
///
/// ```swift
/// var generator = try DemoDataGenerator(dictionaries: DictionaryDirectory.locate(), seed: 1)
/// let line = generator.next().jsonLine
/// ```
package struct DemoDataGenerator {
    /// The seed the sequence was started from.
    package let seed: UInt64
    /// How many cases `next()` has returned.
    package private(set) var generated = 0

    private let dictionaries: DemoDictionaries
    /// The last sequence number handed out per authority and year, for `external_id`.
    private var sequences: [String: Int] = [:]

    /// Reads the dictionaries and starts the sequence for `seed`.
    /// - Parameters:
    ///   - dictionaries: the folder holding `authorities.csv`, `child-guidance-centres.csv` and
    ///     `person-names.tsv` (`DictionaryDirectory.locate(explicit:)` finds it).
    ///   - seed: any value; each seed gives its own dataset.
    /// - Throws: `DemoDataError` when a dictionary is missing or malformed.
    package init(dictionaries: URL, seed: UInt64) throws(DemoDataError) {
        self.seed = seed
        self.dictionaries = try DemoDictionaries(folder: dictionaries)
    }

    /// The next case of the sequence.
    package mutating func next() -> DemoCase {
        // Each case draws from its own stream, derived from the seed and its position.
        var state = seed &+ UInt64(generated) &* 0xD1B5_4A32_D192_ED03
        var builder = CaseBuilder(dictionaries: dictionaries, random: SeededRandom(seed: SeededRandom.splitMix64(&state)))
        var result = builder.build()
        generated += 1

        let year = result.consultations[0].date.year
        let key = result.authority + "-" + String(year)
        let sequence = (sequences[key] ?? 0) + 1
        sequences[key] = sequence
        let digits = String(sequence)
        result.externalID = key + "-" + (digits.count < 5 ? String(repeating: "0", count: 5 - digits.count) + digits : digits)
        return result
    }
}
