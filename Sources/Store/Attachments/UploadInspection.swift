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
    /// /OpenAction with an action (a destination, which page to show first, is allowed).
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
/// again. The size of what is decoded is bounded (pixels; decoded PDF structure).
package enum UploadInspection {
    /// The most pixels an image may have (8000×5000, or a 48-megapixel phone photo scaled down):
    /// its decoded pixels take at most 160 MB.
    package static let maxImagePixels = 40_000_000
    /// The longest side of an image.
    package static let maxImageSide = 16_384
    /// The quality of re-encoded lossy images (JPEG, lossy WebP).
    static let quality: Int32 = 90

    /// The upload's kind and the bytes to store, or why it is refused.
    /// - Parameter declaredType: the uploader's Content-Type, checked against the content.
    package static func inspect(_ content: [UInt8], declaredType: String?) throws(UploadProblem) -> InspectedUpload {
        guard let kind = AttachmentKind(sniffing: content) else { throw .unrecognised }
        if let declared = declaredType?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased(),
            declared != "application/octet-stream", declared != kind.rawValue
        {
            throw .declaredType(declared, actual: kind)
        }
        return InspectedUpload(kind: kind, content: kind == .pdf ? try pdf(content) : try image(content, kind))
    }

    /// The image decoded and encoded again.
    private static func image(_ content: [UInt8], _ kind: AttachmentKind) throws(UploadProblem) -> [UInt8] {
        var output = cuploads_buffer(data: nil, size: 0)
        defer { cuploads_buffer_free(&output) }
        var width: UInt32 = 0
        var height: UInt32 = 0
        let pixels = UInt64(maxImagePixels)
        let side = UInt32(maxImageSide)
        let status = content.withUnsafeBufferPointer { bytes in
            switch kind {
            case .png: cuploads_png_reencode(bytes.baseAddress, bytes.count, pixels, side, &output, &width, &height)
            case .jpeg: cuploads_jpeg_reencode(bytes.baseAddress, bytes.count, pixels, side, quality, &output, &width, &height)
            default: cuploads_webp_reencode(bytes.baseAddress, bytes.count, pixels, side, quality, &output, &width, &height)
            }
        }
        switch status {
        case CUPLOADS_IMAGE_OK: return Array(UnsafeBufferPointer(start: output.data, count: output.size))
        case CUPLOADS_IMAGE_TOO_LARGE: throw .imageTooLarge(kind, width: Int(width), height: Int(height))
        case CUPLOADS_IMAGE_ANIMATED: throw .animatedImage(kind)
        // The encoder failing on pixels the decoder produced is not the file's fault, but the
        // upload still cannot be stored; it is reported as unreadable rather than stored as sent.
        default: throw .unreadableImage(kind)
        }
    }

    /// The PDF as qpdf writes it again, if nothing active was found in it.
    private static func pdf(_ content: [UInt8]) throws(UploadProblem) -> [UInt8] {
        var output = cuploads_buffer(data: nil, size: 0)
        defer { cuploads_buffer_free(&output) }
        var active = CUPLOADS_PDF_ACTIVE_NONE
        let detailSize = 256
        var detail = [CChar](repeating: 0, count: detailSize)
        let status = content.withUnsafeBufferPointer { bytes in
            cuploads_pdf_inspect(bytes.baseAddress, bytes.count, &output, &active, &detail, detailSize)
        }
        // qpdf's message may quote bytes of the file: only printable ASCII is kept.
        let found = String(
            decoding: detail.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }.filter { (0x20..<0x7F).contains($0) }.prefix(200),
            as: UTF8.self)
        switch status {
        case CUPLOADS_PDF_OK: return Array(UnsafeBufferPointer(start: output.data, count: output.size))
        case CUPLOADS_PDF_ENCRYPTED: throw .encryptedPDF
        case CUPLOADS_PDF_ACTIVE: throw .activePDF(PDFActiveContent(active), found)
        case CUPLOADS_PDF_TOO_COMPLEX: throw .complexPDF(found)
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
