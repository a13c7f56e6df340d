import Foundation
import MimamoriTesting
import Store
import Testing

struct StoreTests {
    @Test("an empty folder becomes a store: catalogue migrated, directory loaded")
    func migratesFromEmptyDirectory() throws {
        let test = try TestStore()
        #expect(FileManager.default.fileExists(atPath: test.dataDirectory.appendingPathComponent("catalogue.sqlite").path))
        let kinds = Dictionary(grouping: test.store.directory.authorities.values, by: \.kind).mapValues(\.count)
        #expect(kinds[.prefecture] == 47)
        #expect(kinds[.municipality] == 1741)
        #expect(kinds[.ministry] == 1)
        #expect((kinds[.childGuidanceCentre] ?? 0) >= 47 + 20)
        #expect(test.store.directory["131016"]?.name == "千代田区")
        // Reopening runs no migration twice and keeps the directory.
        let reopened = try test.reopen()
        #expect(reopened.directory.count == test.store.directory.count)
    }

    @Test("every municipality lies in exactly one CGC's jurisdiction")
    func jurisdictionCoversEveryMunicipality() throws {
        let directory = try TestStore().store.directory
        for municipality in directory.authorities.values where municipality.kind == .municipality {
            let cgc = try #require(directory.childGuidanceCentre(for: municipality.code), "\(municipality.code) \(municipality.name)")
            #expect(cgc.prefectureCode == municipality.prefectureCode)
        }
        #expect(directory.childGuidanceCentre(for: "141003")?.code == "141003-01")  // 横浜市 runs its own
        #expect(directory.childGuidanceCentre(for: "131016")?.code == "130001-01")  // 千代田区 → 東京都
    }

    @Test("a case moves between prefectures: one partition before, the other after, history and id kept")
    func movesAcrossPrefectures() throws {
        let test = try TestStore()
        let file = test.folder.write("one.jsonl", lines: [RecordFixture.line("A-1")])
        _ = try JSONLinesImporter(store: test.store, actor: .localAdministrator).run(file)
        let original = try #require(try test.store.cases.list(heldBy: "131016", as: .localAdministrator).first)
        let moved = try test.store.cases.move(id: original.id, to: "271004-01", as: .localAdministrator)
        #expect(moved.id == original.id)
        #expect(moved.holder == "271004-01")
        #expect(moved.prefectureCode == "27")
        #expect(moved.version == original.version + 1)
        #expect(moved.record.authority == "271004-01")
        #expect(moved.record.consultations == original.record.consultations)
        #expect(try test.store.cases.countsByPrefecture() == ["13": 0, "27": 1])
        #expect(try test.store.auditLog.entries(as: .localAdministrator, ).contains { $0.action == "case.move" && $0.target == original.id })
    }

    @Test("the Store refuses what the policy does not allow")
    func policyIsEnforcedInTheStore() throws {
        let test = try TestStore()
        _ = try JSONLinesImporter(store: test.store, actor: .localAdministrator)
            .run(test.folder.write("one.jsonl", lines: [RecordFixture.line("A-1")]))
        let id = try #require(try test.store.cases.list(heldBy: "131016", as: .localAdministrator).first?.id)
        let holder = Actor.user(login: "kanda", authority: "131016", role: .worker)
        let stranger = Actor.user(login: "sato", authority: "271004", role: .worker)
        let systemOperator = Actor.user(login: "ops", authority: "131016", role: .systemOperator)
        #expect(try test.store.cases.read(id: id, as: holder).id == id)
        // Another authority may know the case exists (search summary): refused. An operator
        // may not even know that: the case is not found for it.
        for (actor, kind) in [(stranger, StoreError.Kind.permissionDenied), (systemOperator, .notFound)] {
            #expect { try test.store.cases.read(id: id, as: actor) } throws: { ($0 as? StoreError)?.kind == kind }
            #expect { try test.store.cases.move(id: id, to: "271004-01", as: actor) } throws: { ($0 as? StoreError)?.kind == kind }
        }
        #expect(try test.store.auditLog.entries(as: .localAdministrator, ).filter { $0.action == "denied" && $0.target == id }.count == 4)
        // An import by a user for another authority is refused line by line, and nothing is written.
        let report = try JSONLinesImporter(store: test.store, actor: stranger)
            .run(test.folder.write("two.jsonl", lines: [RecordFixture.line("A-2")]))
        #expect(!report.committed && report.errors.first?.message.contains("may not") == true)
    }

    @Test("an unknown case id is not found, in any partition")
    func unknownCase() throws {
        let test = try TestStore()
        #expect { try test.store.cases.read(id: "../../etc/passwd", as: .localAdministrator) } throws: {
            ($0 as? StoreError)?.kind == .notFound
        }
    }
}

struct MigrationTests {
    @Test("each file records the migrations applied to it, once")
    func recordsMigrations() throws {
        let test = try TestStore()
        _ = try test.reopen()
        let versions = try CommandRun.sqlite(
            test.dataDirectory.appendingPathComponent("catalogue.sqlite"), "SELECT group_concat(version) FROM schema_migrations")
        #expect(versions == (1...29).map(String.init).joined(separator: ","))
    }

    @Test("a store written by a newer build is refused with advice, not damaged")
    func refusesNewerSchema() throws {
        let test = try TestStore()
        let catalogue = test.dataDirectory.appendingPathComponent("catalogue.sqlite")
        _ = try CommandRun.sqlite(catalogue, "INSERT INTO schema_migrations (version, name) VALUES (99, 'from the future')")
        #expect {
            try test.reopen()
        } throws: { error in
            (error as? StoreError)?.description.contains("upgrade mimamori") == true
        }
        #expect(try CommandRun.sqlite(catalogue, "SELECT count(*) FROM authorities") == String(test.store.directory.count))
    }
}
