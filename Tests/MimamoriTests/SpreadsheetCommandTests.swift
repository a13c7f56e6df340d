import Foundation
import MimamoriTesting
import Testing

/// `mimamori import FILE.csv` and `mimamori export` through the real binary: Excel's files in,
/// the same layout out, all or nothing, each bad row named.
@Suite(.serialized)
struct SpreadsheetCommandTests {
    /// Writes `text` in `encoding` with Python's own codec (as another program would).
    static func write(_ text: String, to url: URL, encoding: String, bom: Bool = false) throws {
        try Data(ForeignEncoding.bytes(text, encoding: encoding, bom: bom)).write(to: url)
    }

    /// Cases in the data folder, by holder.
    static func count(_ data: URL) throws -> Int {
        let partition = data.appendingPathComponent("pref-13.sqlite")
        guard FileManager.default.fileExists(atPath: partition.path) else { return 0 }
        return Int(try CommandRun.sqlite(partition, "SELECT count(*) FROM cases").trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }

    static let header = "記録番号,児童氏名,ふりがな,生年月日,性別,住所,保護者1続柄,保護者1氏名,相談日,虐待種別,アセスメント"

    @Test("CP932 with CRLF, UTF-8 with and without a BOM: each imports; a bad row in the middle writes nothing and names row and column")
    func importsExcelFiles() throws {
        let folder = TemporaryDirectory("sheet-cli")
        let data = folder.url.appendingPathComponent("data")
        let rows = [
            Self.header,
            "C-1,山田 太郎,やまだ たろう,平成30年4月1日,男,千代田区千代田1-1,母,山田 花子,令和6年6月1日,ネグレクト,\"朝食なし、\r\n衣服の汚れ\"",
            "C-2,佐藤 花,サトウ ハナ,Ｈ２９．２．１,女,東京都千代田区神田1-2,父,佐藤 一,2024-07-01,身体的虐待,",
            "",
        ]
        for (index, (encoding, bom)) in [("cp932", false), ("utf-8", true), ("utf-8", false)].enumerated() {
            let file = folder.url.appendingPathComponent("cases-\(index).csv")
            try Self.write(rows.joined(separator: "\r\n").replacingOccurrences(of: "C-", with: "C\(index)-"), to: file, encoding: encoding, bom: bom)
            let run = try CommandRun.mimamori(["import", "--data", data.path, "--authority", "131016", file.path])
            #expect(run.status == 0, "\(encoding) bom=\(bom): \(run.standardError)")
            #expect(
                run.standardOutput.contains("Imported 2 cases from 2 rows")
                    && run.standardOutput.contains(encoding == "cp932" ? "(cp932)" : "(utf-8)"))
        }
        #expect(try Self.count(data) == 6)

        // One bad row between two good ones: nothing of the file is written.
        let bad = [
            Self.header, "D-1,鈴木 一郎,スズキ イチロウ,2017-05-05,男,千代田区,,,,,",
            "D-2,高橋 二郎,タカハシ ジロウ,平成31年5月1日,男,千代田区,,,,,", "D-3,田中 三郎,タナカ サブロウ,2016-01-01,男,千代田区,,,,,",
        ]
        let file = folder.url.appendingPathComponent("bad.csv")
        try Self.write(bad.joined(separator: "\r\n"), to: file, encoding: "cp932")
        let refused = try CommandRun.mimamori(["import", "--data", data.path, "--authority", "131016", file.path])
        #expect(refused.status == 65)
        #expect(refused.standardError.contains("row 3, 生年月日: 平成31年5月1日は存在しない日付です（平成は31年4月30日まで"), "\(refused.standardError)")
        #expect(refused.standardError.contains("Nothing was imported"))
        #expect(try Self.count(data) == 6)
        // Without --authority and without a 機関コード column, every row says so.
        let orphan = try CommandRun.mimamori(["import", "--data", data.path, folder.url.appendingPathComponent("cases-1.csv").path])
        #expect(orphan.status == 65 && orphan.standardError.contains("row 2, 機関コード:"), "\(orphan.standardError)")
    }

