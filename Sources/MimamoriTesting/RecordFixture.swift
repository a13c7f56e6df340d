/// Builds import-format JSON lines for tests, starting from a valid record.
package struct RecordFixture: Sendable {
    package var fields: [String: String] = [:]

    package init() {}

    /// A valid record for authority 131016 (千代田区) with the given external id; `overrides`
    /// replace top-level or `child.` fields with raw JSON (e.g. `"child.birthdate": "\"2019-02-30\""`).
    package static func line(_ externalID: String, authority: String = "131016", _ overrides: [String: String] = [:]) -> String {
        var top: [String: String] = [
            "external_id": json(externalID),
            "authority": json(authority),
            "status": json("open"),
            "guardians":
                #"[{"relation": "mother", "family_name": "山田", "given_name": "花子", "family_name_kana": "ヤマダ", "given_name_kana": "ハナコ", "birthdate": "1990-05-05", "sex": "female"}]"#,
            "address": #"{"prefecture": "東京都", "municipality": "千代田区", "line": "千代田1-1"}"#,
            "consultations": #"[{"date": "2024-06-01", "source": "school", "abuse_types": ["neglect"], "status": "open"}]"#,
        ]
        var child: [String: String] = [
            "family_name": json("山田"), "given_name": json("太郎"), "family_name_kana": json("ヤマダ"),
            "given_name_kana": json("タロウ"), "birthdate": json("2018-04-01"), "sex": json("male"),
        ]
        for (key, value) in overrides {
            if key.hasPrefix("child.") { child[String(key.dropFirst(6))] = value } else { top[key] = value }
        }
        if top["child"] == nil { top["child"] = object(child) }
        return object(top)
    }

    /// A JSON string literal.
    package static func json(_ text: String) -> String {
        var escaped = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            default:
                if scalar.value < 0x20 {
                    escaped += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count) + String(scalar.value, radix: 16)
                } else {
                    escaped.unicodeScalars.append(scalar)
                }
            }
        }
        return escaped + "\""
    }

    private static func object(_ fields: [String: String]) -> String {
        "{"
            + fields.sorted { $0.key < $1.key }.filter { $0.value != "null-omit" }.map { "\(json($0.key)): \($0.value)" }
            .joined(separator: ", ") + "}"
    }
}
