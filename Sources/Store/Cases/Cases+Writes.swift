import Foundation
import SQLiteDB

extension Cases {
    /// The versions a case can have (a request's If-Match is parsed into this range).
    package static let versions = 1...1_000_000_000

    /// Registers a new case from a record in the import format (JSON). The record's
    /// `authority` must be the actor's own; if absent, it is filled in with it.
    /// - Throws: `.invalidInput` naming every bad field; `.conflict` if the holder already has
    ///   a case with that `external_id`; `.permissionDenied` for another authority's case.
    package func create(json bytes: [UInt8], as actor: Actor) throws(StoreError) -> StoredCase {
        var value = try Self.parseObject(bytes)
        if case .object(var object) = value, object["authority"] == nil, let authority = actor.authority {
            object["authority"] = .string(authority)
            value = .object(object)
        }
        return try insert(try validate(value), as: actor)
    }

    /// Registers a new case from a record built in code (the staff UI's form), validated here
    /// once, as a whole: `.invalidInput` carries every field issue by its path.
    package func create(_ record: CaseRecord, as actor: Actor) throws(StoreError) -> StoredCase {
        try insert(try validate(record), as: actor)
    }

    private func insert(_ record: CaseRecord, as actor: Actor) throws(StoreError) -> StoredCase {
        try store.require(.registerCases(holder: record.authority), as: actor, action: "case.create", target: record.authority)
        let prefecture = try store.prefectureCode(ofHolder: record.authority)
        let id = UUID().uuidString.lowercased()
        let body = Self.encode(record)
        let audit = AuditRecord(
            actor: actor, action: "case.create", target: id, detail: "holder=\(record.authority)", cases: [(id, record.authority)],
            notifications: try store.notifications.aboutCase(
                id, holder: record.authority, municipality: record.address?.municipalityCode, kind: "case.created", by: actor))
        try store.commitCaseWrite(in: prefecture, audit) { connection throws(StoreError) in
            if try connection.first(
                "SELECT 1 FROM cases WHERE holder = ? AND external_id = ?", [record.authority, record.externalID], { _ in true }) != nil
            {
                throw StoreError(.conflict, "\(record.authority) already holds a case with external_id \(record.externalID)")
            }
            let now = Timestamp.now()
            try connection.run(
                CaseBody.insertSQL,
                [id, record.authority, record.externalID, record.status.rawValue, 1, SQLValue.blob(CaseBody.pack(body)), now, now, body])
            try ChangeFeed.recordChange(connection, caseID: id, kind: "upsert", at: now)
        }
        store.notifyChanged([prefecture])
        guard let created = try locate(id) else { throw StoreError(.storage, "case \(id) vanished after it was written") }
        return created
    }

    /// Reads a case for editing: refused (audited) unless `actor` may edit it, and audited as
    /// a read of the record when it may.
    package func readForEditing(id: String, as actor: Actor) throws(StoreError) -> StoredCase {
        try read(id: id, needing: [.readRecord, .edit], "case.edit", as: actor)
    }

    /// Applies a JSON Merge Patch (RFC 7396) to a case's record (see `update(id:expectedVersion:as:change:)`).
    /// The municipality code is derived from the address: a new address is resolved afresh
    /// unless the patch names the code itself.
    package func update(id: String, expectedVersion: Int, mergePatch bytes: [UInt8], as actor: Actor) throws(StoreError) -> StoredCase {
        // Who may change the case is decided before the patch is parsed.
        let found = try editable(id, as: actor)
        let patch = try Self.parseObject(bytes)
        return try write(found, expectedVersion: expectedVersion, as: actor) { found throws(StoreError) in
            var current: JSONValue
            do { current = try JSONParser.parse(Array(Self.encode(found.record).utf8)) } catch {
                throw StoreError(.storage, "case \(id) has a body that does not parse: \(error)")
            }
            if case .object(let changes) = patch, case .object(let address)? = changes["address"], address["municipality_code"] == nil,
                case .object(var record) = current, case .object(var stored)? = record["address"]
            {
                stored["municipality_code"] = nil
                record["address"] = .object(stored)
                current = .object(record)
            }
            return try validate(current.merged(with: patch))
        }
    }

