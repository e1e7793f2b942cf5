import Patterning
import STIX

/// The SCOs given alongside observed-data, found by id; when an id repeats, the last object
/// given counts (as a dictionary filled in order would have it).
///
/// Most inputs hold a few SCOs: they are searched in order by a fingerprint of each id (its
/// length and last eight bytes, the random end of a UUID), which costs a fraction of hashing
/// whole 50-byte ids. Past `linearLimit` objects a hash index over the whole ids takes over, so
/// ids made to share fingerprints cannot make lookups quadratic.
struct ObjectsByID {
    /// A named type rather than a tuple: arrays of tuples look their type up at run time.
    private struct Entry {
        let id: String
        let object: JSONObject
        let type: String
        /// Kept with the entry rather than in an array of their own: one allocation fewer.
        let fingerprint: UInt64
    }

    private var entries: [Entry] = []
    private var index: [ObjectKey: Int]?

    static let linearLimit = 32

    /// Room for `count` more objects, so that filling does not grow the storage step by step.
    mutating func reserveCapacity(_ count: Int) {
        entries.reserveCapacity(entries.count + count)
    }

    /// Adds an object; its parts are taken over rather than copied (each copy costs retains the
    /// caller's copies then give back).
    mutating func append(id: consuming String, object: consuming JSONObject, type: consuming String) {
        let fingerprint = index == nil ? Self.fingerprint(id) : 0
        entries.append(Entry(id: id, object: object, type: type, fingerprint: fingerprint))
        if index != nil {
            index?[ObjectKey(entries[entries.count - 1].id)] = entries.count - 1
        } else if entries.count > Self.linearLimit {
            var built: [ObjectKey: Int] = [:]
            built.reserveCapacity(entries.count * 2)
            for (i, entry) in entries.enumerated() { built[ObjectKey(entry.id)] = i }
            index = built
        }
    }

    /// The object with this id and its type, or nil.
    subscript(id: String) -> (object: JSONObject, type: String)? {
        if let index {
            return index[ObjectKey(id)].map { (entries[$0].object, entries[$0].type) }
        }
        let wanted = Self.fingerprint(id)
        for i in entries.indices.reversed() where entries[i].fingerprint == wanted && ObjectKey.same(entries[i].id, id) {
            return (entries[i].object, entries[i].type)
        }
        return nil
    }

    private static func fingerprint(_ id: String) -> UInt64 {
        func of(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
            var tail: UInt64 = 0
            if bytes.count >= 8, let base = bytes.baseAddress {
                // One load of the last eight bytes, as the loop below would assemble them.
                tail = UInt64(bigEndian: UnsafeRawPointer(base + bytes.count - 8).loadUnaligned(as: UInt64.self))
            } else {
                for b in bytes { tail = tail << 8 | UInt64(b) }
            }
            return tail ^ UInt64(truncatingIfNeeded: bytes.count) << 56
        }
        return id.withUTF8Bytes(of)
    }
}

/// An object id as a dictionary key, hashed and compared as its UTF-8 bytes: as Python's
/// dictionaries in stix2-matcher compare them, and without the normalisation a `String` key costs.
struct ObjectKey: Hashable {
    let id: String

    init(_ id: String) { self.id = id }

    func hash(into hasher: inout Hasher) {
        id.withUTF8Bytes { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }

    static func == (a: ObjectKey, b: ObjectKey) -> Bool { same(a.id, b.id) }

    /// Whether two ids have the same bytes.
    static func same(_ a: String, _ b: String) -> Bool { a.utf8.count == b.utf8.count && Operand.compareText(a, b) == 0 }
}
