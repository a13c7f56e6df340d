import CUploads
import CZlib
import Foundation

/// Real images for the upload tests, made with the libraries the service reads them with
/// (libpng, libjpeg-turbo, libwebp), and the same images carrying metadata that must not be
/// stored: EXIF with an orientation and a position, PNG text, WebP EXIF.
package enum TestMedia {
    /// Text standing for the photo's position in the metadata of these fixtures; it must never
    /// be found in what the service stores.
    package static let gpsMarker = "GPS 35.6812N 139.7671E"

    /// RGBA pixels, opaque: a gradient with a pattern that depends on `seed`.
    package static func rgba(width: Int, height: Int, seed: Int = 0) -> [UInt8] {
        var pixels = [UInt8](repeating: 255, count: width * height * 4)
        for y in 0..<height {
            for x in 0..<width {
                let at = (y * width + x) * 4
                pixels[at] = UInt8(truncatingIfNeeded: x * 255 / max(1, width - 1))
                pixels[at + 1] = UInt8(truncatingIfNeeded: y * 255 / max(1, height - 1))
                pixels[at + 2] = UInt8(truncatingIfNeeded: (x ^ y) &* 7 &+ seed)
            }
        }
        return pixels
    }

    /// A PNG of the gradient.
    package static func png(width: Int = 48, height: Int = 32, seed: Int = 0) -> [UInt8] {
        var output = cuploads_buffer(data: nil, size: 0)
        defer { cuploads_buffer_free(&output) }
        let pixels = rgba(width: width, height: height, seed: seed)
        precondition(cuploads_png_encode(pixels, UInt32(width), UInt32(height), &output) == 0, "libpng could not encode")
        return Array(UnsafeBufferPointer(start: output.data, count: output.size))
    }

    /// A JPEG of the gradient.
    package static func jpeg(width: Int = 48, height: Int = 32, seed: Int = 0) -> [UInt8] {
        var output = cuploads_buffer(data: nil, size: 0)
        defer { cuploads_buffer_free(&output) }
        let pixels = rgba(width: width, height: height, seed: seed).enumerated().filter { $0.offset % 4 != 3 }.map(\.element)
        precondition(cuploads_jpeg_encode(pixels, UInt32(width), UInt32(height), 85, &output) == 0, "libjpeg-turbo could not encode")
        return Array(UnsafeBufferPointer(start: output.data, count: output.size))
    }

    /// A WebP of the gradient (lossy, or lossless).
    package static func webp(width: Int = 48, height: Int = 32, lossless: Bool = false, seed: Int = 0) -> [UInt8] {
        var output = cuploads_buffer(data: nil, size: 0)
        defer { cuploads_buffer_free(&output) }
        let pixels = rgba(width: width, height: height, seed: seed)
        precondition(cuploads_webp_encode(pixels, UInt32(width), UInt32(height), lossless ? 1 : 0, 80, &output) == 0, "libwebp could not encode")
        return Array(UnsafeBufferPointer(start: output.data, count: output.size))
    }

    /// A JPEG as a phone takes one: every pixel different (noise compresses badly), so a few
    /// megapixels make a few megabytes.
    package static func photo(width: Int, height: Int, seed: UInt64 = 1) -> [UInt8] {
        var random = SplitMix64(seed: seed)
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        var at = 0
        while at < pixels.count {
            var bits = random.next()
            for _ in 0..<min(8, pixels.count - at) {
                pixels[at] = UInt8(truncatingIfNeeded: bits)
                bits >>= 8
                at += 1
            }
        }
        var output = cuploads_buffer(data: nil, size: 0)
        defer { cuploads_buffer_free(&output) }
        precondition(cuploads_jpeg_encode(pixels, UInt32(width), UInt32(height), 90, &output) == 0, "libjpeg-turbo could not encode")
        return Array(UnsafeBufferPointer(start: output.data, count: output.size))
    }

    // MARK: - Metadata

    /// A big-endian TIFF structure as EXIF carries it: IFD0 with an ImageDescription holding
    /// `gpsMarker` and an Orientation.
    static func exif(orientation: UInt16) -> [UInt8] {
        let text = Array(gpsMarker.utf8) + [0]
        var tiff: [UInt8] = Array("MM".utf8) + [0x00, 0x2A] + be32(8)
        tiff += be16(2)
        tiff += be16(0x010E) + be16(2) + be32(UInt32(text.count)) + be32(8 + 2 + 2 * 12 + 4)
        tiff += be16(0x0112) + be16(3) + be32(1) + be16(orientation) + [0, 0]
        tiff += be32(0)
        return tiff + text
    }

    /// The JPEG with an EXIF segment right after SOI: orientation 6 (the camera was turned: the
    /// image is shown turned 90° clockwise) and `gpsMarker`.
    package static func jpegWithEXIF(width: Int = 48, height: Int = 32) -> [UInt8] {
        let plain = jpeg(width: width, height: height)
        let payload = Array("Exif".utf8) + [0, 0] + exif(orientation: 6)
        let segment: [UInt8] = [0xFF, 0xE1] + be16(UInt16(payload.count + 2)) + payload
        return Array(plain[0..<2]) + segment + Array(plain[2...])
    }

    /// The PNG with an eXIf chunk and a tEXt chunk (both with `gpsMarker`) after IHDR.
    package static func pngWithMetadata(width: Int = 48, height: Int = 32) -> [UInt8] {
        let plain = png(width: width, height: height)
        let chunks = chunk("eXIf", exif(orientation: 1)) + chunk("tEXt", Array("Comment".utf8) + [0] + Array(gpsMarker.utf8))
        return Array(plain[0..<33]) + chunks + Array(plain[33...])
    }

    /// The WebP in the extended format (VP8X) with an EXIF chunk carrying `gpsMarker`.
    package static func webpWithEXIF(width: Int = 48, height: Int = 32) -> [UInt8] {
        let plain = webp(width: width, height: height)
        let header: [UInt8] = [0x08, 0, 0, 0] + le24(UInt32(width - 1)) + le24(UInt32(height - 1))
        let chunks = riffChunk("VP8X", header) + Array(plain[12...]) + riffChunk("EXIF", exif(orientation: 1))
        return Array("RIFF".utf8) + le32(UInt32(4 + chunks.count)) + Array("WEBP".utf8) + chunks
    }

    /// The width and height a PNG's IHDR or a JPEG's first SOF declares.
    package static func dimensions(of image: [UInt8]) -> (width: Int, height: Int)? {
        if image.starts(with: [0x89, 0x50, 0x4E, 0x47]), image.count >= 24 {
            return (Int(be32(image, 16)), Int(be32(image, 20)))
        }
        guard image.starts(with: [0xFF, 0xD8]) else { return nil }
        var at = 2
        while at + 9 < image.count, image[at] == 0xFF {
            let marker = image[at + 1]
            let length = Int(image[at + 2]) << 8 | Int(image[at + 3])
            if (0xC0...0xC3).contains(marker) {
                return (Int(image[at + 7]) << 8 | Int(image[at + 8]), Int(image[at + 5]) << 8 | Int(image[at + 6]))
            }
            at += 2 + length
        }
        return nil
    }

    // MARK: - Bytes

    static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let body = Array(type.utf8) + data
        let crc = body.withUnsafeBufferPointer { UInt32(crc32(0, $0.baseAddress, UInt32($0.count))) }
        return be32(UInt32(data.count)) + body + be32(crc)
    }

    static func riffChunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        Array(type.utf8) + le32(UInt32(data.count)) + data + (data.count % 2 == 1 ? [0] : [])
    }

    static func be16(_ value: UInt16) -> [UInt8] { [UInt8(value >> 8), UInt8(value & 0xFF)] }
    static func be32(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (24 - 8 * $0)) } }
    static func le32(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
    static func le24(_ value: UInt32) -> [UInt8] { Array(le32(value).prefix(3)) }
    static func be32(_ bytes: [UInt8], _ at: Int) -> UInt32 { bytes[at..<at + 4].reduce(0) { $0 << 8 | UInt32($1) } }
}

