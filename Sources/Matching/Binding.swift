/// One way to satisfy an observation expression: the observation instances it uses
/// (observation index and copy number, packed), in binding order.
///
/// Most bindings use one or two instances (a bracket, or two joined by AND or FOLLOWEDBY): those
/// are held inline, so that listing them allocates nothing per binding; the rest spill to an array.
struct Binding: RandomAccessCollection {
    private var first = 0, second = 0
    private var rest: [Int] = []
    private(set) var count = 0

    /// A binding of one instance.
    init(_ instance: Int) {
        append(instance)
    }

    /// A binding of `instances`, in order.
    init(_ instances: some Collection<Int>) {
        if instances.count > 2 { rest.reserveCapacity(instances.count - 2) }
        for x in instances { append(x) }
    }

    /// The instances of `bindings[k]` for each `k` of `chosen`, one binding after another: built
    /// in place, where flattening them into a list first grew that list step by step and then
    /// copied it.
    init(joining chosen: [Int], of bindings: [Binding]) {
        var total = 0
        for k in chosen { total += bindings[k].count }
        if total > 2 { rest.reserveCapacity(total - 2) }
        for k in chosen {
            for j in 0..<bindings[k].count { append(bindings[k][j]) }
        }
    }

    private mutating func append(_ instance: Int) {
        switch count {
        case 0: first = instance
        case 1: second = instance
        default: rest.append(instance)
        }
        count += 1
    }

    var startIndex: Int { 0 }
    var endIndex: Int { count }

    subscript(k: Int) -> Int {
        precondition(k >= 0 && k < count, "binding index out of range")
        return k == 0 ? first : k == 1 ? second : rest[k - 2]
    }

    /// The instances of `a` followed by those of `b`.
    static func + (a: Binding, b: Binding) -> Binding {
        var joined = a
        if a.count + b.count > 2 { joined.rest.reserveCapacity(a.count + b.count - 2) }
        for x in b { joined.append(x) }
        return joined
    }
}
