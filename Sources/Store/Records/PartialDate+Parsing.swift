extension PartialDate {
    /// Reads a date typed in any common Japanese or ISO form.
    ///
    /// Full-width digits, letters, punctuation and spaces are folded to ASCII first, and
    /// spaces around the parts are ignored. Accepted forms (year, year-month or whole date):
    /// - ISO and western: `2018-04-01`, `2018-4-1`, `2018/4/1`, `2018.4.1`, `20180401`,
    ///   `201804`, `2018`, `2018-04`, `2018年4月1日`, `2018年4月`, `2018年`, optionally
    ///   after `西暦`.
    /// - 和暦: an era as a letter (`H`, `h`), a kanji name (`平成`, or `平` alone), or a
    ///   ligature (`㍻`), then the era year (1 or 2 digits, or `元`), then the rest with
    ///   separators or with 年月日: `H30.4.1`, `H30/4`, `H30`, `R元.5.1`, `平成30年4月1日`,
    ///   `令和元年5月`, `㍻30年4月1日`. With 年月日, kanji numerals work too (`平成三十年四月一日`,
    ///   `二〇一八年四月一日`).
    ///
    /// The date must exist, and an era date must lie in its era (for a year or a month, at
    /// least one of its days must). Whether the date is in the future is for the caller.
    /// - Parameter text: the text as typed.
    /// - Throws: `DateError` quoting the text, saying what is wrong and what to write.
    package init(parsing text: String) throws(DateError) {
        let tokens = try DateTokens(text)
        var parser = DateParser(input: text, tokens: tokens.tokens)
        let parsed = try parser.parse()
        self = try parsed.validated(input: text)
    }
}

// MARK: - Tokens

/// How the era was written; decides how a suggested correction is written.
private enum EraMark {
    case letter, kanji, ligature
}

/// A run of digits, ASCII or kanji, read without overflow.
private struct DigitRun {
    /// How many numerals were written (`04` → 2, `三十` → 2).
    var digits = 0
    /// The value; `nil` when the run is longer than 9 digits or an unreadable kanji numeral.
    var value: Int? = 0
    var isKanji = false

    mutating func append(_ digit: Int) {
        digits += 1
        if let current = value, digits <= 9 { value = current * 10 + digit } else { value = nil }
    }
}

private enum Token {
    case number(DigitRun)
    case era(JapaneseEra, EraMark)
    case gan  // 元, year 1 of an era
    case yearUnit, monthUnit, dayUnit  // 年 月 日
    case separator(Unicode.Scalar)  // - / .
    case seireki  // 西暦
    case unexpected(Unicode.Scalar)
}

/// The most significant characters a date may have (spaces collapsed). Longer input is
/// rejected before any further work, which bounds the cost of every parse.
private let maximumLength = 64

private struct DateTokens {
    var tokens: [Token] = []

    init(_ text: String) throws(DateError) {
        let scalars = try foldedScalars(text)
        tokens.reserveCapacity(scalars.count)
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            let following: Unicode.Scalar? = index + 1 < scalars.count ? scalars[index + 1] : nil
            index += 1
            switch scalar {
            case "0"..."9":
                var run = DigitRun()
                run.append(Int(scalar.value) - 0x30)
                while index < scalars.count, case "0"..."9" = scalars[index] {
                    run.append(Int(scalars[index].value) - 0x30)
                    index += 1
                }
                tokens.append(.number(run))
            case _ where kanjiDigit(scalar) != nil:
                var numerals = [scalar]
                while index < scalars.count, kanjiDigit(scalars[index]) != nil {
                    numerals.append(scalars[index])
                    index += 1
                }
                tokens.append(.number(kanjiRun(numerals)))
            case " ":
                break  // spaces only separate tokens
            case "-", "/", ".":
                tokens.append(.separator(scalar))
            case "年": tokens.append(.yearUnit)
            case "月": tokens.append(.monthUnit)
            case "日": tokens.append(.dayUnit)
            case "元": tokens.append(.gan)
            case "\u{337E}": tokens.append(.era(.meiji, .ligature))
            case "\u{337D}": tokens.append(.era(.taisho, .ligature))
            case "\u{337C}": tokens.append(.era(.showa, .ligature))
            case "\u{337B}": tokens.append(.era(.heisei, .ligature))
            case "\u{32FF}": tokens.append(.era(.reiwa, .ligature))
            case "明", "大", "昭", "平", "令":
                let era = kanjiEra(scalar)
                // The full name (平成) or the one-kanji abbreviation (平).
                if let following, following == era.secondKanji { index += 1 }
                tokens.append(.era(era, .kanji))
            case "西" where following == "暦":
                index += 1
                tokens.append(.seireki)
            default:
                if scalar.isASCII, let era = JapaneseEra(letter: Character(scalar)) {
                    tokens.append(.era(era, .letter))
                } else {
                    tokens.append(.unexpected(scalar))
                }
            }
        }
    }
}

