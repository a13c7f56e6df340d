/// The form on which the signed-in user changes its own password (`password.mustache`), with a
/// Japanese message next to each bad field.
struct PasswordPage: PageView {
    var title = ""
    var user: Navigation?
    var currentError: String?
    var newError: String?
    var confirmError: String?
}
