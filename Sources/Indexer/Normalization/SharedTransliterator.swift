import Synchronization

/// An ICU transliterator that many threads may call at once: a small pool of copies of one
/// transform, each used by one thread at a time.
///
/// ICU documents `UTransliterator` as not safe to use from several threads at once, and
/// `Transliterator` makes no promise either, so every use of a copy holds that copy's `Mutex`.
/// A call takes the first free copy, or waits for one when all are busy. One transliteration
/// of a name takes a few microseconds; opening a copy a few milliseconds, so the copies are
/// opened once, up front.
package final class SharedTransliterator: Sendable {
    package let id: String
    private let copies: [Copy]
    private let nextCopy = Atomic<Int>(0)

    /// One transliterator and the lock that guards it (a class, because `Mutex` cannot be copied
    /// into an array).
    private final class Copy: Sendable {
        let transliterator: Mutex<Transliterator>
        init(_ transliterator: consuming sending Transliterator) { self.transliterator = Mutex(transliterator) }
    }

    /// Opens `copies` transliterators for an ICU ID such as `"Any-NFKC; Hiragana-Katakana"`.
    /// - Parameters:
    ///   - id: the ICU transform ID.
    ///   - copies: how many threads can transliterate at once (at least 1).
    /// - Throws: `ICUError` when ICU does not know the ID.
    package init(_ id: String, copies: Int = 2) throws(ICUError) {
        self.id = id
        var opened: [Copy] = []
        for _ in 0..<max(1, copies) {
            opened.append(Copy(try Transliterator(id)))
        }
        self.copies = opened
    }

    /// Returns `text` transliterated.
    package func callAsFunction(_ text: String) -> String {
        let start = nextCopy.wrappingAdd(1, ordering: .relaxed).oldValue
        for offset in 0..<copies.count {
            let copy = copies[((start &+ offset) & Int.max) % copies.count]
            if let result = copy.transliterator.withLockIfAvailable({ $0(text) }) { return result }
        }
        return copies[(start & Int.max) % copies.count].transliterator.withLock { $0(text) }
    }
}