/// The text's scalars with full-width forms folded to ASCII, dashes, dots and slashes
/// unified, runs of spaces collapsed to one and the ends trimmed.
/// - Throws: `DateError.empty`, or `tooLong` past `maximumLength`.
private func foldedScalars(_ text: String) throws(DateError) -> [Unicode.Scalar] {
    var scalars: [Unicode.Scalar] = []
    scalars.reserveCapacity(24)
    var pendingSpace = false
    for original in text.unicodeScalars {
        let scalar = fold(original)
        if scalar == " " {
            pendingSpace = !scalars.isEmpty
            continue
        }
        if pendingSpace {
            scalars.append(" ")
            pendingSpace = false
        }
        scalars.append(scalar)
        if scalars.count > maximumLength { throw .tooLong(text) }
    }
    if scalars.isEmpty { throw .empty }
    return scalars
}

private func fold(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
    switch scalar.value {
    case 0xFF01...0xFF5E:  // full-width ASCII: ０-９, Ａ-Ｚ, ／, －, ．
        Unicode.Scalar(UInt8(truncatingIfNeeded: scalar.value - 0xFEE0))
    case 0x2010...0x2015, 0x2212, 0xFE63, 0x30FC, 0xFF70:  // hyphens, dashes, minus, ー
        "-"
    case 0x3002, 0xFF61, 0x30FB, 0xFF65:  // 。 ・ and their half-width forms
        "."
    case 0x2044, 0x2215:  // fraction slash, division slash
        "/"
    case 0x200B, 0xFEFF:  // zero-width space, byte-order mark
        " "
    default:
        scalar.properties.isWhitespace ? " " : scalar
    }
}

private func kanjiDigit(_ scalar: Unicode.Scalar) -> Int? {
    switch scalar {
    case "〇", "○": 0
    case "一": 1
    case "二": 2
    case "三": 3
    case "四": 4
    case "五": 5
    case "六": 6
    case "七": 7
    case "八": 8
    case "九": 9
    case "十": 10
    default: nil
    }
}

/// Reads `二〇一八` digit by digit, and `十`, `十二`, `三十`, `三十一` positionally.
private func kanjiRun(_ numerals: [Unicode.Scalar]) -> DigitRun {
    var run = DigitRun()
    run.isKanji = true
    guard let ten = numerals.firstIndex(of: "十") else {
        for numeral in numerals { run.append(kanjiDigit(numeral) ?? 0) }
        return run
    }
    run.digits = 2
    let tens = ten == 0 ? 1 : kanjiDigit(numerals[0]) ?? 0
    let ones = ten + 1 < numerals.count ? kanjiDigit(numerals[ten + 1]) ?? 0 : 0
    let wellFormed =
        ten <= 1 && numerals.count - ten <= 2 && (1...9).contains(tens)
        && (ten + 1 == numerals.count || (1...9).contains(ones))
    run.value = wellFormed ? tens * 10 + ones : nil
    return run
}

private func kanjiEra(_ scalar: Unicode.Scalar) -> JapaneseEra {
    switch scalar {
    case "明": .meiji
    case "大": .taisho
    case "昭": .showa
    case "平": .heisei
    default: .reiwa
    }
}