    /// Changes a case's record with typed code (the staff UI's form), if the case is still at
    /// `expectedVersion` (optimistic concurrency: the caller read that version). The changed
    /// record is validated once, as a whole: `.invalidInput` carries every field issue by its
    /// path (`child.birthdate`). A changed address should leave `municipalityCode` nil, to be
    /// resolved afresh. The holder cannot be changed here (that is a transfer).
    /// - Throws: `.stale` if the case changed meanwhile; `.invalidInput`; `.permissionDenied`/`.notFound`.
    package func update(
        id: String, expectedVersion: Int, as actor: Actor, change: (inout CaseRecord) throws(StoreError) -> Void
    ) throws(StoreError) -> StoredCase {
        try write(try editable(id, as: actor), expectedVersion: expectedVersion, as: actor) { found throws(StoreError) in
            var record = found.record
            try change(&record)
            return try validate(record)
        }
    }

    /// The case, if `actor` may change it (a refusal is audited).
    private func editable(_ id: String, as actor: Actor) throws(StoreError) -> StoredCase {
        guard let found = try locate(id) else { throw StoreError(.notFound, "no case \(id.prefix(64))") }
        try store.authorize(.edit, "case.update", on: found, as: actor)
        return found
    }

    /// Writes the record `change` makes of a case the actor may change (`editable`).
    private func write(
        _ found: StoredCase, expectedVersion: Int, as actor: Actor, change: (StoredCase) throws(StoreError) -> CaseRecord
    ) throws(StoreError) -> StoredCase {
        guard Self.versions.contains(expectedVersion) else {
            throw StoreError(.invalidInput, "If-Match: a case version is a whole number in \(Self.versions.lowerBound)–\(Self.versions.upperBound)")
        }
        let id = found.id
        let record = try change(found)
        guard record.authority == found.holder else {
            throw StoreError(.invalidInput, "authority: the holder cannot be changed by an update; transfer the case instead")
        }
        let body = Self.encode(record)
        let audit = AuditRecord(
            actor: actor, action: "case.update", target: id, detail: "version=\(expectedVersion + 1)", cases: [(id, found.holder)],
            notifications: try store.notifications.aboutCase(
                id, holder: found.holder, municipality: record.address?.municipalityCode, kind: "case.updated", by: actor))
        try store.commitCaseWrite(in: found.prefectureCode, audit) { connection throws(StoreError) in
            let version = try connection.first("SELECT version FROM cases WHERE id = ?", [id]) { $0.int(0) }
            guard let version else { throw StoreError(.notFound, "no case \(id)") }
            guard version == expectedVersion else {
                throw StoreError(.stale, "case \(id) is at version \(version), not \(expectedVersion): read it again and reapply the change")
            }
            if record.externalID != found.record.externalID,
                try connection.first(
                    "SELECT 1 FROM cases WHERE holder = ? AND external_id = ?", [found.holder, record.externalID], { _ in true }) != nil
            {
                throw StoreError(.conflict, "\(found.holder) already holds a case with external_id \(record.externalID)")
            }
            let now = Timestamp.now()
            try connection.run(
                """
                UPDATE cases SET external_id = ?1, status = ?2, body = ?3, version = version + 1, updated_at = ?4,
                    \(CaseBody.listAssignments(json: "?6", externalID: "?1"))
                WHERE id = ?5
                """, [record.externalID, record.status.rawValue, SQLValue.blob(CaseBody.pack(body)), now, id, body])
            try ChangeFeed.recordChange(connection, caseID: id, kind: "upsert", at: now)
        }
        store.notifyChanged([found.prefectureCode])
        guard let updated = try locate(id) else { throw StoreError(.storage, "case \(id) vanished after it was written") }
        return try withAttachedRows(updated)
    }

