import Foundation
import MimamoriTesting
import Store
import Testing

struct RecordValidatorTests {
    static let validator: RecordValidator = {
        let directory = try! AuthorityDirectory.load(
            authoritiesCSV: TestStore.dictionaries.appendingPathComponent("authorities.csv"),
            centresCSV: TestStore.dictionaries.appendingPathComponent("child-guidance-centres.csv"))
        return RecordValidator(directory: directory, today: try! PartialDate(year: 2026, month: 11, day: 25))
    }()

    func validate(_ line: String) -> Result<CaseRecord, RecordInvalid> {
        Self.validator.validate(json: Array(line.utf8))
    }

    @Test("a complete record is accepted and kept as entered")
    func acceptsCompleteRecord() throws {
        let record = try validate(RecordFixture.line("A-1")).get()
        #expect(record.externalID == "A-1")
        #expect(record.child.familyName == "山田")
        #expect(record.child.birthdate?.iso == "2018-04-01")
        #expect(record.guardians.first?.relation == .mother)
        #expect(record.address?.municipalityCode == "131016")
        #expect(record.consultations.first?.abuseTypes == [.neglect])
    }

    /// Untidy but possible data is accepted (REQUIREMENTS.md, "What real records look like").
    @Test(
        "untidy but possible values are accepted",
        arguments: [
            ("child.family_name_kana", #""ﾔﾏﾀﾞ""#),
            ("child.family_name_kana", #""やまだ""#),
            ("child.given_name_kana", #""ユーキ""#),
            ("child.family_name", #""髙橋""#),
            ("child.family_name", #""渡邊""#),
            ("child.given_name", #""さくら""#),
            ("child.family_name", #""NGUYEN""#),
            ("child.romaji", #""NGUYEN AN""#),
            ("child.romaji", #""ＮＧＵＹＥＮ ＡＮ""#),
            ("child.birthdate", #""2018""#),
            ("child.birthdate", #""2018-04""#),
            ("child.birthdate", #""H30.4.1""#),
            ("child.birthdate", #""平成30年4月1日""#),
            ("child.birthdate", #""２０１８／４／１""#),
            ("child.birthdate", #"null"#),
            ("child.sex", #""女""#),
            ("child.sex", #""F""#),
            ("child.nationality", #""vn""#),
            ("status", #""終結""#),
            ("authority", #""130001-01""#),
            ("address", #"{"prefecture": "神奈川県", "municipality": "横浜市中区"}"#),
            ("address", #"{"prefecture": "東京都", "municipality": "東京都千代田区"}"#),
            ("address", #"{"prefecture": "13", "municipality_code": "131016"}"#),
            ("guardians", #"[{"relation": "母", "name": "山田　花子"}]"#),
            ("guardians", #"[]"#),
            ("consultations", #"[{"date": "R6.6.1", "source": "警察", "abuse_types": ["心理的虐待"]}]"#),
        ])
    func acceptsUntidyValues(field: String, value: String) throws {
        let result = validate(RecordFixture.line("A-1", [field: value]))
        #expect(throws: Never.self) { try result.get() }
    }

    @Test("a whole name in one field is split at its first space (half- or full-width)")
    func splitsWholeName() throws {
        let record = try validate(
            RecordFixture.line(
                "A-1",
                [
                    "child.family_name": #""山田　太郎""#, "child.given_name": "null",
                    "child.family_name_kana": #""ﾔﾏﾀﾞ ﾀﾛｳ""#, "child.given_name_kana": "null",
                ])
        ).get()
        #expect(record.child.familyName == "山田")
        #expect(record.child.givenName == "太郎")
        #expect(record.child.familyNameKana == "ﾔﾏﾀﾞ")
        #expect(record.child.givenNameKana == "ﾀﾛｳ")
    }

    /// Impossible data is rejected with the field's path and a reason a clerk can act on.
    @Test(
        "impossible values are rejected with the field and the reason",
        arguments: [
            ("child.birthdate", #""2019-02-30""#, "child.birthdate", "2019-02"),
            ("child.birthdate", #""2030-01-01""#, "child.birthdate", "future"),
            ("child.birthdate", #""2027""#, "child.birthdate", "future"),
            ("child.birthdate", #""H31.5.1""#, "child.birthdate", "R1.5.1"),
            ("child.birthdate", #""yesterday""#, "child.birthdate", "yesterday"),
            ("child.birthdate", #"true"#, "child.birthdate", "must be a string"),
            ("child.family_name_kana", #""山田""#, "child.family_name_kana", "kanji"),
            ("child.given_name_kana", #""TARO""#, "child.given_name_kana", "romaji"),
            ("child.family_name", "\"山\\u0007田\"", "child.family_name", "control character"),
            ("notes", "\"a\\u007Fb\"", "notes", "control character (U+7F)"),
            ("notes", "\"a\\u0080b\"", "notes", "control character (U+80)"),
            ("notes", "\"é\\u0085\"", "notes", "control character (U+85)"),
            ("notes", "\"\\u009F\"", "notes", "control character (U+9F)"),
            ("notes", "\"a\\rb\"", "notes", "control character (U+D)"),
            ("notes", "\"" + String(repeating: "é", count: 10_001) + "\"", "notes", "10001 characters long"),
            ("child.family_name", "\"" + String(repeating: "山", count: 101) + "\"", "child.family_name", "limit is 100"),
            ("child.romaji", #""山田""#, "child.romaji", "not a Latin letter"),
            ("child.sex", #""x""#, "child.sex", "male, female, unknown"),
            ("child.nationality", #""Japan""#, "child.nationality", "ISO 3166-1"),
            ("child", #"{}"#, "child", "needs a name"),
            ("child", #""山田太郎""#, "child", "must be an object"),
            ("authority", #""131017""#, "authority", "131016"),
            ("authority", #""999999""#, "authority", "unknown authority code"),
            ("authority", #""130001""#, "authority", "does not hold cases"),
            ("authority", #""000000""#, "authority", "does not hold cases"),
            ("external_id", #""""#, "external_id", "must not be empty"),
            ("external_id", #"null"#, "external_id", "is required"),
            ("status", #""pending""#, "status", "open, closed"),
            ("guardians", #"{"relation": "mother"}"#, "guardians", "must be an array"),
            ("guardians", #"[{"relation": "uncle", "family_name": "山田"}]"#, "guardians[0].relation", "mother"),
            ("address", #"{"prefecture": "東京"}"#, "address.prefecture", "not a prefecture"),
            ("address", #"{"prefecture": "東京都", "municipality": "横浜市"}"#, "address.municipality", "no municipality"),
            ("address", #"{"prefecture": "東京都", "municipality_code": "141003"}"#, "address.municipality_code", "not in 東京都"),
            ("consultations", #"[{"date": "2024-13-01"}]"#, "consultations[0].date", "month 13"),
            ("consultations", #"[{"abuse_types": ["hitting"]}]"#, "consultations[0].abuse_types[0]", "physical"),
        ])
    func rejectsImpossibleValues(field: String, value: String, path: String, reason: String) throws {
        let result = validate(RecordFixture.line("A-1", [field: value]))
        guard case .failure(let invalid) = result else {
            Issue.record("\(field)=\(value) was accepted")
            return
        }
        let issue = try #require(invalid.issues.first { $0.path == path }, "no issue at \(path): \(invalid)")
        #expect(issue.message.contains(reason), "\(issue)")
    }

    @Test("text with no control character is accepted: tabs, line feeds, U+00A0 and beyond")
    func acceptsText() throws {
        let record = try validate(RecordFixture.line("A-1", ["notes": "\"a\\tb\\nc\\u00A0d\\u00C2\\u0100 é 山\""])).get()
        #expect(record.notes == "a\tb\nc\u{A0}d\u{C2}\u{100} é 山")
        let long = String(repeating: "山", count: RecordValidator.maxTextLength)
        #expect(try validate(RecordFixture.line("A-2", ["notes": "\"\(long)\""])).get().notes == long)
    }

    @Test("every issue of a record is reported, not just the first")
    func reportsAllIssues() {
        let result = validate(
            RecordFixture.line(
                "A-1",
                [
                    "authority": #""999999""#, "child.birthdate": #""2019-02-30""#, "child.family_name_kana": #""山田""#,
                ]))
        guard case .failure(let invalid) = result else {
            Issue.record("accepted")
            return
        }
        #expect(Set(invalid.issues.map(\.path)) == ["authority", "child.birthdate", "child.family_name_kana"])
    }

    @Test(
        "malformed JSON is reported as such",
        arguments: [
            #"{"external_id": "A-1", "authority": "131016""#,
            #"not json"#,
            #"[1, 2, 3]"#,
            #""just a string""#,
        ])
    func rejectsMalformedJSON(line: String) {
        guard case .failure(let invalid) = validate(line) else {
            Issue.record("accepted")
            return
        }
        #expect(invalid.description.contains("malformed JSON") || invalid.description.contains("must be a JSON object"))
    }
}