extension JapaneseEra {
    fileprivate var secondKanji: Unicode.Scalar {
        switch self {
        case .meiji: "治"
        case .taisho: "正"
        case .showa: "和"
        case .heisei: "成"
        case .reiwa: "和"
        }
    }
}

// MARK: - Grammar

/// How the parts after the year were written.
private enum Layout {
    case yearOnly
    case units  // 年月日
    case separated(Unicode.Scalar)
    case compact  // 20180401, 201804
}

private struct ParsedDate {
    var era: (era: JapaneseEra, mark: EraMark)?
    /// The Gregorian year, or the era year when `era` is set.
    var year: Int
    var month: Int?
    var day: Int?
    var layout: Layout
}

private let examples = "write a date such as 2018-04-01, 2018年4月1日 or H30.4.1"

private struct DateParser {
    let input: String
    let tokens: [Token]
    var index = 0

    init(input: String, tokens: [Token]) {
        self.input = input
        self.tokens = tokens
    }

    mutating func parse() throws(DateError) -> ParsedDate {
        for token in tokens {
            if case .unexpected(let scalar) = token {
                throw .unreadable(input, "\(String(scalar).debugDescription) cannot appear in a date; \(examples)")
            }
        }
        var seireki = false
        if case .seireki = current {
            seireki = true
            index += 1
        }
        switch current {
        case .era(let era, let mark):
            if seireki { throw .unreadable(input, "西暦 and an era name cannot both be given; \(examples)") }
            index += 1
            return try parseEraDate(era: era, mark: mark)
        case .number(let run):
            index += 1
            return try parseWesternDate(year: run)
        case .gan:
            throw .unreadable(input, "元年 needs an era name before it, e.g. 令和元年5月1日")
        case nil:
            throw .unreadable(input, "西暦 needs a year after it, e.g. 西暦2018年4月1日")
        default:
            throw .unreadable(input, "a date starts with its year; \(examples)")
        }
    }

    private var current: Token? { index < tokens.count ? tokens[index] : nil }

    // MARK: Western

    private mutating func parseWesternDate(year run: DigitRun) throws(DateError) -> ParsedDate {
        let (layout, month, day) = try parseRest()
        try requireDigitsOnlyWithUnits(layout, [run, month, day])
        switch layout {
        case .yearOnly:
            return try compactDate(run)
        case .separated:
            if run.digits <= 2, let last = day ?? month, last.digits == 4 {
                throw .ambiguousOrder(input, meaning: yearFirst(run, month, day))
            }
        case .units, .compact:
            break
        }
        guard run.digits == 4, let year = run.value else {
            throw run.digits <= 2 ? .twoDigitYear(input) : .yearDigits(input, digits: run.digits)
        }
        let monthValue = try part(month, "month")
        let dayValue = try part(day, "day")
        return ParsedDate(year: year, month: monthValue, day: dayValue, layout: layout)
    }

    /// `20180401`, `201804` or `2018`.
    private func compactDate(_ run: DigitRun) throws(DateError) -> ParsedDate {
        guard let value = run.value else { throw compactLengthError(run.digits) }
        switch run.digits {
        case 8:
            return ParsedDate(year: value / 10_000, month: value / 100 % 100, day: value % 100, layout: .compact)
        case 6:
            return ParsedDate(year: value / 100, month: value % 100, layout: .compact)
        case 4:
            return ParsedDate(year: value, layout: .yearOnly)
        case 1, 2:
            throw .twoDigitYear(input)
        default:
            throw compactLengthError(run.digits)
        }
    }

    private func compactLengthError(_ digits: Int) -> DateError {
        if digits == 3 || digits == 5 { return .yearDigits(input, digits: digits) }
        return .unreadable(
            input, "\(digits) digits cannot be read as a date: write 8 digits (20180401), 6 (201804) or 4 (2018), or separate the parts (2018-04-01)")
    }

