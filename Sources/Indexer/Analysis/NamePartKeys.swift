/// The search keys of one name part (a family name, a given name, or a name typed as one
/// piece), derived the same way for records and for queries.
package struct NamePartKeys: Sendable, Hashable {
    /// The text as written, folded (width, kana kind, case, spaces): `齋藤`, `サクラ`, `NGUYEN`.
    package var folded: String
    /// `folded` with safe variant kanji replaced and 々 expanded: `斎藤`, `佐佐木`.
    package var canonical: String
    /// Strong reading keys (katakana), best first.
    package var readings: [String]
    /// Whether `readings` were guessed from a dictionary rather than written in the record or query.
    package var readingsGuessed: Bool
    /// How `readings` were guessed (`.none` when they were written): from the name as its own
    /// kind, from the other kind (weaker) or composed from its kanji (weakest).
    package var readingGuess: ReadingGuess = .none
    /// Loose reading keys (long vowels dropped), one per reading.
    package var looseReadings: [String]
    /// The script of `folded`.
    package var script: NameScript
    /// Transcription keys (`NameNormalizer.transcriptionKey(_:)`) of the readings written or
    /// guessed, and of the foreign names (`ForeignNames`) the part is spelled as: `NGUYEN`,
    /// `グエン` and `ニュエン` all hold `グエン`. A match on them alone is another transcription.
    package var transcriptions: [String] = []

    package var isEmpty: Bool { folded.isEmpty && readings.isEmpty }
}
