import Foundation
import MimamoriTesting
import Testing

@testable import Store

/// Case bodies on disk (partition migration 5): packed with raw deflate and a preset
/// dictionary, read back as the very JSON that was written; rows written before stay JSON and
/// stay readable, listed and exported.
@Suite(.serialized)
struct CaseBodyTests {
    @Test(
        "a packed body reads back as the same JSON",
        arguments: [
            "{}", #"{"a":1}"#, RecordFixture.line("P-1"),
            RecordFixture.line("P-2", ["notes": RecordFixture.json(String(repeating: "本児は帰宅を拒否している。", count: 400))]),
            "{" + (0..<3_000).map { "\"k\($0)\":\"\(UInt64($0) &* 0x9E37_79B9_7F4A_7C15)\"" }.joined(separator: ",") + "}",
        ])
    func roundTrip(json: String) throws {
        let packed = CaseBody.pack(json)
        #expect(CaseBody.unpack(packed) == json)
        if json.utf8.count >= 1_000 { #expect(packed.count < json.utf8.count) }
    }

    @Test("one deflater kept for many bodies packs each as a new one would")
    func deflaterKept() {
        let bodies =
            (1...50).map { RecordFixture.line("K-\($0)", ["notes": RecordFixture.json(String(repeating: "記録\($0)。", count: $0))]) }
            + ["{}", String(repeating: "x", count: 70)]
        let deflater = BodyDeflater()
        for json in bodies {
            let packed = CaseBody.pack(json, with: deflater)
            #expect(packed == CaseBody.pack(json, with: BodyDeflater()))
            #expect(CaseBody.unpack(packed) == json)
        }
    }

    @Test("a typical record packs to well under half its JSON")
    func packsSmall() throws {
        let test = try TestStore()
        let report = try JSONLinesImporter(store: test.store, actor: .localAdministrator).run(
            test.folder.write("one.jsonl", lines: [RecordFixture.line("S-1")]))
        #expect(report.committed)
        let found = try #require(try test.store.cases.list(heldBy: "131016", as: .localAdministrator).first)
        let json = Cases.encode(found.record)
        #expect(CaseBody.pack(json).count * 2 < json.utf8.count)
    }

    @Test("bytes that are neither JSON nor a packed body are refused, not misread")
    func corrupt() {
        #expect(CaseBody.unpack([]) == nil)
        #expect(CaseBody.unpack([0x7F, 1, 2, 3]) == nil)
        var packed = CaseBody.pack(RecordFixture.line("C-1"))
        packed[packed.count / 2] ^= 0xFF
        packed.removeLast(3)
        #expect(CaseBody.unpack(packed) == nil)
    }

    @Test("cases written before packed bodies stay readable, listed, exported, and are packed when next written")
    func oldRowsStayReadable() throws {
        // The stored JSON of a record, as an older build wrote it.
        let source = try TestStore()
        let line = RecordFixture.line("OLD-1", ["child.family_name_kana": RecordFixture.json("アオキ")])
        _ = try JSONLinesImporter(store: source.store, actor: .localAdministrator).run(source.folder.write("old.jsonl", lines: [line]))
        let original = try #require(try source.store.cases.list(heldBy: "131016", as: .localAdministrator).first)
        let json = Cases.encode(original.record)

        // A partition file at schema version 4, holding that case with its JSON body.
        let test = try TestStore()
        let partition = test.dataDirectory.appendingPathComponent("pref-13.sqlite")
        let quoted = json.replacingOccurrences(of: "'", with: "''")
        let schema = PartitionSchema.migrations.prefix(4).map(\.sql).joined(separator: "\n")
        let recorded = (1...4).map { "INSERT INTO schema_migrations (version, name) VALUES (\($0), 'm\($0)');" }.joined(separator: "\n")
        _ = try CommandRun.sqlite(
            partition,
            """
            PRAGMA journal_mode = WAL;
            CREATE TABLE schema_migrations (
                version INTEGER PRIMARY KEY,
                name TEXT NOT NULL,
                applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
            ) STRICT;
            \(schema)
            \(recorded)
            INSERT INTO cases (id, holder, external_id, status, version, body, created_at, updated_at)
            VALUES ('\(original.id)', '131016', 'OLD-1', 'open', 1, '\(quoted)', '2020-01-01T00:00:00.000Z', '2020-01-01T00:00:00.000Z');
            """)
        let store = try test.reopen()
        let read = try store.cases.read(id: original.id, as: .localAdministrator)
        #expect(read.record == original.record)
        #expect(try CommandRun.sqlite(partition, "SELECT hex(substr(body, 1, 1)) FROM cases") == "7B")
        let listed = try store.cases.list(heldBy: "131016", as: .localAdministrator, matching: CaseListQuery(text: "old-1", sort: .name))
        #expect(listed.cases.map(\.id) == [original.id])
        #expect(try store.cases.list(heldBy: "131016", as: .localAdministrator, matching: CaseListQuery(text: "アオキ")).total == 1)
        #expect(try store.cases.export(heldBy: "131016", as: .localAdministrator).map(\.record) == [original.record])

        let updated = try store.cases.update(
            id: original.id, expectedVersion: 1, mergePatch: Array(#"{"notes": "更新"}"#.utf8), as: .localAdministrator)
        #expect(updated.record.notes == "更新")
        #expect(try CommandRun.sqlite(partition, "SELECT hex(substr(body, 1, 1)) FROM cases") == "01")
        #expect(try store.cases.read(id: original.id, as: .localAdministrator).record == updated.record)
    }

    @Test("a bulk import's list columns, computed from the records, are those SQLite derives from the stored JSON")
    func listColumnsOfBulkImport() throws {
        let test = try TestStore()
        let lines = [
            RecordFixture.line("Bulk-ABC-1"),
            RecordFixture.line(
                "bulk-2", ["child.romaji": RecordFixture.json("Yamada Taro Ä"), "child.given_name": RecordFixture.json("ÉMILE")]),
            RecordFixture.line("BULK-3", ["child.birthdate": RecordFixture.json("2018-04"), "address": "null-omit"]),
            RecordFixture.line(
                "Bulk-4",
                [
                    "child.family_name_kana": "null-omit", "child.birthdate": "null-omit",
                    "consultations":
                        #"[{"date": "2024-06-01", "source": "school", "abuse_types": ["neglect", "physical"], "status": "open"}, {"date": "2024-07-01", "source": "police", "abuse_types": ["psychological", "neglect"], "status": "open"}]"#,
                ]),
            RecordFixture.line("Bulk-5", ["consultations": "[]", "child.given_name_kana": RecordFixture.json("")]),
        ]
        let report = try JSONLinesImporter(store: test.store, actor: .localAdministrator).run(test.folder.write("bulk.jsonl", lines: lines))
        #expect(report.committed)
        #expect(report.counts.inserted == lines.count)
        // Both sides as a JSON array of the six values (null for NULL), by the sqlite3 command.
        let partition = test.dataDirectory.appendingPathComponent("pref-13.sqlite")
        let records = try test.store.cases.export(heldBy: "131016", as: .localAdministrator).map(\.record)
        #expect(records.count == lines.count)
        for record in records {
            let json = Cases.encode(record).replacingOccurrences(of: "'", with: "''")
            let externalID = "'" + record.externalID.replacingOccurrences(of: "'", with: "''") + "'"
            let stored = try CommandRun.sqlite(
                partition, "SELECT json_array(\(CaseBody.listColumns)) FROM cases WHERE external_id = \(externalID)")
            let derived = try CommandRun.sqlite(
                partition, "SELECT json_array(\(CaseBody.listValues(json: "'\(json)'", externalID: externalID)))")
            #expect(!stored.isEmpty)
            #expect(stored == derived)
        }
    }
}
