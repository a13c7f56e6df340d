/// Where a record written from the case form shows on the form, so that an issue the Store
/// finds at a record path lands next to the field it concerns: `guardians[0].birthdate` is the
/// second slot's when the first was left empty, `consultations[3].date` is the new
/// consultation's `consultation.date` when three were stored.
struct FormPlacement {
    /// By group (`guardians`): the form slot of each person in the record, by position; people
    /// after them were stored and are not on the form.
    var slots: [String: [Int]] = [:]
    /// Whether the record's first institution is the form's.
    var institutionShown = false
    /// The position of the consultation the form added, if it added one.
    var consultationIndex: Int?

    /// The form field an issue's path belongs to; nil when the form does not show it (a
    /// person beyond its slots, another institution, an earlier consultation).
    func field(of path: String) -> String? {
        if path == "child" { return "child.family_name" }  // "needs a name": said at the first name field
        for group in CaseForm.PersonGroup.all {
            guard let (index, rest) = Self.element(of: path, in: group.key) else { continue }
            guard let placed = slots[group.key], index < placed.count else { return nil }
            return group.prefix(placed[index]) + (rest.isEmpty ? "family_name" : rest.dropFirst())
        }
        if let (index, rest) = Self.element(of: path, in: "institutions") {
            guard index == 0, institutionShown else { return nil }
            return "institutions[0]" + (rest.isEmpty ? ".name" : rest)
        }
        if let (index, rest) = Self.element(of: path, in: "consultations") {
            guard index == consultationIndex else { return nil }
            return rest.isEmpty ? "consultation.date" : "consultation" + rest
        }
        if path == "address" { return "address.prefecture" }
        if path.hasPrefix("address.municipality") { return "address.municipality" }  // the name, or the code resolved from it
        return path
    }

    /// The position and the rest of a path into a list: `guardians[1].birthdate` in
    /// `guardians` is (1, ".birthdate").
    private static func element(of path: String, in list: String) -> (index: Int, rest: Substring)? {
        guard path.hasPrefix(list + "[") else { return nil }
        let after = path.dropFirst(list.count + 1)
        guard let close = after.firstIndex(of: "]"), let index = Int(after[..<close]) else { return nil }
        return (index, after[after.index(after: close)...])
    }
}
