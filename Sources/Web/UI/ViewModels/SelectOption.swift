/// An `<option>` of a select (or a checkbox of a group): the value sent, the Japanese label
/// shown, and whether it is chosen.
struct SelectOption {
    let value: String
    let label: String
    let selected: Bool
}
