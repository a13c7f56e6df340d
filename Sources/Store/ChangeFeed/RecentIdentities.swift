import CSodium
import Synchronization

/// The identities of case bodies an import has just staged, so that the search index's
/// catch-up (`ChangeFeed.changes`) need not unpack and decode those bodies again: about 10% of
/// a bulk import's CPU went to reading back, with `JSONDecoder`, the records the import's
/// workers had in hand.
///
/// Only an accelerator: an entry stands for one stored body, named by its case id and the
/// digest of its stored bytes, and is used only for a change whose body as read from the
/// partition has that very digest, so what the feed returns is what decoding that body
/// gives (the identity fields survive encoding and decoding unchanged: `RecentIdentitiesTests`).
/// Anything not found (another process's write, a body written again since, an entry dropped)
/// is decoded from the body as before; the change log and the index's cursors stay the only
/// record of what the index has applied. Entries are taken once, and dropped when the import
/// that made them ends.
final class RecentIdentities: Sendable {
    /// A stored body's digest (32-byte BLAKE2b).
    struct Digest: Hashable, Sendable {
        let words: (UInt64, UInt64, UInt64, UInt64)

        init(of bytes: UnsafeRawBufferPointer) {
            var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
            withUnsafeMutableBytes(of: &words) { out in
                _ = csodium_digest32(
                    out.baseAddress!.assumingMemoryBound(to: UInt8.self), bytes.baseAddress?.assumingMemoryBound(to: UInt8.self),
                    UInt64(bytes.count))
            }
            self.words = words
        }

        init(of bytes: [UInt8]) {
            self = bytes.withUnsafeBytes { Digest(of: $0) }
        }

        static func == (lhs: Digest, rhs: Digest) -> Bool { lhs.words == rhs.words }

        func hash(into hasher: inout Hasher) {
            hasher.combine(words.0)
            hasher.combine(words.1)
        }
    }

    /// What an import's worker knows of a record it staged: its stored body's digest and the
    /// identity fields the feed would decode from that body.
    struct Entry: Sendable {
        let digest: Digest
        let body: CaseIdentity.Body
    }

    /// Entries kept at most (about 1 KiB each); beyond them, bodies are decoded as before.
    static let limit = 250_000

    private let entries = Mutex<[String: Entry]>([:])

    /// Remembers the identity of the body stored as `caseID`.
    func remember(_ caseID: String, _ entry: Entry) {
        entries.withLock { entries in
            if entries.count < Self.limit { entries[caseID] = entry }
        }
    }

    /// The identity fields of `caseID`'s stored body if it is the one remembered (same
    /// digest), taken out; nil otherwise.
    func take(_ caseID: String, bodyBytes: UnsafeRawBufferPointer) -> CaseIdentity.Body? {
        guard let entry = entries.withLock({ $0.removeValue(forKey: caseID) }) else { return nil }
        return entry.digest == Digest(of: bodyBytes) ? entry.body : nil
    }

    /// Drops every entry (an import ended).
    func removeAll() {
        entries.withLock { $0.removeAll() }
    }
}