    /// Adds a note to a case (its holder or a partner). Notes are never edited; the case's
    /// version does not change, so the holder's edit in progress is not disturbed.
    package func addNote(toCase id: String, text: String, as actor: Actor) throws(StoreError) -> CaseNote {
        // Who may add a note is decided before its text is looked at.
        guard let found = try locate(id) else { throw StoreError(.notFound, "no case \(id.prefix(64))") }
        try store.authorize(.addNote, "note.add", on: found, as: actor)
        let trimmed = text.trimmingSpaces()
        guard !trimmed.isEmpty else { throw StoreError(.invalidInput, "text: a note needs some text") }
        if let control = trimmed.unicodeScalars.first(where: { ($0.value < 0x20 && !["\n", "\r", "\t"].contains($0)) || $0.value == 0x7F }) {
            throw StoreError(.invalidInput, "text: contains the control character U+\(String(format: "%04X", control.value)); remove it")
        }
        guard trimmed.count <= Self.maxNoteLength else {
            throw StoreError(
                .invalidInput, "text: a note may be at most \(Self.maxNoteLength) characters, not \(trimmed.count); attach a longer document")
        }
        let note = CaseNote(
            id: UUID().uuidString.lowercased(), at: Timestamp.now(), author: actor.description,
            authority: actor.authority ?? "local", text: trimmed)
        let record = AuditRecord(actor: actor, action: "note.add", target: id, detail: "note=\(note.id)", cases: [(id, found.holder)])
        try store.commitCaseWrite(in: found.prefectureCode, record) { connection throws(StoreError) in
            guard try connection.first("SELECT 1 FROM cases WHERE id = ?", [id], { _ in true }) != nil else {
                throw StoreError(.notFound, "no case \(id)")  // moved away meanwhile
            }
            try connection.run(
                "INSERT INTO notes (id, case_id, at, author, authority, text) VALUES (?, ?, ?, ?, ?, ?)",
                [note.id, id, note.at, note.author, note.authority, note.text])
        }
        return note
    }

    /// A record built in code, validated as if it had been imported.
    private func validate(_ record: CaseRecord) throws(StoreError) -> CaseRecord {
        switch RecordValidator(directory: directory).validate(json: Array(Self.encode(record).utf8)) {
        case .success(let record): return record
        case .failure(let invalid): throw StoreError(.invalidInput, invalid.description, issues: invalid.issues)
        }
    }

    private func validate(_ value: JSONValue) throws(StoreError) -> CaseRecord {
        switch RecordValidator(directory: directory).validate(value) {
        case .success(let record): return record
        case .failure(let invalid): throw StoreError(.invalidInput, invalid.description, issues: invalid.issues)
        }
    }

    private static func parseObject(_ bytes: [UInt8]) throws(StoreError) -> JSONValue {
        let value: JSONValue
        do { value = try JSONParser.parse(bytes) } catch {
            throw StoreError(.invalidInput, "malformed JSON: \(error)")
        }
        guard case .object = value else { throw StoreError(.invalidInput, "the body must be a JSON object, not \(value.typeName)") }
        return value
    }
}

extension JSONValue {
    /// This value with a JSON Merge Patch (RFC 7396) applied: members of an object patch
    /// replace or (when null) remove members; any other patch replaces the value.
    package func merged(with patch: JSONValue) -> JSONValue {
        guard case .object(let changes) = patch else { return patch }
        var result: [String: JSONValue]
        if case .object(let object) = self { result = object } else { result = [:] }
        for (key, change) in changes {
            if case .null = change {
                result[key] = nil
            } else {
                result[key] = (result[key] ?? .null).merged(with: change)
            }
        }
        return .object(result)
    }
}