    /// What a day-first or month-first date may mean, year first: `2018-12-25`, or
    /// `2018-04-05 or 2018-05-04` when either order is possible.
    private func yearFirst(_ first: DigitRun, _ second: DigitRun?, _ third: DigitRun?) -> String? {
        guard let a = first.value else { return nil }
        guard let third else {
            // month/year
            guard let year = second?.value, (1...12).contains(a) else { return nil }
            return "\(year)-\(twoDigits(a))"
        }
        guard let b = second?.value, let year = third.value else { return nil }
        // Month-first (12/25/2018), then day-first (25/12/2018), where the date exists.
        let readings = [(a, b), (b, a)].filter { month, day in
            (1...12).contains(month) && (1...PartialDate.daysIn(month: month, year: max(year, 1))).contains(day)
        }
        let texts = readings.map { month, day in "\(year)-\(twoDigits(month))-\(twoDigits(day))" }
        guard let first = texts.first else { return nil }
        return texts.count == 2 && texts[1] != first ? "\(first) or \(texts[1])" : first
    }

    // MARK: 和暦

    private mutating func parseEraDate(era: JapaneseEra, mark: EraMark) throws(DateError) -> ParsedDate {
        // "H.30.4.1": a dot after the letter.
        if mark == .letter, case .separator(".") = current, index + 1 < tokens.count {
            switch tokens[index + 1] {
            case .number, .gan: index += 1
            default: break
            }
        }
        let eraYear: Int
        var yearRun: DigitRun?
        switch current {
        case .gan:
            eraYear = 1
        case .number(let run):
            yearRun = run
            if run.digits > 2 || run.value == nil {
                throw eraYearError(era: era, run: run, last: index + 1 == tokens.count)
            }
            eraYear = run.value ?? 0
        default:
            throw .unreadable(input, "the era year is missing after \(era.name); write e.g. \(era.letter)2.4.1 or \(era.name)2年4月1日")
        }
        index += 1
        let (layout, month, day) = try parseRest()
        try requireDigitsOnlyWithUnits(layout, [yearRun, month, day])
        if eraYear == 0 { throw .eraYearZero(input, era: era) }
        let monthValue = try part(month, "month")
        let dayValue = try part(day, "day")
        return ParsedDate(era: (era, mark), year: eraYear, month: monthValue, day: dayValue, layout: layout)
    }

    private func eraYearError(era: JapaneseEra, run: DigitRun, last: Bool) -> DateError {
        if last, let value = run.value, run.digits == 6 || run.digits == 4 {
            let parts =
                run.digits == 6
                ? [value / 10_000, value / 100 % 100, value % 100]
                : [value / 100, value % 100]
            let suggestion = String(era.letter) + parts.map(String.init).joined(separator: ".")
            return .compactEra(input, suggestion: suggestion)
        }
        if run.isKanji, run.value == nil {
            return .unreadable(input, "the era year is not a kanji numeral that can be read; write it in digits (\(era.name)30年)")
        }
        return .unreadable(input, "an era year has 1 or 2 digits (\(era.letter)30, \(era.name)30年), not \(run.digits)")
    }

    // MARK: After the year

    /// Reads what follows the year: nothing, `年[M月[D日]]`, or `<sep>M[<sep>D]`.
    private mutating func parseRest() throws(DateError) -> (Layout, DigitRun?, DigitRun?) {
        switch current {
        case nil:
            return (.yearOnly, nil, nil)
        case .yearUnit:
            index += 1
            return try parseUnits()
        case .separator(let separator):
            return try parseSeparated(separator)
        case .number:
            throw .unreadable(input, "separate the parts with -, / or . (2018-04-01), or use 年月日 (2018年4月1日)")
        default:
            throw .unreadable(input, "expected 年 or a separator after the year; \(examples)")
        }
    }

    /// After `年`: nothing, `M月`, `M月D日` (the final 日 may be left out).
    private mutating func parseUnits() throws(DateError) -> (Layout, DigitRun?, DigitRun?) {
        guard case .number(let month) = current else {
            if current == nil { return (.units, nil, nil) }
            throw .unreadable(input, "expected the month after 年, as in 2018年4月1日")
        }
        index += 1
        guard case .monthUnit = current else {
            throw .unreadable(input, "expected 月 after the month, as in 2018年4月1日")
        }
        index += 1
        guard case .number(let day) = current else {
            if current == nil { return (.units, month, nil) }
            throw .unreadable(input, "expected the day after 月, as in 2018年4月1日")
        }
        index += 1
        if case .dayUnit = current { index += 1 }
        guard current == nil else {
            throw .unreadable(input, "unexpected text after the day; \(examples)")
        }
        return (.units, month, day)
    }

