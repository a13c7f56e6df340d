import Foundation
import MimamoriTesting
import Spreadsheet
import Store
import Testing

/// The spreadsheet layout read and written as an authority's Excel writes and reads it.
struct CaseSheetTests {
    static let directory: AuthorityDirectory = {
        let folder = TestStore.dictionaries
        return try! AuthorityDirectory.load(
            authoritiesCSV: folder.appendingPathComponent("authorities.csv"), centresCSV: folder.appendingPathComponent("child-guidance-centres.csv"))
    }()
    static let validator = RecordValidator(directory: directory)

    static func python(_ text: String, encoding: String) throws -> [UInt8] { try ForeignEncoding.bytes(text, encoding: encoding) }

    /// A sheet as Excel writes one: CRLF, a quoted cell with a line break and a comma, 和暦 and
    /// full-width digits, empty cells, a formula-looking cell, and an empty last row.
    static let excelSheet = [
        "記録番号,状態,児童氏名,ふりがな,生年月日,性別,住所,保護者1続柄,保護者1氏名,保護者1ふりがな,保護者2続柄,保護者2氏名,相談日,相談経路,虐待種別,アセスメント,備考",
        "K-001,対応中,山田 太郎,やまだ たろう,平成30年4月1日,男,東京都千代田区千代田1-1,母,山田 花子,ヤマダ ハナコ,,,令和6年6月1日,学校,ネグレクト,\"朝食なし、衣服の汚れ。\r\n担任が確認\",'=HYPERLINK(\"x\")",
        "K-001,,,,,,,,,,,,２０２４年９月３日,近隣,身体的虐待・心理的虐待,,",
        "K-002,終結,髙橋 𠮷子,タカハシ ヨシコ,2015-02,女,神奈川県横浜市中区山下町1,父,髙橋 一郎,タカハシ イチロウ,祖母,髙橋 トメ,2020-01-15,警察,身体的虐待,,",
        ",,,,,,,,,,,,,,,,",
        "",
    ].joined(separator: "\r\n")

    @Test("an Excel-style UTF-8 sheet with a BOM: two cases, the first with two consultations; every field where it belongs")
    func readsExcelSheet() throws {
        let sheet = try CaseSheet([0xEF, 0xBB, 0xBF] + Array(Self.excelSheet.utf8), authority: "131016", directory: Self.directory)
        #expect(sheet.encoding == .utf8 && sheet.issues.isEmpty, "\(sheet.issues)")
        #expect(sheet.rows == 3 && sheet.cases.map(\.externalID) == ["K-001", "K-002"])
        var records: [CaseRecord] = []
        for sheetCase in sheet.cases {
            switch Self.validator.validate(json: sheetCase.json) {
            case .success(let record): records.append(record)
            case .failure(let invalid): Issue.record("\(sheetCase.externalID): \(invalid)")
            }
        }
        try #require(records.count == 2)
        let first = records[0]
        #expect(first.authority == "131016" && first.status == .open)
        #expect(first.child.familyName == "山田" && first.child.givenName == "太郎" && first.child.birthdate?.iso == "2018-04-01")
        #expect(first.address?.municipality == "千代田区" && first.address?.line == "千代田1-1")
        #expect(first.guardians.count == 1 && first.guardians[0].relation == .mother && first.guardians[0].identity.givenNameKana == "ハナコ")
        #expect(first.consultations.count == 2)
        #expect(first.consultations[0].assessment == "朝食なし、衣服の汚れ。\n担任が確認")
        #expect(first.consultations[1].date?.iso == "2024-09-03" && first.consultations[1].abuseTypes == [.physical, .psychological])
        #expect(first.notes == "=HYPERLINK(\"x\")")
        let second = records[1]
        #expect(second.status == .closed && second.child.givenName == "𠮷子" && second.child.birthdate?.iso == "2015-02")
        // A designated city's ward address: 横浜市 with the ward in the line; 神奈川県 from the text.
        #expect(second.address?.prefecture == "神奈川県" && second.address?.municipality == "横浜市" && second.address?.line == "中区山下町1")
        #expect(second.guardians.map(\.relation) == [.father, .grandmother])
    }

