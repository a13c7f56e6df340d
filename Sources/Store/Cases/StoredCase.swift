/// A case as stored: the record plus the Store's bookkeeping.
package struct StoredCase: Sendable, Hashable {
    package let id: String
    package let holder: String
    package let version: Int
    package let createdAt: String
    package let updatedAt: String
    /// The prefecture whose partition holds the case.
    package let prefectureCode: String
    package let record: CaseRecord
    /// Filled when the case is read: its most recent notes (at most `Cases.recentNotes`,
    /// oldest first) and how many it has in all; older ones are read with `Cases.notes(ofCase:…)`.
    package var notes: [CaseNote] = []
    package var notesTotal = 0
    package var attachments: [AttachmentInfo] = []
    /// Filled when the case is read: the holder's progress management and its support plans, newest first.
    package var progress: CaseProgress?
    package var plans: [PlanEntry] = []
    /// The fields the holder hides from this reader (left out of `record`).
    package var hiddenFields: [HideableField] = []
}

/// A note on a case, by its holder or a partner authority (notes are never edited).
package struct CaseNote: Sendable, Hashable, Codable {
    package let id: String
    package let at: String
    /// The author's login and authority.
    package let author: String
    package let authority: String
    package let text: String
}

/// An attachment as listed with its case (its bytes are read separately).
package struct AttachmentInfo: Sendable, Hashable, Codable {
    package let id: String
    /// Found from the content, never taken from the uploader's header.
    package let mediaType: String
    package let name: String
    package let size: Int
    package let sha256: String
    package let at: String
    package let author: String

    enum CodingKeys: String, CodingKey {
        case id, mediaType = "media_type", name, size, sha256, at, author
    }
}
