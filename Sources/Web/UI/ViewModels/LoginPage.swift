/// The sign-in page (`login.mustache`): no header, since no one is signed in.
struct LoginPage: PageView {
    var title = "ログイン"
    var user: Navigation?
    /// Why the last session ended (idle), in Japanese.
    var notice: String?
    /// Why the sign-in failed, in Japanese.
    var error: String?
    /// The login ID typed, kept when the sign-in fails.
    var login: String?
    /// The password was right and the user has a second factor: the code field is asked for.
    var secondFactorAsked = false
}
