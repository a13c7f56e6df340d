import Store

extension DemoDate {
    /// The same date as the Store's `PartialDate`, whose era table is the one the importer reads.
    var partialDate: PartialDate? { try? PartialDate(year: year, month: month, day: day) }

    /// `H30.4.1`, `R1.5.1`; nil before 明治.
    package var warekiLetters: String? {
        guard let date = partialDate, date.japaneseEra != nil else { return nil }
        return date.japaneseEraShortText
    }

    /// `平成30年4月1日`, `令和元年5月1日`; nil before 明治.
    package var warekiKanji: String? {
        guard let date = partialDate, date.japaneseEra != nil else { return nil }
        return date.japaneseEraText
    }
}
