/// The missing-child alerts (`alerts.mustache`): the open ones nationwide, and the authority's
/// own closed ones.
struct AlertsPage: PageView {
    var title = ""
    var user: Navigation?
    let open: [AlertView]
    let closed: [AlertView]
}
