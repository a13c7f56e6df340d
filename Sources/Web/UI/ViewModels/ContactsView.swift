import Query
import Store

/// Whom to call about a holder's case, as the `contacts` partial shows it under every search
/// hit, on the information request form and on the case page (「夜間・休日連絡先」).
struct ContactsView {
    /// Nil rather than empty: Mustache treats an empty string as present.
    let department: String?
    let daytime: String?
    let nightHoliday: String?

    /// The holder's contacts; the CGC list's free-text contact stands in for an unknown daytime number.
    init(_ authority: SearchHit.Authority) {
        func present(_ text: String?) -> String? { text.flatMap { $0.isEmpty ? nil : $0 } }
        department = present(authority.contacts.department)
        daytime = present(authority.contacts.daytime) ?? present(authority.contact)
        nightHoliday = present(authority.contacts.nightHoliday)
    }
}