    @Test("export → import round-trips unchanged (CSV UTF-8, CSV CP932, JSON Lines); the export is audited")
    func roundTrip() throws {
        let folder = TemporaryDirectory("sheet-roundtrip")
        let source = folder.url.appendingPathComponent("source")
        let lines = folder.url.appendingPathComponent("demo.jsonl")
        #expect(try CommandRun.mimamori(["demo-data", "--records", "400", "--seed", "7", "--output", lines.path]).status == 0)
        #expect(try CommandRun.mimamori(["import", "--data", source.path, lines.path]).status == 0)
        let holder = "130001-01"
        func export(_ data: URL, _ arguments: [String], to name: String) throws -> URL {
            let file = folder.url.appendingPathComponent(name)
            let run = try CommandRun.mimamori(["export", "--data", data.path, "--authority", holder, "--output", file.path] + arguments)
            try #require(run.status == 0, "\(run.standardError)")
            return file
        }
        let reference = try String(contentsOf: export(source, ["--format", "jsonl"], to: "reference.jsonl"), encoding: .utf8)
        #expect(reference.split(separator: "\n").count > 10)
        for (name, arguments) in [
            ("utf8.csv", ["--format", "csv"]), ("cp932.csv", ["--format", "csv", "--encoding", "cp932"]), ("again.jsonl", ["--format", "jsonl"]),
        ] {
            let file = try export(source, arguments, to: name)
            let target = folder.url.appendingPathComponent("target-\(name)")
            let imported = try CommandRun.mimamori(["import", "--data", target.path, file.path])
            #expect(imported.status == 0, "\(name): \(imported.standardError)")
            let back = try String(contentsOf: export(target, ["--format", "jsonl"], to: "back-\(name).jsonl"), encoding: .utf8)
            #expect(back.split(separator: "\n").sorted() == reference.split(separator: "\n").sorted(), "\(name) did not round-trip")
        }
        let audited = try CommandRun.sqlite(
            source.appendingPathComponent("catalogue.sqlite"), "SELECT count(*) FROM audit_log WHERE action = 'case.export' AND target = '\(holder)'")
        #expect(audited.trimmingCharacters(in: .whitespacesAndNewlines) == "4")
    }

    @Test("a sheet of 10,000 rows imports (the time is printed for the note)")
    func tenThousandRows() throws {
        let folder = TemporaryDirectory("sheet-large")
        var text = "記録番号,児童氏名,ふりがな,生年月日,性別,住所,保護者1続柄,保護者1氏名,相談日,虐待種別\r\n"
        let family = ["佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤"]
        let given = ["太郎", "花子", "陽翔", "結愛", "蓮", "湊", "葵", "大和", "詩", "翼"]
        for index in 0..<10_000 {
            let (f, g) = (family[index % 10], given[(index / 10) % 10])
            text += "L-\(index),\(f) \(g),,\(2010 + index % 14)-\(String(format: "%02d", 1 + index % 12))-\(String(format: "%02d", 1 + index % 28)),"
            text +=
                "\(index % 2 == 0 ? "男" : "女"),千代田区千代田\(index % 9 + 1)-\(index % 30 + 1),母,\(f) 母子,2025-01-\(String(format: "%02d", 1 + index % 28)),ネグレクト\r\n"
        }
        let file = folder.url.appendingPathComponent("large.csv")
        try Self.write(text, to: file, encoding: "cp932")
        let data = folder.url.appendingPathComponent("data")
        let started = Date()
        let run = try CommandRun.mimamori(["import", "--data", data.path, "--authority", "131016", file.path])
        let seconds = Date().timeIntervalSince(started)
        #expect(run.status == 0, "\(run.standardError.prefix(2000))")
        #expect(try Self.count(data) == 10_000)
        print("10,000-row CP932 sheet imported in \(String(format: "%.1f", seconds)) s: \(run.standardOutput)")
    }
}
