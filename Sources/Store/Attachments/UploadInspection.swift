import CUploads
import Foundation

/// An upload that passed inspection: its kind and the bytes to store, which are not the bytes
/// received: an image is its decoded pixels encoded again, a PDF is qpdf's rewrite of it.
package struct InspectedUpload: Sendable {
    package let kind: AttachmentKind
    package let content: [UInt8]
}

/// Kinds of active content a PDF is refused for (`UploadProblem.activePDF`).
package enum PDFActiveContent: Sendable, Hashable {
    /// /JS, /JavaScript (a document-level script or a JavaScript action).
    case javaScript
    /// /AA: actions that run on events (opening a page, focusing a field, closing the file).
    case automaticAction
    /// /OpenAction with an action other than a plain /GoTo (which page to show first is allowed).
    case openAction
    /// A /Launch action: starts a program or opens a file.
    case launch
    /// An action other than /GoTo, /URI, /Named or /Thread (/SubmitForm, /ImportData, /GoToR, ...).
    case otherAction
    /// A /URI action to something other than http, https or mailto (file:, a UNC path, ...).
    case localLink
    /// Embedded files, file attachment annotations.
    case embeddedFile
    /// An XFA form, which carries its own scripts.
    case xfa
    /// Multimedia or 3D annotations (/RichMedia, /Screen, /Movie, /Sound, /3D).
    case multimedia
}

/// Why an upload is refused: precise enough for the API's English and the pages' Japanese.
package enum UploadProblem: Error, Sendable, Hashable, CustomStringConvertible {
    /// Not a PDF, PNG, JPEG or WebP by its first bytes.
    case unrecognised
    /// The declared Content-Type contradicts the content.
    case declaredType(String, actual: AttachmentKind)
    /// Not a complete, valid image of its format (truncated, corrupt, or only its first bytes are).
    case unreadableImage(AttachmentKind)
    /// More pixels than `UploadInspection.maxImagePixels`, or a side over `maxImageSide`.
    case imageTooLarge(AttachmentKind, width: Int, height: Int)
    /// An animated image.
    case animatedImage(AttachmentKind)
    /// A PDF that qpdf cannot read without repairing it (what qpdf found, printable ASCII).
    case unreadablePDF(String)
    /// An encrypted PDF.
    case encryptedPDF
    /// A PDF with active content (what was found, e.g. "/S /Launch").
    case activePDF(PDFActiveContent, String)
    /// A PDF with more structure than is inspected.
    case complexPDF(String)
    /// Reading the file took more memory or time than one upload may (or crashed its reader).
    case beyondLimits(AttachmentKind)
    /// The file could not be inspected at all (no process could be started): not the file's fault.
    case notInspected

    package var description: String {
        switch self {
        case .unrecognised:
            "the content is not a PDF, PNG, JPEG or WebP file (by its first bytes); other kinds are not accepted"
        case .declaredType(let declared, let actual):
            "Content-Type says \(declared.prefix(100)) but the content is \(actual.rawValue)"
        case .unreadableImage(let kind):
            "the content is not a complete, valid \(kind.name) image (it could not be decoded)"
        case .imageTooLarge(let kind, let width, let height):
            "the \(kind.name) image has \(width)×\(height) pixels; at most \(UploadInspection.maxImagePixels) pixels and "
                + "\(UploadInspection.maxImageSide) on a side are accepted"
        case .animatedImage(let kind):
            "the \(kind.name) image is animated; only still images are accepted"
        case .unreadablePDF(let found):
            "the PDF cannot be read without repairing it (\(found)); save or print it to PDF again"
        case .encryptedPDF:
            "the PDF is encrypted; encrypted PDFs are not accepted"
        case .activePDF(let kind, let found):
            "the PDF contains \(kind.name) (\(found)); PDFs with scripts, automatic or launch actions, embedded files "
                + "or multimedia are not accepted"
        case .complexPDF(let found):
            "the PDF has more structure than is inspected (\(found))"
        case .beyondLimits(let kind):
            "reading the \(kind.name) file took more than \(UploadInspection.memoryBytes >> 20) MiB of memory or "
                + "\(UploadInspection.cpuSeconds) seconds"
        case .notInspected:
            "the file could not be inspected now; try again"
        }
    }
}