    @Test("CP932 as Excel writes it (Python's codec) is detected and read; the same text as UTF-8 without a BOM too")
    func encodings() throws {
        let text = Self.excelSheet.replacingOccurrences(of: "𠮷", with: "吉")
        let cp932 = try Self.python(text, encoding: "cp932")
        #expect(TextEncoding.detect(cp932) == .cp932)
        let fromCP932 = try CaseSheet(cp932, authority: "131016", directory: Self.directory)
        let fromUTF8 = try CaseSheet(Array(text.utf8), authority: "131016", directory: Self.directory)
        #expect(fromCP932.encoding == .cp932 && fromUTF8.encoding == .utf8)
        #expect(fromCP932.cases.map(\.json) == fromUTF8.cases.map(\.json), "the CP932 and UTF-8 sheets differ")
        #expect(fromCP932.cases.count == 2 && fromCP932.issues.isEmpty)
        // Chosen rather than detected, a wrong choice is an error naming the line, not garbage.
        #expect {
            try CaseSheet(cp932, encoding: .utf8, authority: "131016", directory: Self.directory)
        } throws: { error in
            (error as? EncodingProblem)?.line == 1
        }
    }

    @Test("a bad row in the middle is named by row and heading in Japanese, with the reason the date does not exist")
    func badRowNamed() throws {
        let text = [
            "記録番号,児童氏名,ふりがな,生年月日,住所,相談日",
            "A-1,佐藤 一郎,サトウ イチロウ,平成29年1月5日,東京都千代田区,2024-01-01",
            "A-2,鈴木 花,スズキ ハナ,平成31年5月1日,東京都千代田区,2024-01-02",
            "A-3,田中 翼,タナカ ツバサ,2016-02-30,東京都横浜市,2024-13-01",
            "A-4,伊藤 蓮,イトウ,2019-01-01,,",
        ].joined(separator: "\r\n")
        let sheet = try CaseSheet(Array(text.utf8), authority: "131016", directory: Self.directory)
        #expect(sheet.issues.isEmpty)
        let issues = sheet.validate(with: Self.validator)
        let said = issues.map(\.japanese)
        #expect(said.contains("3行目 生年月日: 平成31年5月1日は存在しない日付です（平成は31年4月30日まで。令和元年5月1日と入力してください）。"), "\(said)")
        #expect(said.contains { $0.hasPrefix("4行目 生年月日: 2016-02-30は存在しない日付です（その月は29日までです）") }, "\(said)")
        #expect(said.contains { $0.hasPrefix("4行目 住所: ") }, "\(said)")
        #expect(said.contains { $0.hasPrefix("4行目 相談日: ") }, "\(said)")
        #expect(!said.contains { $0.hasPrefix("2行目") })
    }

    @Test("sheet problems: unknown heading, a case whose rows disagree, a name not split like its reading, data past the headings")
    func sheetProblems() throws {
        let unknown = try CaseSheet(Array("記録番号,担当者\r\nA-1,山田\r\n".utf8), authority: "131016", directory: Self.directory)
        #expect(unknown.issues.map(\.japanese).contains { $0.hasPrefix("1行目 担当者: この見出しは一括登録の様式にありません") })
        let noID = try CaseSheet(Array("児童氏名\r\n山田 太郎\r\n".utf8), authority: "131016", directory: Self.directory)
        #expect(noID.issues.map(\.japanese) == ["1行目: 「記録番号」の列がありません。"])
        let text = [
            "記録番号,児童氏名,ふりがな,生年月日,相談日", "A-1,山田 太郎,ヤマダ タロウ,2018-04-01,2024-01-01", "A-1,山田 次郎,,,2024-02-01",
            "A-2,佐藤花子,サトウ ハナコ,2019-01-01,", "A-3,鈴木 一,スズキ ハジメ,2019-01-01,,余分",
        ].joined(separator: "\n")
        let sheet = try CaseSheet(Array(text.utf8), authority: "131016", directory: Self.directory)
        let said = sheet.issues.map(\.japanese)
        #expect(said.contains { $0.hasPrefix("3行目 児童氏名: 記録番号「A-1」の行が複数あるときは") && $0.contains("2行目:「山田 太郎」") }, "\(said)")
        #expect(said.contains { $0.hasPrefix("4行目 児童氏名: 姓と名の間に空白を入れてください") }, "\(said)")
        #expect(said.contains { $0.hasPrefix("5行目: 見出しのない列に値があります") }, "\(said)")
    }

    @Test("export → import round-trips unchanged, UTF-8 with a BOM and CP932; CP932 reports what it cannot hold")
    func roundTrip() throws {
        let sheet = try CaseSheet(Array(Self.excelSheet.utf8), authority: "131016", directory: Self.directory)
        let records = sheet.cases.compactMap { try? Self.validator.validate(json: $0.json).get() }
        try #require(records.count == 2)
        let utf8 = try CaseSheetWriter.write(records, encoding: .utf8)
        #expect(utf8.bytes.starts(with: [0xEF, 0xBB, 0xBF]) && utf8.issues.isEmpty)
        let again = try CaseSheet(utf8.bytes, authority: nil, directory: Self.directory)
        #expect(again.issues.isEmpty, "\(again.issues)")
        #expect(again.cases.compactMap { try? Self.validator.validate(json: $0.json).get() } == records)
        // The formula-looking cell goes out guarded and comes back as it was.
        #expect(String(decoding: utf8.bytes, as: UTF8.self).contains("'=HYPERLINK"))

        let cp932 = try CaseSheetWriter.write(records, encoding: .cp932)
        #expect(cp932.issues.count == 1 && cp932.issues[0].column == "児童氏名" && cp932.issues[0].message.contains("𠮷"))
        let decoded = try CaseSheet(cp932.bytes, authority: nil, directory: Self.directory)
        #expect(decoded.encoding == .cp932)
        let back = decoded.cases.compactMap { try? Self.validator.validate(json: $0.json).get() }
        #expect(back.first == records.first && back.last?.child.givenName == "〓子")
    }

    @Test("the template has the headings a worker types, and opens as UTF-8 in Excel")
    func template() throws {
        let output = try CaseSheetWriter.write([], encoding: .utf8)
        let text = String(decoding: output.bytes.dropFirst(3), as: UTF8.self)
        #expect(text.hasPrefix("記録番号,状態,児童氏名,ふりがな,ローマ字,生年月日,性別,国籍,住所,保護者1続柄,保護者1氏名"))
        #expect(text.hasSuffix("\r\n") && output.bytes.starts(with: [0xEF, 0xBB, 0xBF]))
    }

    @Test("decoding never traps: random bytes either decode or name a line", arguments: 0..<200)
    func fuzzDecode(seed: Int) throws {
        var generator = SplitMix64(seed: UInt64(seed))
        let bytes = (0..<Int.random(in: 0...300, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
        for encoding in [TextEncoding.utf8, .cp932] {
            do {
                _ = try CaseSheet(bytes, encoding: encoding, authority: "131016", directory: Self.directory)
            } catch {
                #expect(error.line >= 1)
            }
        }
    }
}
