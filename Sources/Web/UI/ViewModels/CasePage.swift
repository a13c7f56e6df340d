/// A case record as the viewer may see it (`case.mustache`), with the actions the viewer has.
struct CasePage: PageView {
    /// The child, a guardian or a household member.
    struct Person {
        let relation: String
        let name: String
        let birthdate: String
        let sex: String
    }

    struct Institution {
        let kind: String
        let name: String
        let schooling: String
    }

    struct Consultation {
        let date: String
        let source: String
        /// The kinds of abuse, joined with ・ (empty when none was recorded).
        let types: String
        let status: String
        let assessment: String?
        let response: String?
    }

    struct Note {
        let at: String
        let author: String
        let authority: String
        let text: String
    }

    struct Attachment {
        let id: String
        let name: String
        /// Images are shown as thumbnails; other files (PDF) as links.
        let image: Bool
        let size: String
        let at: String
    }

    /// A read of the case by another authority, shown to the holder.
    struct View {
        let at: String
        let action: String
        let actor: String
        let authority: String
    }

    /// The holder's progress management (進行管理), as shown.
    struct Progress {
        let category: String
        let assignee: String
        let risk: String
        let nextReview: String
        let overdue: Bool
        let plan: String?
        let updated: String
    }

    /// One support plan of the history.
    struct Plan {
        let at: String
        let author: String
        let plan: String
    }

    /// The holder's form to change the progress.
    struct ProgressForm {
        let categories: [SelectOption]
        let assignees: [SelectOption]
        let risks: [SelectOption]
        let nextReview: String
        let plan: String
    }

    var title = ""
    var user: Navigation?
    let caseID: String
    let externalID: String
    let name: String
    let child: Person
    let status: String
    let holderName: String
    let holderContacts: ContactsView
    let created: String
    let updated: String
    let address: String?
    let guardians: [Person]
    let household: [Person]
    let institutions: [Institution]
    let familySituation: String?
    /// Newest first.
    let consultations: [Consultation]
    /// The most recent notes, oldest first.
    let notes: [Note]
    let notesShown: Int
    let notesTotal: Int
    /// More notes than shown: a link to all of them.
    let notesMore: Bool
    let canEdit: Bool
    let canNote: Bool
    let canTransfer: Bool
    /// A missing-child alert is opened from a child guidance centre's case.
    let canAlert: Bool
    let canFlag: Bool
    let serious: Bool
    /// Ministry staff asked to read the case as a serious case; the holder has not confirmed.
    let flagRequested: Bool
    /// Whether the viewer may see the attachments (the section is left out otherwise).
    let attachmentsShown: Bool
    let attachments: [Attachment]
    /// Whether the viewer holds the case (and so sees who else read it).
    let viewsShown: Bool
    let views: [View]
    var progress: Progress?
    /// Newest first.
    var plans: [Plan] = []
    var hasPlans = false
    var progressForm: ProgressForm?
    /// For the holder's staff: whether it is told of every read by another authority (閲覧通知).
    var watch: Watch?
    /// The fields the holder hides from this viewer, named.
    var hiddenNote: String?
    /// An expectant mother's case (特定妊婦): the expected delivery, and whether the birth is recorded.
    var expectant: String?
    /// Links with other holders' records of the same child; the section for the holder's staff.
    var links: Links?
    /// A supervisor or administrator of the holder may void the case as entered by mistake.
    var canVoid = false

    struct Links {
        struct Item {
            let id: String
            let otherCaseID: String
            let otherHolder: String
            let state: String
            let proposedAt: String
            /// The viewer's authority is asked to agree.
            let canAnswer: Bool
            /// The proposer withdraws, either side unlinks.
            let canEnd: Bool
        }

        let items: [Item]
    }

    struct Watch {
        let watching: Bool
        let exemptPartners: Bool
    }
}
