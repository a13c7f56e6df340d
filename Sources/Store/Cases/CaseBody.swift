import CZlib
import SQLiteDB

/// How a case's body is kept in `cases.body` (partition migration 5, docs/storage.md "Case
/// bodies on disk"): the record's JSON (`Cases.encode`, keys sorted) packed with raw deflate
/// and a preset dictionary of the record format's keys, since a body is too small for deflate
/// to learn them itself. `unpack` gives back the very JSON that was packed, so what was
/// imported is what is read and exported.
///
/// Format: a version byte, then the JSON's length in UTF-8 bytes (LEB128), then the raw
/// deflate stream (RFC 1951; zlib `windowBits` −15) primed with that version's dictionary.
/// A value whose first byte is `{` is the JSON itself: rows written before migration 5 stay
/// as they were. A new dictionary is a new version byte; old versions stay readable.
enum CaseBody {
    /// Version 1: `dictionaryV1`.
    static let version1: UInt8 = 0x01

    /// Bodies shorter than this are kept as JSON (deflate would not pay).
    static let minimumPacked = 64

    /// The preset dictionary of version 1: the record format's keys and vocabulary as a body
    /// writes them (sorted keys, no spaces). Deflate finds what is nearest the end cheapest, so
    /// the most frequent strings (the persons' keys) come last. Never change it: add a version.
    static let dictionaryV1: [UInt8] = Array(
        (#"{"abuse_types":["physical","psychological","neglect","sexual"],"assessment":"","date":"","response":"","#
            + #""source":"police","source":"school","source":"welfare","source":"neighbour","source":"family","status":"open"}],"#
            + #""institutions":[{"kind":"nursery","kind":"kindergarten","kind":"elementary_school","kind":"junior_high_school","#
            + #""name":"","schooling":"attending"}],"notes":"","family_situation":"","consultations":[{"#
            + #""relation":"father","relation":"mother","relation":"grandmother","relation":"grandfather","relation":"sibling","#
            + #""address":{"line":"","municipality":"","municipality_code":"","prefecture":""},"authority":"","external_id":"","#
            + #""status":"closed"}"guardians":[{"household":[{"birthdate":"","family_name":"","family_name_kana":"","given_name":"","#
            + #""given_name_kana":"","nationality":"JP","romaji":"","sex":"female"},{"birthdate":"","family_name":"","#
            + #""family_name_kana":"","given_name":"","given_name_kana":"","relation":"mother","sex":"male"}],"child":{"birthdate":"","#
            + #""family_name":"","family_name_kana":"","given_name":"","given_name_kana":"","sex":"unknown"}"#).utf8)

    /// The zlib level bodies are deflated at. Inflating does not depend on it (RFC 1951), so
    /// a change applies to new writes and every body already stored reads as before.
    static let deflateLevel: Int32 = 6

    /// The stored form of a body.
    static func pack(_ json: String) -> [UInt8] {
        pack(json, with: BodyDeflater())
    }

    /// The stored form of a body, deflated by `deflater` (kept for many bodies by an import).
    static func pack(_ json: String, with deflater: BodyDeflater) -> [UInt8] {
        let source = Array(json.utf8)
        guard source.count >= minimumPacked else { return source }
        var header: [UInt8] = [version1]
        var length = source.count
        repeat {
            header.append(UInt8(length & 0x7F) | (length >= 0x80 ? 0x80 : 0))
            length >>= 7
        } while length > 0
        let capacity = source.count + source.count / 1000 + 64
        var packed = [UInt8](repeating: 0, count: header.count + capacity)
        let produced = source.withUnsafeBufferPointer { source in
            dictionaryV1.withUnsafeBufferPointer { dictionary in
                packed.withUnsafeMutableBufferPointer { output -> Int? in
                    for (offset, byte) in header.enumerated() { output[offset] = byte }
                    return deflater.deflate(source, dictionary: dictionary, into: UnsafeMutableBufferPointer(rebasing: output[header.count...]))
                }
            }
        }
        // Incompressible (or zlib failed): the JSON as it is, which is always readable.
        guard let produced, header.count + produced < source.count else { return source }
        // A copy of exactly its size: an import holds many packed bodies until they are
        // staged, and `removeLast` would keep the whole capacity (about 2.7x the bytes).
        return Array(packed[..<(header.count + produced)])
    }

    /// The JSON of a stored body, or nil if the bytes are neither JSON nor a packed body this
    /// version can read.
    static func unpack(_ bytes: UnsafeRawBufferPointer) -> String? {
        guard let first = bytes.first else { return nil }
        if first == UInt8(ascii: "{") { return String(decoding: bytes, as: UTF8.self) }
        guard first == version1 else { return nil }
        var offset = 1
        var length = 0
        var shift = 0
        while true {
            guard offset < bytes.count, shift < 35 else { return nil }
            let byte = bytes[offset]
            offset += 1
            length |= Int(byte & 0x7F) << shift
            shift += 7
            if byte & 0x80 == 0 { break }
        }
        guard length > 0, length <= 1 << 26 else { return nil }
        let compressed = UnsafeRawBufferPointer(rebasing: bytes[offset...])
        let text = String(unsafeUninitializedCapacity: length) { output in
            let produced = dictionaryV1.withUnsafeBufferPointer { dictionary in
                mimamori_inflate_raw(
                    compressed.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt(compressed.count), dictionary.baseAddress,
                    UInt32(dictionary.count), output.baseAddress, UInt(length))
            }
            return produced == length ? length : 0
        }
        return text.isEmpty ? nil : text
    }

    /// The JSON of a stored body (see `unpack(_:)`).
    static func unpack(_ bytes: [UInt8]) -> String? {
        bytes.withUnsafeBytes { unpack($0) }
    }

    // MARK: Columns derived from the JSON

    /// The columns kept beside `body` for the staff UI's case list, in this order.
    static let listColumns = "child_family_kana, child_given_kana, child_birthdate, list_text, address_municipality, abuse_types"
    static let listColumnCount = listColumns.split(separator: ",").count

    /// SQL expressions of `listColumns`' values from a body's JSON text (`json`: a column or
    /// a bound parameter) and the case's external id: the child's reading and birthdate to
    /// order by, the lower-cased text a list filter looks in, and for the shared caseload the
    /// municipality of the child's address and the kinds of abuse recorded (comma-separated).
    static func listValues(json: String, externalID: String) -> String {
        func child(_ key: String) -> String { "json_extract(\(json), '$.child.\(key)')" }
        return """
            \(child("family_name_kana")), \(child("given_name_kana")), \(child("birthdate")),
            lower(\(externalID) || '|' || coalesce(\(child("family_name")), '') || coalesce(\(child("given_name")), '') || '|'
                || coalesce(\(child("family_name_kana")), '') || coalesce(\(child("given_name_kana")), '')
                || '|' || replace(coalesce(\(child("romaji")), ''), ' ', '')),
            json_extract(\(json), '$.address.municipality_code'),
            (SELECT group_concat(DISTINCT type.value) FROM json_each(\(json), '$.consultations') AS consultation,
                json_each(consultation.value, '$.abuse_types') AS type)
            """
    }

    /// The values of `listColumns` for a record, computed from the record itself as SQLite
    /// computes them from its JSON with `listValues` (an import's workers compute them, so that
    /// the single thread that stages rows does not parse each body's JSON again): a string
    /// field absent from the JSON is NULL, `lower` changes ASCII letters only (SQLite without
    /// ICU), `replace` removes ASCII spaces, and the abuse types are joined with commas in their
    /// first-seen order, NULL when there are none (`group_concat(DISTINCT …)`).
    /// `CaseBodyTests` checks both against each other.
    static func listValues(of record: CaseRecord) -> [SQLValue] {
        let child = record.child
        func text(_ value: String?) -> SQLValue { value.map { .text($0) } ?? .null }
        var list = record.externalID + "|" + (child.familyName ?? "") + (child.givenName ?? "") + "|"
        list += (child.familyNameKana ?? "") + (child.givenNameKana ?? "") + "|"
        list += String((child.romaji ?? "").unicodeScalars.filter { $0 != " " })
        let lowered = String(
            decoding: list.utf8.map { (0x41...0x5A).contains($0) ? $0 + 0x20 : $0 }, as: UTF8.self)
        var seen = Set<String>()
        var types: [String] = []
        for consultation in record.consultations {
            for type in consultation.abuseTypes where seen.insert(type.rawValue).inserted { types.append(type.rawValue) }
        }
        return [
            text(child.familyNameKana), text(child.givenNameKana), text(child.birthdate?.iso), .text(lowered),
            text(record.address?.municipalityCode), types.isEmpty ? .null : .text(types.joined(separator: ",")),
        ]
    }

    /// `listColumns = listValues(…)` for an `UPDATE … SET`.
    static func listAssignments(json: String, externalID: String) -> String {
        "(\(listColumns)) = (\(listValues(json: json, externalID: externalID)))"
    }

    /// Inserts a case: the values are id, holder, external id, status, version, the packed
    /// body, created and updated times, then the body's JSON text.
    static let insertSQL = """
        INSERT INTO cases (id, holder, external_id, status, version, body, created_at, updated_at, \(listColumns))
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, \(listValues(json: "?9", externalID: "?3")))
        """
}
