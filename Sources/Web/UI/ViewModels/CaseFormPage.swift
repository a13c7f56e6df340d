/// The case create and edit form (`case-form.mustache`): fieldsets of fields, each with what
/// was typed and its Japanese error, and the summary of the errors.
struct CaseFormPage: PageView {
    /// A group of fields under a legend (児童, 保護者1, 相談受付…).
    struct Fieldset {
        let legend: String
        let fields: [Field]
        /// Whether the abuse type checkboxes follow the fields (the consultation's fieldset).
        var hasAbuseTypes = false
        var abuseTypes: [Check] = []
    }

    /// A checkbox of a group (the abuse types).
    struct Check {
        let value: String
        let label: String
        let checked: Bool
    }

    /// One field: exactly one of `text`, `textarea` and `select` is true.
    struct Field {
        /// The HTML id (`guardians0_family_name`).
        let id: String
        /// The form field's name, the record's path (`guardians[0].family_name`).
        let name: String
        let label: String
        let value: String
        var text = false
        var textarea = false
        var select = false
        var options: [SelectOption] = []
        var hint: String?
        var required = false
        /// The field's Japanese messages, joined.
        var errors: String?
        /// The ids of the hint and the error shown (a reference to no element is invalid ARIA).
        var describedBy: String?
    }

    /// The file input of a new case.
    struct Photo {
        let label: String
        var errors: String?
    }

    var title = ""
    var user: Navigation?
    let fieldsets: [Fieldset]
    /// Only on the new-case form: a photo or document is added to an existing case from its page.
    let photo: Photo?
    /// How many messages there are; nil when there are none (no summary).
    let errorCount: Int?
    /// Messages that belong to no field (the record changed meanwhile; a person the form does not show).
    let generalErrors: [String]
    /// Where the form posts.
    var action = ""
    /// The version the edit was filled from (optimistic concurrency); nil for a new case.
    var version: Int?
    /// The case being edited (its page is where "stop editing" leads); nil for a new case.
    var caseID: String?
}