    /// After the year: `<sep>M` or `<sep>M<sep>D`, always the same separator.
    private mutating func parseSeparated(_ separator: Unicode.Scalar) throws(DateError) -> (Layout, DigitRun?, DigitRun?) {
        var parts: [DigitRun] = []
        while case .separator(let next) = current {
            guard next == separator else {
                throw .unreadable(
                    input,
                    "mixed separators \(String(separator).debugDescription) and \(String(next).debugDescription): use one kind, as in 2018-04-01")
            }
            index += 1
            guard case .number(let run) = current else {
                throw .unreadable(input, "incomplete: a number must follow \(String(separator).debugDescription); \(examples)")
            }
            index += 1
            parts.append(run)
            if parts.count > 2 {
                throw .unreadable(input, "too many parts: a date has at most a year, a month and a day, as in 2018-04-01")
            }
        }
        guard current == nil else {
            throw .unreadable(input, "unexpected text after the date; use either separators (2018-04-01) or 年月日 (2018年4月1日), not both")
        }
        return (.separated(separator), parts.first, parts.count > 1 ? parts[1] : nil)
    }

    private func requireDigitsOnlyWithUnits(_ layout: Layout, _ runs: [DigitRun?]) throws(DateError) {
        if case .units = layout { return }
        if runs.contains(where: { $0?.isKanji == true }) {
            throw .unreadable(input, "kanji numerals need 年, 月 and 日 (平成三十年四月一日); otherwise write digits (H30.4.1)")
        }
    }

    /// A month or day: 1 or 2 numerals.
    private func part(_ run: DigitRun?, _ name: String) throws(DateError) -> Int? {
        guard let run else { return nil }
        guard run.digits <= 2, let value = run.value else {
            if run.isKanji { throw .unreadable(input, "the \(name) is not a kanji numeral that can be read; write it in digits") }
            throw .unreadable(input, "a \(name) has 1 or 2 digits, not \(run.digits)")
        }
        return value
    }
}

// MARK: - Validation

extension ParsedDate {
    /// The date, checked to exist and, for an era date, to lie in its era.
    func validated(input: String) throws(DateError) -> PartialDate {
        let gregorianYear = era.map { $0.era.gregorianYear(year) } ?? year
        if let month, !(1...12).contains(month) { throw .monthDoesNotExist(input, month: month) }
        if let month, let day, !(1...PartialDate.daysIn(month: month, year: gregorianYear)).contains(day) {
            throw .dayDoesNotExist(input, year: gregorianYear, month: month, day: day)
        }
        if gregorianYear == 0 { throw .invalid(input, "there is no year 0000; \(examples)") }
        let date: PartialDate
        do {
            date = try PartialDate(year: gregorianYear, month: month, day: day)
        } catch {
            throw .invalid(input, error.description)
        }
        guard let written = era else { return date }
        if date.earliestKey > written.era.lastDayKey {
            let suggested = suggestion(for: date, mark: written.mark) ?? date.iso
            throw .eraEnded(input, era: written.era, suggestion: suggested)
        }
        if date.latestKey < written.era.firstDayKey {
            throw .eraNotBegun(input, era: written.era, suggestion: suggestion(for: date, mark: written.mark))
        }
        return date
    }

    /// The date written like the input, in the era in force (`R1.5.1`, `令和元年5月1日`).
    private func suggestion(for date: PartialDate, mark: EraMark) -> String? {
        guard let written = date.japaneseEra else { return nil }
        switch layout {
        case .units:
            return date.japaneseEraText
        case .yearOnly where mark == .kanji:
            return date.japaneseEraText
        case .separated(let separator):
            return date.japaneseEraShortText(era: written.era, eraYear: written.year, separator: Character(separator))
        case .yearOnly, .compact:
            return date.japaneseEraShortText
        }
    }
}

private func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
