import CUploads
import Foundation
import MimamoriTesting
import Store
import Testing

/// The one inspection every upload goes through (`UploadInspection`), on its own: what it
/// accepts is decodable content stored anew; it never crashes on any bytes.
struct UploadInspectionTests {
    /// The accepted bytes inspected again: the same kind, accepted again (what is stored decodes).
    static func reinspected(_ upload: InspectedUpload) throws -> InspectedUpload {
        let again = try UploadInspection.inspect(upload.content, declaredType: nil)
        #expect(again.kind == upload.kind)
        return again
    }

    @Test("real PNG, JPEG and WebP images are accepted and stored encoded anew, without their metadata")
    func images() throws {
        for (image, kind) in [
            (TestMedia.pngWithMetadata(), AttachmentKind.png), (TestMedia.jpegWithEXIF(), .jpeg), (TestMedia.webpWithEXIF(), .webp),
            (TestMedia.webp(lossless: true), .webp),
        ] {
            let upload = try UploadInspection.inspect(image, declaredType: nil)
            #expect(upload.kind == kind)
            let stored = String(decoding: upload.content, as: UTF8.self)
            #expect(
                !stored.contains(TestMedia.gpsMarker) && !stored.contains("Exif") && !stored.contains("EXIF") && !stored.contains("eXIf"), "\(kind)")
            _ = try Self.reinspected(upload)
        }
    }

    @Test("a JPEG's EXIF orientation is applied to its pixels before the EXIF is left behind")
    func orientation() throws {
        let upload = try UploadInspection.inspect(TestMedia.jpegWithEXIF(width: 48, height: 32), declaredType: nil)
        let size = try #require(TestMedia.dimensions(of: upload.content))
        #expect(size.width == 32 && size.height == 48)
    }

    @Test("an image declaring more pixels than allowed is refused before it is decoded")
    func decompressionBomb() throws {
        // A PNG whose IHDR says 20000×20000 (400 megapixels) and whose data is a few bytes.
        var png = TestMedia.png(width: 1, height: 1)
        png.replaceSubrange(16..<24, with: [0, 0, 0x4E, 0x20, 0, 0, 0x4E, 0x20])
        png.replaceSubrange(29..<33, with: Self.crc(png[12..<29]))
        #expect(throws: UploadProblem.imageTooLarge(.png, width: 20_000, height: 20_000)) {
            try UploadInspection.inspect(png, declaredType: nil)
        }
    }

    @Test("a PDF whose object stream inflates beyond its budget is refused as too complex, not decoded")
    func pdfInflationBomb() throws {
        let padding = String(repeating: " ", count: 24 << 20)
        let pdf = TestPDF.withObjectStream(hidden: ["<< /Padding (x) >>" + padding])
        #expect(pdf.count < 1 << 20)
        do {
            _ = try UploadInspection.inspect(pdf, declaredType: nil)
            Issue.record("accepted")
        } catch {
            guard case .complexPDF = error else { return #expect(Bool(false), "\(error)") }
        }
    }

    @Test("a PDF whose objects would take qpdf more memory than one upload may is refused; the reading process stops, not the server")
    func pdfParseBomb() throws {
        // 4.9 million tiny numbers in one array: under 10 MiB on the wire, about 1.5 GB in qpdf.
        let array = "[" + String(repeating: "0 ", count: 4_900_000) + "]"
        let pdf = TestPDF.document(extra: [array])
        #expect(pdf.count <= Attachments.maxAttachmentBytes)
        #expect(throws: UploadProblem.beyondLimits(.pdf)) { try UploadInspection.inspect(pdf, declaredType: nil) }
        // The next upload is read as usual.
        #expect(try UploadInspection.inspect(TestPDF.document(), declaredType: nil).kind == .pdf)
    }

    @Test("a reader that crashes, or does not answer in time, ends its child process; the caller is told and goes on")
    func isolation() throws {
        var limits = cuploads_limits(
            max_pixels: 1 << 20, max_side: 4096, quality: 90, memory_bytes: 256 << 20, cpu_seconds: 5, wall_seconds: 10)
        var report = cuploads_report()
        var output = cuploads_buffer(data: nil, size: 0)
        // Bytes at an address that is not mapped: the decoder in the child faults on the first read.
        let crashed = cuploads_inspect_isolated(CUPLOADS_KIND_PNG, UnsafePointer(bitPattern: 0x10), 4096, &limits, &report, &output)
        #expect(crashed == CUPLOADS_ISOLATION_STOPPED && output.data == nil)
        limits.wall_seconds = 0
        let png = TestMedia.png()
        let late = png.withUnsafeBufferPointer { cuploads_inspect_isolated(CUPLOADS_KIND_PNG, $0.baseAddress, $0.count, &limits, &report, &output) }
        #expect(late == CUPLOADS_ISOLATION_STOPPED && output.data == nil)
        // Given time, the same file is read.
        limits.wall_seconds = 10
        let read = png.withUnsafeBufferPointer { cuploads_inspect_isolated(CUPLOADS_KIND_PNG, $0.baseAddress, $0.count, &limits, &report, &output) }
        defer { cuploads_buffer_free(&output) }
        #expect(read == CUPLOADS_ISOLATION_ANSWERED && report.status == Int32(CUPLOADS_IMAGE_OK.rawValue) && output.size > 0)
    }

    @Test("a plain PDF, one with a web link and ones opening at a page (as LaTeX writes them) are accepted, written again by qpdf")
    func plainPDFs() throws {
        for pdf in [
            TestPDF.document(), TestPDF.withObjectStream(hidden: ["<< /Producer (test) >>"]),
            TestPDF.document(catalog: "/OpenAction 6 0 R", extra: ["<< /S /GoTo /D [3 0 R /Fit] >>"]),
            TestPDF.document(
                catalog: "/OpenAction [3 0 R /Fit]", page: "/Annots [6 0 R]",
                extra: ["<< /Type /Annot /Subtype /Link /Rect [72 700 300 730] /A << /S /URI /URI (https://www.cfa.go.jp/) >> >>"]),
        ] {
            let upload = try UploadInspection.inspect(pdf, declaredType: nil)
            #expect(upload.kind == .pdf && upload.content.starts(with: Array("%PDF-".utf8)))
            _ = try Self.reinspected(upload)
        }
    }

    /// Mutations of real files and random bytes behind each kind's first bytes.
    @Test("fuzz: random and mutated bytes never crash the inspection, and whatever it accepts decodes again as the same kind")
    func fuzz() throws {
        var random = SplitMix64(seed: 0x5EC_0014)
        let seeds: [[UInt8]] = [
            TestMedia.png(width: 16, height: 12), TestMedia.jpeg(width: 16, height: 12), TestMedia.webp(width: 16, height: 12),
            TestMedia.webp(width: 16, height: 12, lossless: true), TestMedia.pngWithMetadata(width: 8, height: 8),
            TestMedia.jpegWithEXIF(width: 8, height: 8), TestPDF.document(), TestPDF.withObjectStream(hidden: ["<< /A 1 >>", "[1 2 3]"]),
        ]
        let prefixes: [[UInt8]] = [
            [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], [0xFF, 0xD8, 0xFF], Array("RIFF\u{0}\u{0}\u{0}\u{0}WEBP".utf8),
            Array("%PDF-1.7\n".utf8),
        ]
        var accepted = 0
        for round in 0..<1500 {
            var bytes: [UInt8]
            if round % 10 == 0 {
                // Random bytes behind a recognised signature.
                bytes =
                    prefixes[random.next(in: 0...prefixes.count - 1)]
                    + (0..<random.next(in: 0...600)).map { _ in UInt8.random(in: 0...255, using: &random) }
            } else {
                bytes = seeds[random.next(in: 0...seeds.count - 1)]
                for _ in 0..<random.next(in: 1...6) { Self.mutate(&bytes, &random) }
            }
            guard !bytes.isEmpty else { continue }
            switch Result(catching: { () throws(UploadProblem) in try UploadInspection.inspect(bytes, declaredType: nil) }) {
            case .success(let upload):
                accepted += 1
                _ = try Self.reinspected(upload)
            case .failure(let problem):
                // A refusal is always one of the problems the pages can explain.
                #expect(!problem.description.isEmpty)
            }
        }
        // Some mutations (in pixel data, say) still decode: the property was exercised on both sides.
        #expect(accepted > 0)
    }

    /// One mutation: a flipped, replaced, inserted or removed byte, a truncation, or a copied range.
    static func mutate(_ bytes: inout [UInt8], _ random: inout SplitMix64) {
        guard bytes.count > 2 else { return }
        let at = random.next(in: 0...bytes.count - 1)
        switch random.next(in: 0...5) {
        case 0: bytes[at] ^= UInt8(1 << random.next(in: 0...7))
        case 1: bytes[at] = UInt8.random(in: 0...255, using: &random)
        case 2: bytes.insert(UInt8.random(in: 0...255, using: &random), at: at)
        case 3: bytes.remove(at: at)
        case 4: bytes.removeLast(random.next(in: 1...bytes.count - 1))
        default:
            let length = random.next(in: 1...min(64, bytes.count - at))
            bytes.insert(contentsOf: bytes[at..<at + length], at: random.next(in: 0...bytes.count - 1))
        }
    }

    /// The PNG CRC-32 of a chunk's type and data.
    static func crc(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        crc ^= 0xFFFF_FFFF
        return (0..<4).map { UInt8(truncatingIfNeeded: crc >> (24 - 8 * $0)) }
    }
}
