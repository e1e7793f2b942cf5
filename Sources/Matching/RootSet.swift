/// Positions of root objects within one observation, as bits: an observation holds a handful of
/// objects, and building, intersecting and uniting a `Set<Int>` for each comparison cost more
/// than the comparisons themselves.
struct RootSet: Equatable {
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

    func intersection(_ other: RootSet) -> RootSet {
        var out = RootSet()
        out.low = low & other.low
        if !high.isEmpty && !other.high.isEmpty { out.high = zip(high, other.high).map { $0 & $1 } }
        return out
    }

    func union(_ other: RootSet) -> RootSet {
        var out = RootSet()
        out.low = low | other.low
        if high.isEmpty { out.high = other.high } else if other.high.isEmpty { out.high = high } else {
            out.high = (0..<max(high.count, other.high.count)).map { i in
                (i < high.count ? high[i] : 0) | (i < other.high.count ? other.high[i] : 0)
            }
        }
        return out
    }
}
