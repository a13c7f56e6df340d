import Foundation
import SQLiteDB

/// Keeps the catalogue's copy of the authority directory in step with `dictionaries/`.
struct DirectoryLoader {
    let catalogue: Database

    /// Reloads prefectures and municipalities when `authorities.csv` changed, and the CGCs
    /// from the default list unless an authoritative list was loaded (`authorities load-cgc`).
    func loadIfChanged(from dictionaries: URL) throws(StoreError) {
        let authoritiesURL = dictionaries.appendingPathComponent("authorities.csv")
        let centresURL = dictionaries.appendingPathComponent("child-guidance-centres.csv")
        let fingerprint = try Self.fingerprint(authoritiesURL) + "/" + Self.fingerprint(centresURL)
        let current = try catalogue.read { connection throws(StoreError) in
            try connection.first("SELECT value FROM meta WHERE key = 'directory_fingerprint'") { $0.text(0) }
        }
        guard current != fingerprint else { return }
        let loaded = try AuthorityDirectory.load(authoritiesCSV: authoritiesURL, centresCSV: centresURL)
        let authoritative = try catalogue.read { connection throws(StoreError) in
            try connection.first("SELECT value FROM meta WHERE key = 'cgc_source'") { $0.text(0) }
        }
        let keepCentres = authoritative != nil
        try catalogue.write { connection throws(StoreError) in
            try replace(in: connection, with: loaded.authorities.values.filter { !keepCentres || $0.kind != .childGuidanceCentre })
            try connection.run(
                "INSERT INTO meta (key, value) VALUES ('directory_fingerprint', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [fingerprint])
        }
    }

    /// Replaces every CGC with an authoritative list (same columns as the default).
    func loadCentres(from url: URL, casesHeldBy: (String) throws(StoreError) -> Int) throws(StoreError) -> Int {
        let existing = try read()
        let municipalities = existing.authorities.values.filter { $0.kind == .municipality }
        let centres = try AuthorityDirectory.centres(from: url, municipalities: municipalities)
        let kept = Set(centres.map(\.code))
        let dropped = existing.authorities.values.filter { $0.kind == .childGuidanceCentre && !kept.contains($0.code) }
        for old in dropped {
            let held = try casesHeldBy(old.code)
            if held > 0 {
                throw StoreError(
                    .conflict,
                    "the list drops \(old.code) (\(old.name)), which holds \(held) cases; transfer them first or keep the centre in the list")
            }
        }
        try catalogue.write { connection throws(StoreError) in
            try connection.run("DELETE FROM jurisdictions")
            // Centres the list keeps are updated in place: their users, settings and workflows
            // refer to them. A dropped centre that still has any of those cannot go.
            for old in dropped.sorted(by: { $0.code < $1.code }) {
                do throws(StoreError) { try connection.run("DELETE FROM authorities WHERE code = ?", [old.code]) } catch
                    where error.kind == .conflict
                {
                    throw StoreError(
                        .conflict,
                        "the list drops \(old.code) (\(old.name)), which still has users, settings or workflows; keep the centre in the list")
                }
            }
            try replace(in: connection, with: centres)
            try connection.run(
                "INSERT INTO meta (key, value) VALUES ('cgc_source', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [url.path])
        }
        return centres.count
    }

    private func replace(in connection: Connection, with authorities: [Authority]) throws(StoreError) {
        let sorted = authorities.sorted { $0.code < $1.code }
        for authority in sorted {
            try connection.run(
                """
                INSERT INTO authorities (code, kind, name, prefecture_code, contact) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (code) DO UPDATE SET kind = excluded.kind, name = excluded.name,
                    prefecture_code = excluded.prefecture_code, contact = excluded.contact
                """,
                [authority.code, authority.kind.rawValue, authority.name, authority.prefectureCode, authority.contact])
        }
        // A list's contacts fill in what no administrator has set.
        for centre in sorted where !centre.listedContacts.isEmpty {
            let listed = centre.listedContacts
            try connection.run(
                """
                INSERT INTO authority_contacts (authority, department, daytime, night_holiday, source, updated_at)
                VALUES (?, ?, ?, ?, 'list', ?)
                ON CONFLICT (authority) DO UPDATE SET department = excluded.department, daytime = excluded.daytime,
                    night_holiday = excluded.night_holiday, updated_at = excluded.updated_at
                WHERE authority_contacts.source = 'list'
                """, [centre.code, listed.department, listed.daytime, listed.nightHoliday, Timestamp.now()])
        }
        // Jurisdictions reference both ends, so they go in once every authority is there.
        for centre in sorted where centre.kind == .childGuidanceCentre {
            try connection.run("DELETE FROM jurisdictions WHERE cgc_code = ?", [centre.code])
            for municipality in centre.jurisdiction {
                try connection.run(
                    "INSERT INTO jurisdictions (municipality_code, cgc_code) VALUES (?, ?) ON CONFLICT (municipality_code) DO UPDATE SET cgc_code = excluded.cgc_code",
                    [municipality, centre.code])
            }
        }
    }

    /// The directory as the catalogue holds it.
    func read() throws(StoreError) -> AuthorityDirectory {
        try catalogue.read { connection throws(StoreError) in
            let jurisdictions = try connection.query("SELECT cgc_code, municipality_code FROM jurisdictions ORDER BY municipality_code") {
                ($0.text(0), $0.text(1))
            }
            let byCentre = Dictionary(grouping: jurisdictions, by: \.0).mapValues { $0.map(\.1) }
            let list = try connection.query("SELECT code, kind, name, prefecture_code, contact FROM authorities") { row throws(StoreError) in
                guard let kind = Authority.Kind(rawValue: row.text(1)) else {
                    throw StoreError(.storage, "catalogue: authority \(row.text(0)) has unknown kind \(row.text(1))")
                }
                return Authority(
                    code: row.text(0), kind: kind, name: row.text(2), prefectureCode: row.text(3),
                    contact: row.optionalText(4), jurisdiction: byCentre[row.text(0)] ?? [])
            }
            return AuthorityDirectory(list)
        }
    }

    private static func fingerprint(_ url: URL) throws(StoreError) -> String {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw StoreError(.configuration, "cannot read \(url.path)")
        }
        // FNV-1a over the bytes: a change detector, not a security measure.
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in data {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        return "\(data.count)-\(String(hash, radix: 16))"
    }
}
