import HTTPTypes
import NIOCore
import Store
import Synchronization

/// Finished objects pages, kept under what their reader may read and the filters asked, and
/// valid while the store's generation stays where it was when they were read.
///
/// Partners syncing a collection ask for the same pages again and again; a kept page costs a
/// dictionary lookup instead of a page read. The reader's token is still checked on every
/// request (the lookup key comes from that check), and any change of objects or TLP:RED
/// grants anywhere in the store moves the generation, so a kept page is never staler than a
/// page read at that moment would be. The cache holds at most `capacity` bytes, and keeps a page
/// only when it is asked for a second time.
final class PageCache: Sendable {
    /// A page's identity: the reader-dependent access key and the raw query string.
    struct Key: Hashable, Sendable {
        let access: PageAccess.Key
        let query: String
    }

    /// A kept response.
    struct Entry: Sendable {
        let generation: Int64
        let fields: HTTPFields
        let body: ByteBuffer
        /// What the page shows of sensitive content, for the audit log of each read.
        let audit: PageAudit
    }

    private struct State: ~Copyable {
        var entries: [Key: Entry] = [:]
        var bytes = 0
        var newest: Int64 = 0
        /// Hashes of keys asked for once: a page is kept on its second request only, so a
        /// walk through more pages than fit (a full sync of a large collection) does not churn
        /// the cache for pages nobody reads twice.
        var seenOnce = Set<Int>()
    }

    private let state = Mutex(State())
    /// Most bytes of page bodies kept.
    let capacity: Int

    /// Creates a cache of at most `capacity` bytes (0 keeps nothing).
    init(capacity: Int) {
        self.capacity = capacity
    }

    /// The kept page for `key`, if it was read at `generation`.
    func get(_ key: Key, generation: Int64) -> Entry? {
        state.withLock { s in
            guard let entry = s.entries[key], entry.generation == generation else { return nil }
            return entry
        }
    }

    /// Keeps a page read at `entry.generation`; older generations go first when space runs out.
    func put(_ key: Key, _ entry: Entry) {
        let size = entry.body.readableBytes + 256
        guard size <= capacity / 4 else { return }
        state.withLock { s in
            if s.seenOnce.insert(key.hashValue).inserted {
                if s.seenOnce.count > 200_000 { s.seenOnce.removeAll(keepingCapacity: true) }
                return
            }
            if entry.generation > s.newest {
                // Pages of older generations can never be served again.
                s.newest = entry.generation
                s.entries = s.entries.filter { $0.value.generation == entry.generation }
                s.bytes = s.entries.values.reduce(0) { $0 + $1.body.readableBytes + 256 }
            } else if entry.generation < s.newest {
                return
            }
            if let old = s.entries.updateValue(entry, forKey: key) { s.bytes -= old.body.readableBytes + 256 }
            s.bytes += size
            if s.bytes > capacity {
                // Over budget: drop entries in the dictionary's (arbitrary) order down to three quarters.
                var excess = s.bytes - capacity * 3 / 4
                for (k, e) in s.entries where excess > 0 && k != key {
                    s.entries[k] = nil
                    excess -= e.body.readableBytes + 256
                    s.bytes -= e.body.readableBytes + 256
                }
            }
        }
    }
}
