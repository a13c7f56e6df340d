package import Indexer
package import Store

/// Turns a `SearchRequest` into a `SearchQuery`: free text is split into name pieces, a
/// birthdate, a sex and a guardian hint; structured fields add to it. Any input gives a
/// query or a `QueryError` that says what to change.
package struct QueryParser: Sendable {
    package let analyzer: NameAnalyzer
    package let directory: AuthorityDirectory

    package static let maxTextLength = 200
    package static let maxNamePieces = 4
    package static let maxLimit = 100

    package init(analyzer: NameAnalyzer, directory: AuthorityDirectory) {
        self.analyzer = analyzer
        self.directory = directory
    }

    package func parse(_ request: SearchRequest) throws(QueryError) -> SearchQuery {
        var query = SearchQuery()
        for (field, value) in [("q", request.q), ("name", request.name), ("kana", request.kana), ("guardian", request.guardian)] {
            if let value, value.count > Self.maxTextLength {
                throw QueryError("\(field) is \(value.count) characters long; at most \(Self.maxTextLength) are searched")
            }
        }
        if let text = request.q { try parseFreeText(text, into: &query) }
        if let nameText = request.name {
            let kanaPieces = request.kana.map(Self.pieces) ?? []
            for (offset, piece) in Self.pieces(nameText).enumerated() {
                query.names.append(name(piece, kana: offset < kanaPieces.count ? kanaPieces[offset] : nil))
            }
        } else if let kana = request.kana {
            query.names += Self.pieces(kana).map { name($0, kana: nil) }
        }
        if let guardian = request.guardian { query.guardianNames = Self.pieces(guardian).map { name($0, kana: nil) } }
        if let text = request.birthdate?.trimmed, !text.isEmpty {
            query.birthdate = try date(text, field: "birthdate")
        }
        if request.birthdateFrom != nil || request.birthdateTo != nil {
            let from = try request.birthdateFrom.map { (text) throws(QueryError) in try date(text, field: "birthdate_from") }
            let to = try request.birthdateTo.map { (text) throws(QueryError) in try date(text, field: "birthdate_to") }
            let lower = from ?? (try! PartialDate(year: 1, month: 1, day: 1))
            let upper = to ?? (try! PartialDate(year: 9999, month: 12, day: 31))
            guard lower <= upper else { throw QueryError("birthdate_from \(lower.iso) lies after birthdate_to \(upper.iso)") }
            query.birthdateRange = lower...upper
        }
        if let sex = request.sex?.trimmed, !sex.isEmpty {
            guard let parsed = Self.sexWords[sex.lowercased()] else {
                throw QueryError("sex \"\(sex)\" is not one of: male, female (or 男, 女)")
            }
            query.sex = parsed
        }
        if let prefecture = request.prefecture?.trimmed, !prefecture.isEmpty {
            guard let found = directory.prefecture(named: prefecture) else {
                throw QueryError("prefecture \"\(prefecture)\" is not a prefecture (e.g. 東京都 or 13)")
            }
            query.prefectureCode = found.prefectureCode
        }
        query.limit = min(max(request.limit ?? 20, 1), Self.maxLimit)
        query.offset = max(request.offset ?? 0, 0)
        query.names = query.names.filter { !$0.keys.isEmpty }
        guard !query.names.isEmpty || !query.guardianNames.isEmpty else {
            throw QueryError("nothing to search for: give a name or reading (a birthdate alone matches too many children)")
        }
        guard query.names.count <= Self.maxNamePieces else {
            throw QueryError("\(query.names.count) name pieces: give at most \(Self.maxNamePieces) (family and given name)")
        }
        if query.names.count == 1, let whole = query.names.first {
            // The folded text, not the phonetic key: the dictionary holds readings as written (ショウタ).
            query.splits = analyzer.readings.splits(ofFullName: whole.keys.canonical)
                .map { [name($0.family, kana: nil, kind: .family), name($0.given, kana: nil, kind: .given)] }
        }
        return query
    }

    private func parseFreeText(_ text: String, into query: inout SearchQuery) throws(QueryError) {
        for piece in Self.pieces(text) {
            let lowered = piece.lowercased()
            if let sex = Self.sexWords[lowered], piece.count > 1 || !piece.allSatisfy(\.isASCII) {
                query.sex = sex
            } else if Self.guardianWords.contains(piece) {
                query.wantsGuardian = true
            } else if Self.looksLikeDate(piece) {
                guard query.birthdate == nil else {
                    throw QueryError("two birthdates (\(query.birthdate!.iso) and \"\(piece)\"): give one, or use birthdate_from and birthdate_to")
                }
                query.birthdate = try date(piece, field: "birthdate")
            } else {
                query.names.append(name(piece, kana: nil))
            }
        }
    }

    private func name(_ text: String, kana: String?, kind: NameAnalyzer.Kind = .unknown) -> SearchQuery.Name {
        SearchQuery.Name(text: text, keys: analyzer.keys(name: text, kana: kana, kind: kind))
    }

    private func date(_ text: String, field: String) throws(QueryError) -> PartialDate {
        do {
            return try PartialDate(parsing: text)
        } catch {
            throw QueryError("\(field): \(error.description)")
        }
    }

    /// Splits at half- and full-width spaces, tabs and commas.
    static func pieces(_ text: String) -> [String] {
        text.split(whereSeparator: { $0 == " " || $0 == "\u{3000}" || $0 == "\t" || $0 == "," || $0 == "、" || $0.isNewline })
            .map(String.init)
    }

    /// Whether a piece is meant as a date: digits, or an era mark followed by a digit or 元.
    static func looksLikeDate(_ piece: String) -> Bool {
        let scalars = Array(piece.unicodeScalars)
        guard let first = scalars.first else { return false }
        let digits = scalars.filter { ("0"..."9").contains($0) || ("０"..."９").contains($0) }.count
        if ("0"..."9").contains(first) || ("０"..."９").contains(first) { return true }
        if "㍾㍽㍼㍻㋿".unicodeScalars.contains(first) { return true }
        if digits > 0 || piece.contains("元年") {
            let eraMarks = ["明治", "大正", "昭和", "平成", "令和", "西暦"]
            if eraMarks.contains(where: { piece.hasPrefix($0) }) { return true }
            if "MTSHRmtshrＭＴＳＨＲ".unicodeScalars.contains(first), scalars.count > 1,
                ("0"..."9").contains(scalars[1]) || ("０"..."９").contains(scalars[1]) || scalars[1] == "元" || scalars[1] == "."
            {
                return true
            }
        }
        return false
    }

    static let sexWords: [String: Sex] = [
        "男": .male, "男性": .male, "男児": .male, "男子": .male, "male": .male, "m": .male,
        "女": .female, "女性": .female, "女児": .female, "女子": .female, "female": .female, "f": .female,
    ]

    static let guardianWords: Set<String> = ["母", "父", "母親", "父親", "保護者", "継父", "継母", "祖母", "祖父"]
}

extension String {
    var trimmed: String { trimmingCharacters(in: " \u{3000}\t\n\r") }

    func trimmingCharacters(in set: String) -> String {
        let scalars = unicodeScalars
        let skip = Set(set.unicodeScalars)
        guard let start = scalars.firstIndex(where: { !skip.contains($0) }) else { return "" }
        let end = scalars.lastIndex(where: { !skip.contains($0) })!
        return String(scalars[start...end])
    }
}
