import CZlib

/// A zlib deflate stream kept for many case bodies (`CaseBody.pack(_:with:)`): creating one
/// allocates about 256 KiB, which cost more than deflating a body of 1–2 KB (12% of a bulk
/// import's CPU went to zlib, most of it there). Reset before each body, it writes the bytes
/// a new stream would. Used by one thread at a time: an import's worker keeps one per batch
/// of lines.
///
/// See https://www.zlib.net/manual.html (`deflateReset`, `deflateSetDictionary`).
final class BodyDeflater {
    /// nil if zlib could not make the stream (out of memory): bodies are then kept as JSON.
    private let stream: UnsafeMutablePointer<z_stream>?

    init(level: Int32 = CaseBody.deflateLevel) {
        stream = mimamori_deflater_create(level)
    }

    deinit {
        if let stream { mimamori_deflater_destroy(stream) }
    }

    /// Deflates `source` primed with `dictionary` into `output`.
    /// - Returns: the bytes written, or nil if zlib failed or `output` was too small.
    func deflate(
        _ source: UnsafeBufferPointer<UInt8>, dictionary: UnsafeBufferPointer<UInt8>, into output: UnsafeMutableBufferPointer<UInt8>
    ) -> Int? {
        guard let stream else { return nil }
        let produced = mimamori_deflater_run(
            stream, source.baseAddress, UInt(source.count), dictionary.baseAddress, UInt32(dictionary.count), output.baseAddress,
            UInt(output.count))
        return produced >= 0 ? produced : nil
    }
}
