/// A set of small non-negative integers as bits: the root objects of one observation, or the
/// observation instances REPEATS combines. Such sets hold a handful of members, and building,
/// intersecting and uniting a `Set<Int>` for each comparison or choice cost more than the work
/// they served.
struct SmallBitSet: Equatable {
    /// Positions 0 to 63.
    private var low: UInt64 = 0
    /// Positions from 64 on, 64 to a word (empty for most observations, so nothing is allocated).
    private var high: [UInt64] = []

    var isEmpty: Bool { low == 0 && high.allSatisfy { $0 == 0 } }

    mutating func insert(_ position: Int) {
        if position < 64 {
            low |= 1 << UInt64(position)
            return
        }
        let word = position / 64 - 1
        if high.count <= word { high += repeatElement(0, count: word + 1 - high.count) }
        high[word] |= 1 << UInt64(position % 64)
    }

    func contains(_ position: Int) -> Bool {
        if position < 64 { return low & (1 << UInt64(position)) != 0 }
        let word = position / 64 - 1
        return word < high.count && high[word] & (1 << UInt64(position % 64)) != 0
    }

    func intersection(_ other: SmallBitSet) -> SmallBitSet {
        var out = SmallBitSet()
        out.low = low & other.low
        if !high.isEmpty && !other.high.isEmpty { out.high = zip(high, other.high).map { $0 & $1 } }
        return out
    }

    func isDisjoint(with other: SmallBitSet) -> Bool {
        low & other.low == 0 && zip(high, other.high).allSatisfy { $0 & $1 == 0 }
    }

    mutating func formUnion(_ other: SmallBitSet) { self = union(other) }

    /// Removes the members of `other`.
    mutating func subtract(_ other: SmallBitSet) {
        low &= ~other.low
        for i in high.indices where i < other.high.count { high[i] &= ~other.high[i] }
    }

    func union(_ other: SmallBitSet) -> SmallBitSet {
        var out = SmallBitSet()
        out.low = low | other.low
        // Most sets have no high words: the empty list is kept rather than copied.
        if other.high.isEmpty { if !high.isEmpty { out.high = high } } else if high.isEmpty { out.high = other.high } else {
            out.high = (0..<Swift.max(high.count, other.high.count)).map { i in
                (i < high.count ? high[i] : 0) | (i < other.high.count ? other.high[i] : 0)
            }
        }
        return out
    }
}

/// The members in increasing order, read from the words in place (evaluation lists the
/// observations each `[...]` holds for as such a set, which allocates nothing for up to 64).
extension SmallBitSet: Sequence {
    struct Iterator: IteratorProtocol {
        fileprivate let high: [UInt64]
        fileprivate var bits: UInt64
        /// Words taken so far: 0 while reading `low`, then one more for each word of `high`.
        fileprivate var word = 0

        mutating func next() -> Int? {
            while bits == 0 {
                guard word < high.count else { return nil }
                bits = high[word]
                word += 1
            }
            let bit = bits.trailingZeroBitCount
            bits &= bits - 1
            return word * 64 + bit
        }
    }

    func makeIterator() -> Iterator { Iterator(high: high, bits: low) }
}