extension PDFActiveContent {
    /// In the API's English.
    var name: String {
        switch self {
        case .javaScript: "JavaScript"
        case .automaticAction: "an automatic action"
        case .openAction: "an action run on opening"
        case .launch: "a Launch action"
        case .otherAction: "an action that is not allowed"
        case .localLink: "a link to something other than a web or mail address"
        case .embeddedFile: "an embedded file"
        case .xfa: "an XFA form"
        case .multimedia: "multimedia"
        }
    }
}

extension AttachmentKind {
    /// PNG, JPEG, WebP or PDF.
    package var name: String {
        switch self {
        case .pdf: "PDF"
        case .png: "PNG"
        case .jpeg: "JPEG"
        case .webp: "WebP"
        }
    }
}

extension StoreError {
    /// A refused upload: `.unsupportedMedia` with the English description, carrying the problem.
    init(_ problem: UploadProblem) {
        guard problem != .notInspected else {
            self.init(.storage, problem.description)
            return
        }
        self.init(.unsupportedMedia, problem.description)
        upload = problem
    }
}

/// The one inspection of an uploaded file (case attachments and alert photos, by the API and
/// the pages alike, all reach it through `Attachments.add` after the permission check).
///
/// The first bytes only say which library reads the file; the library then decides. An image
/// is decoded in full with its format's maintained library (libpng, libjpeg-turbo, libwebp)
/// and its pixels are encoded again: what is stored has no EXIF (GPS position, camera, time),
/// XMP, ICC or text chunks, and nothing of the upload but its pixels. A PDF is read with qpdf
/// without repair; every object is looked at, those in compressed object streams too, and
/// one with JavaScript, automatic, open or launch actions, embedded files, XFA or multimedia
/// is refused, as is an encrypted or damaged one; an accepted PDF is stored as qpdf writes it
/// again. Every file is read in a child process with its own memory and time limits
/// (`cuploads_inspect_isolated`), and what is decoded is bounded (pixels; decoded PDF structure).
package enum UploadInspection {
    /// The most pixels an image may have (8000×5000, or a 48-megapixel phone photo scaled down):
    /// its decoded pixels take at most 160 MB.
    package static let maxImagePixels = 40_000_000
    /// The longest side of an image.
    package static let maxImageSide = 16_384
    /// The quality of re-encoded lossy images (JPEG, lossy WebP).
    static let quality: Int32 = 90

    /// The most memory the child process reading one upload may map beyond the server's own.
    package static let memoryBytes: UInt64 = 768 << 20
    /// The most processor time, and wall-clock time, one upload may take to read.
    static let cpuSeconds: UInt32 = 20
    static let wallSeconds: UInt32 = 30

    /// The upload's kind and the bytes to store, or why it is refused.
    /// - Parameter declaredType: the uploader's Content-Type, checked against the content.
    package static func inspect(_ content: [UInt8], declaredType: String?) throws(UploadProblem) -> InspectedUpload {
        guard let kind = AttachmentKind(sniffing: content) else { throw .unrecognised }
        if let declared = declaredType?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased(),
            declared != "application/octet-stream", declared != kind.rawValue
        {
            throw .declaredType(declared, actual: kind)
        }
        var limits = cuploads_limits(
            max_pixels: UInt64(maxImagePixels), max_side: UInt32(maxImageSide), quality: quality, memory_bytes: memoryBytes,
            cpu_seconds: cpuSeconds, wall_seconds: wallSeconds)
        var report = cuploads_report()
        var output = cuploads_buffer(data: nil, size: 0)
        defer { cuploads_buffer_free(&output) }
        let reader =
            switch kind {
            case .png: CUPLOADS_KIND_PNG
            case .jpeg: CUPLOADS_KIND_JPEG
            case .webp: CUPLOADS_KIND_WEBP
            case .pdf: CUPLOADS_KIND_PDF
            }
        // Read in a child process (`cuploads_inspect_isolated`): the server never decodes an upload itself.
        let isolation = content.withUnsafeBufferPointer { bytes in
            cuploads_inspect_isolated(reader, bytes.baseAddress, bytes.count, &limits, &report, &output)
        }
        switch isolation {
        case CUPLOADS_ISOLATION_ANSWERED: break
        case CUPLOADS_ISOLATION_STOPPED: throw .beyondLimits(kind)
        default: throw .notInspected
        }
        if kind == .pdf {
            try pdfAnswer(report)
        } else {
            try imageAnswer(report, kind)
        }
        return InspectedUpload(kind: kind, content: Array(UnsafeBufferPointer(start: output.data, count: output.size)))
    }

    /// Refuses the image unless it was encoded anew.
    private static func imageAnswer(_ report: cuploads_report, _ kind: AttachmentKind) throws(UploadProblem) {
        switch cuploads_image_status(rawValue: UInt32(bitPattern: report.status)) {
        case CUPLOADS_IMAGE_OK: return
        case CUPLOADS_IMAGE_TOO_LARGE: throw .imageTooLarge(kind, width: Int(report.width), height: Int(report.height))
        case CUPLOADS_IMAGE_ANIMATED: throw .animatedImage(kind)
        // Memory ran out within the child's limit.
        case CUPLOADS_IMAGE_FAILED: throw .beyondLimits(kind)
        default: throw .unreadableImage(kind)
        }
    }

    /// Refuses the PDF unless nothing active was found in it and qpdf wrote it again.
    private static func pdfAnswer(_ report: cuploads_report) throws(UploadProblem) {
        // qpdf's message may quote bytes of the file: only printable ASCII is kept.
        let found = withUnsafeBytes(of: report.detail) { bytes in
            String(decoding: bytes.prefix { $0 != 0 }.filter { (0x20..<0x7F).contains($0) }.prefix(200), as: UTF8.self)
        }
        switch cuploads_pdf_status(rawValue: UInt32(bitPattern: report.status)) {
        case CUPLOADS_PDF_OK: return
        case CUPLOADS_PDF_ENCRYPTED: throw .encryptedPDF
        case CUPLOADS_PDF_ACTIVE: throw .activePDF(PDFActiveContent(cuploads_pdf_active(rawValue: UInt32(bitPattern: report.active))), found)
        case CUPLOADS_PDF_TOO_COMPLEX: throw .complexPDF(found)
        case CUPLOADS_PDF_FAILED: throw .beyondLimits(.pdf)
        default: throw .unreadablePDF(found.isEmpty ? "qpdf could not read it" : found)
        }
    }
}

extension PDFActiveContent {
    /// From the C library's code.
    init(_ code: cuploads_pdf_active) {
        self =
            switch code {
            case CUPLOADS_PDF_ACTIVE_AUTOMATIC: .automaticAction
            case CUPLOADS_PDF_ACTIVE_OPEN_ACTION: .openAction
            case CUPLOADS_PDF_ACTIVE_LAUNCH: .launch
            case CUPLOADS_PDF_ACTIVE_OTHER_ACTION: .otherAction
            case CUPLOADS_PDF_ACTIVE_LOCAL_LINK: .localLink
            case CUPLOADS_PDF_ACTIVE_EMBEDDED_FILE: .embeddedFile
            case CUPLOADS_PDF_ACTIVE_XFA: .xfa
            case CUPLOADS_PDF_ACTIVE_MULTIMEDIA: .multimedia
            // CUPLOADS_PDF_ACTIVE_JAVASCRIPT (the C side reports no other code with CUPLOADS_PDF_ACTIVE).
            default: .javaScript
            }
    }
}
