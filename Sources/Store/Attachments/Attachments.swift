import Foundation
import SQLiteDB

/// An attachment's bytes with what is known of them.
package struct Attachment: Sendable {
    package let info: AttachmentInfo
    package let caseID: String
    package let content: [UInt8]
}

/// The kinds of file a case may carry, recognised by their first bytes (the uploader's
/// Content-Type is never trusted). The first bytes only choose the library that then reads the
/// whole file (`UploadInspection`).
package enum AttachmentKind: String, Sendable, CaseIterable {
    case pdf = "application/pdf", png = "image/png", jpeg = "image/jpeg", webp = "image/webp"

    package init?(sniffing bytes: [UInt8]) {
        func starts(_ prefix: [UInt8], at offset: Int = 0) -> Bool {
            bytes.count >= offset + prefix.count && Array(bytes[offset..<offset + prefix.count]) == prefix
        }
        if starts(Array("%PDF-".utf8)) {
            self = .pdf
        } else if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) {
            self = .png
        } else if starts([0xFF, 0xD8, 0xFF]) {
            self = .jpeg
        } else if starts(Array("RIFF".utf8)), starts(Array("WEBP".utf8), at: 8) {
            self = .webp
        } else {
            return nil
        }
    }
}

/// Photos and documents attached to a case, stored with the case's protection.
package struct Attachments: StoreFeature {
    package let store: Store

    /// The largest attachment accepted (the HTTP route's body limit follows it).
    package static let maxAttachmentBytes = 10 << 20

    /// Stores a file with a case (its holder only). The type is found from the content;
    /// a declared type that contradicts it is refused. What is stored is what
    /// `UploadInspection` makes of the file (an image encoded again, a PDF written again),
    /// after the permission check; a refusal is `.unsupportedMedia` carrying the `UploadProblem`.
    /// - Parameter declaredType: the uploader's Content-Type, checked against the content.
    package func add(
        toCase id: String, content: [UInt8], declaredType: String?, name: String?, as actor: Actor
    ) throws(StoreError) -> AttachmentInfo {
        // Who may attach is decided before anything of the file is looked at.
        guard let found = try locate(id) else { throw StoreError(.notFound, "no case \(id.prefix(64))") }
        try store.authorize(.edit, "attachment.add", on: found, as: actor)
        guard !content.isEmpty else { throw StoreError(.invalidInput, "the attachment is empty") }
        guard content.count <= Self.maxAttachmentBytes else {
            throw StoreError(.invalidInput, "an attachment may be at most \(Self.maxAttachmentBytes) bytes, not \(content.count)")
        }
        // Only now is the file looked at: decoded and encoded again, or inspected and rewritten.
        let upload: InspectedUpload
        do throws(UploadProblem) {
            upload = try UploadInspection.inspect(content, declaredType: declaredType)
        } catch {
            throw StoreError(error)
        }
        let kind = upload.kind
        let fileName = Self.safeFileName(name, kind: kind)
        let info = AttachmentInfo(
            id: UUID().uuidString.lowercased(), mediaType: kind.rawValue, name: fileName, size: upload.content.count,
            sha256: Secret.sha256(upload.content), at: Timestamp.now(), author: actor.description)
        let record = AuditRecord(
            actor: actor, action: "attachment.add", target: id, detail: "attachment=\(info.id) bytes=\(info.size)",
            cases: [(id, found.holder)])
        try store.commitCaseWrite(in: found.prefectureCode, record) { connection throws(StoreError) in
            guard try connection.first("SELECT 1 FROM cases WHERE id = ?", [id], { _ in true }) != nil else {
                throw StoreError(.notFound, "no case \(id)")
            }
            try connection.run(
                """
                INSERT INTO attachments (id, case_id, media_type, name, size, sha256, content, at, author, authority)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [
                    info.id, id, info.mediaType, info.name, info.size, info.sha256, SQLValue.blob(upload.content), info.at, info.author,
                    actor.authority ?? "local",
                ])
        }
        return info
    }

    /// Inspects a file meant for a case that is not registered yet, as `add` will (the new-case
    /// form checks its photo before it registers the case, so that a refused photo leaves no
    /// case behind). The actor must be one who may register cases for `holder`, checked first;
    /// nothing is stored.
    package func check(_ content: [UInt8], forNewCaseOf holder: String, as actor: Actor) throws(StoreError) {
        try store.require(.registerCases(holder: holder), as: actor, action: "attachment.check", target: holder)
        guard !content.isEmpty, content.count <= Self.maxAttachmentBytes else {
            throw StoreError(.invalidInput, "an attachment must have 1 to \(Self.maxAttachmentBytes) bytes, not \(content.count)")
        }
        do throws(UploadProblem) {
            _ = try UploadInspection.inspect(content, declaredType: nil)
        } catch {
            throw StoreError(error)
        }
    }

    /// An attachment's bytes, if `actor` may read the attachments of its case (audited).
    package func read(id: String, as actor: Actor) throws(StoreError) -> Attachment {
        guard !id.isEmpty, id.count <= 64 else { throw StoreError(.notFound, "no attachment \(id.prefix(64))") }
        for code in store.existingPartitions() {
            let row = try partition(code).read { connection throws(StoreError) in try Self.attachment(id, connection) }
            guard let row else { continue }
            guard let found = try locate(row.caseID), try voided([id]).isEmpty else { break }
            let facts = try store.authorize(.readAttachments, "attachment.read", on: found, as: actor)
            let notices = try store.viewNotices(
                of: found.id, holder: found.holder, relations: store.policy.relations(of: actor, to: facts), kind: "attachment.viewed", by: actor)
            try store.audit([
                AuditRecord(
                    actor: actor, action: "attachment.read", target: found.id, detail: "attachment=\(id) holder=\(found.holder)",
                    cases: [(found.id, found.holder)], notifications: notices)
            ])
            return row
        }
        throw StoreError(.notFound, "no attachment \(id.prefix(64))")
    }

    /// A file name safe to store and to send back in Content-Disposition: no path, no
    /// control characters, at most 100 characters, with the extension of its real kind.
    static func safeFileName(_ name: String?, kind: AttachmentKind) -> String {
        let base = (name ?? "").split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let cleaned = String(base.unicodeScalars.filter { $0.value >= 0x20 && $0 != "\"" && $0.value != 0x7F }.map(Character.init))
            .trimmingSpaces()
        let stem = cleaned.split(separator: ".").dropLast().joined(separator: ".")
        let chosen = (stem.isEmpty ? (cleaned.contains(".") ? "" : cleaned) : stem).prefix(95)
        let suffix =
            switch kind {
            case .pdf: "pdf"
            case .png: "png"
            case .jpeg: "jpg"
            case .webp: "webp"
            }
        return (chosen.isEmpty ? "attachment" : String(chosen)) + "." + suffix
    }
}

extension Attachments {
    static let attachmentInfoColumns = "id, media_type, name, size, sha256, at, author"

    /// An attachment's listing from a row whose first columns are `attachmentInfoColumns`.
    static func attachmentInfo(row: Statement) -> AttachmentInfo {
        AttachmentInfo(
            id: row.text(0), mediaType: row.text(1), name: row.text(2), size: row.int(3), sha256: row.text(4), at: row.text(5),
            author: row.text(6))
    }

    static func attachmentInfos(of caseID: String, _ connection: Connection) throws(StoreError) -> [AttachmentInfo] {
        try connection.query(
            "SELECT \(attachmentInfoColumns) FROM attachments WHERE case_id = ? ORDER BY at, id", [caseID], attachmentInfo(row:))
    }

    /// One attachment with its bytes, if this partition holds it.
    static func attachment(_ id: String, _ connection: Connection) throws(StoreError) -> Attachment? {
        try connection.first("SELECT \(attachmentInfoColumns), case_id, content FROM attachments WHERE id = ?", [id]) { row in
            Attachment(info: attachmentInfo(row: row), caseID: row.text(7), content: row.blob(8))
        }
    }
}
