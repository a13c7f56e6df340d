/// A page's view model. swift-mustache reads a struct's stored properties through `Mirror`, so
/// each property's name is a key of the page's template (and of `head.mustache`: `title`, `user`).
///
/// The models render exactly as dictionaries did when they keep to three rules: a key a page
/// may lack is an optional (Mustache looks a nil property up in the enclosing sections, as it
/// did a missing key), never an empty string (which a section treats as present); a flag is a
/// `Bool` (false renders a section as nothing); a list is an array (empty renders as nothing,
/// and an inverted section as its text). A row's property therefore shadows an enclosing key
/// of the same name only when it is not nil.
protocol PageView {
    /// The page's title: the `<title>`, and the heading of some pages.
    var title: String { get set }
    /// The signed-in user's header; nil on the sign-in page (no menu, no CSRF token).
    var user: Navigation? { get set }
}
