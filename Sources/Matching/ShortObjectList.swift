import STIX

/// A list of JSON objects that holds its first four inline, and only the rest in an array: for
/// lists that are nearly always that short and live briefly (the observed-data of one input),
/// where the array alone was an allocation. Not generic: unspecialised, it cost more than it saved.
struct ShortObjectList {
    private var first: (JSONObject?, JSONObject?, JSONObject?, JSONObject?) = (nil, nil, nil, nil)
    private var rest: [JSONObject] = []
    /// Number of elements.
    private(set) var count = 0

    /// Adds `element` at the end.
    mutating func append(_ element: consuming JSONObject) {
        switch count {
        case 0: first.0 = element
        case 1: first.1 = element
        case 2: first.2 = element
        case 3: first.3 = element
        default: rest.append(element)
        }
        count += 1
    }

    /// Takes out the element at `position` (from 0, below `count`): moved rather than copied,
    /// for a reader that goes through the list once.
    mutating func take(_ position: Int) -> JSONObject {
        switch position {
        case 0: first.0.take()!
        case 1: first.1.take()!
        case 2: first.2.take()!
        case 3: first.3.take()!
        default: rest[position - 4]
        }
    }
}