/// PDFs for the upload tests, written out object by object with a correct cross-reference
/// table (or stream), so that qpdf reads them without repair.
package enum TestPDF {
    /// The page's text.
    static let content = "BT /F1 24 Tf 72 720 Td (Mimamori test) Tj ET"

    /// The five objects of a one-page document (catalog 1, pages 2, page 3, content 4, font 5),
    /// with `catalog` and `page` added to the catalog's and the page's dictionaries.
    static func pageObjects(catalog: String, page: String) -> [String] {
        [
            "<< /Type /Catalog /Pages 2 0 R \(catalog) >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R \(page) >>",
            "<< /Length \(content.utf8.count) >>\nstream\n\(content)\nendstream",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ]
    }

    /// A one-page PDF with a classic cross-reference table; `extra` objects are numbered from 6.
    /// - Parameter trailer: added to the trailer dictionary.
    package static func document(catalog: String = "", page: String = "", extra: [String] = [], trailer: String = "") -> [UInt8] {
        var bytes = Array("%PDF-1.7\n%".utf8) + [0xE2, 0xE3, 0xCF, 0xD3, 0x0A]
        var offsets: [Int] = []
        for (index, object) in (pageObjects(catalog: catalog, page: page) + extra).enumerated() {
            offsets.append(bytes.count)
            bytes += Array("\(index + 1) 0 obj\n\(object)\nendobj\n".utf8)
        }
        let xref = bytes.count
        var table = "xref\n0 \(offsets.count + 1)\n0000000000 65535 f \n"
        for offset in offsets { table += String(format: "%010d 00000 n \n", offset) }
        table += "trailer\n<< /Size \(offsets.count + 1) /Root 1 0 R \(trailer) >>\nstartxref\n\(xref)\n%%EOF\n"
        return bytes + Array(table.utf8)
    }

    /// A one-page PDF 1.5 whose `hidden` objects (numbered from 6) sit in one FlateDecode-compressed
    /// object stream, found through a cross-reference stream: none of their text is in the file's bytes.
    package static func withObjectStream(catalog: String = "", hidden: [String]) -> [UInt8] {
        var bytes = Array("%PDF-1.5\n%".utf8) + [0xE2, 0xE3, 0xCF, 0xD3, 0x0A]
        var offsets: [Int] = []
        for (index, object) in pageObjects(catalog: catalog, page: "").enumerated() {
            offsets.append(bytes.count)
            bytes += Array("\(index + 1) 0 obj\n\(object)\nendobj\n".utf8)
        }
        // The object stream: "number offset" pairs, then the objects.
        let first = 6
        var header = ""
        var body = ""
        for (index, object) in hidden.enumerated() {
            header += "\(first + index) \(body.utf8.count) "
            body += object + "\n"
        }
        let packed = deflate(Array((header + body).utf8))
        let streamNumber = first + hidden.count
        offsets.append(bytes.count)
        bytes += Array(
            "\(streamNumber) 0 obj\n<< /Type /ObjStm /N \(hidden.count) /First \(header.utf8.count) /Filter /FlateDecode /Length \(packed.count) >>\nstream\n"
                .utf8)
        bytes += packed + Array("\nendstream\nendobj\n".utf8)
        // The cross-reference stream (uncompressed), W [1 4 2].
        let xrefNumber = streamNumber + 1
        let size = xrefNumber + 1
        let xrefOffset = bytes.count
        var entries: [UInt8] = [0] + TestMedia.be32(0) + [0xFF, 0xFF]
        for number in 1..<size {
            if (first..<streamNumber).contains(number) {
                entries += [2] + TestMedia.be32(UInt32(streamNumber)) + TestMedia.be16(UInt16(number - first))
            } else if number == xrefNumber {
                entries += [1] + TestMedia.be32(UInt32(xrefOffset)) + [0, 0]
            } else {
                let offset = number < first ? offsets[number - 1] : offsets[offsets.count - 1]
                entries += [1] + TestMedia.be32(UInt32(offset)) + [0, 0]
            }
        }
        bytes += Array("\(xrefNumber) 0 obj\n<< /Type /XRef /Size \(size) /W [1 4 2] /Root 1 0 R /Length \(entries.count) >>\nstream\n".utf8)
        bytes += entries + Array("\nendstream\nendobj\nstartxref\n\(xrefOffset)\n%%EOF\n".utf8)
        return bytes
    }

    /// `data` compressed with zlib (what /FlateDecode undoes).
    package static func deflate(_ data: [UInt8]) -> [UInt8] {
        var size = compressBound(uLong(data.count))
        var output = [UInt8](repeating: 0, count: Int(size))
        let status = compress2(&output, &size, data, uLong(data.count), 9)
        precondition(status == Z_OK, "zlib could not compress")
        return Array(output.prefix(Int(size)))
    }
}
