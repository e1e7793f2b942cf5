/// Traffic Light Protocol levels, TLP 2.0 and 1.0, recognised by their STIX marking ids.
///
/// The raw value orders levels from least to most restrictive, so the strictest marking on an
/// object is the maximum.
///
/// ```swift
/// TLP(markingID: "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1") // .red
/// ```
public enum TLP: Int, Sendable, Comparable, CaseIterable, CustomStringConvertible {
    case clear = 0
    case green = 1
    case amber = 2
    case amberStrict = 3
    case red = 4

    public static func < (a: TLP, b: TLP) -> Bool { a.rawValue < b.rawValue }

    /// The TLP 2.0 marking-definition id of this level.
    public var markingID: String {
        switch self {
        case .clear: return "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487"
        case .green: return "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"
        case .amber: return "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421"
        case .amberStrict: return "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003"
        case .red: return "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1"
        }
    }

    /// The level a TLP 2.0 or 1.0 marking-definition id stands for; nil for any other id.
    public init?(markingID: String) {
        // UUIDs compare case-insensitively; a TLP:RED written in capitals is still TLP:RED.
        guard let level = TLP.byMarkingID[markingID] ?? TLP.byMarkingID[markingID.lowercased()] else { return nil }
        self = level
    }

    /// The label used in TLP 2.0 text (`TLP:AMBER+STRICT`).
    public var description: String {
        switch self {
        case .clear: return "TLP:CLEAR"
        case .green: return "TLP:GREEN"
        case .amber: return "TLP:AMBER"
        case .amberStrict: return "TLP:AMBER+STRICT"
        case .red: return "TLP:RED"
        }
    }

    /// TLP 1.0 WHITE/GREEN/AMBER/RED map to CLEAR/GREEN/AMBER/RED.
    static let byMarkingID: [String: TLP] = {
        var map: [String: TLP] = [:]
        for level in TLP.allCases { map[level.markingID] = level }
        map["marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9"] = .clear
        map["marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da"] = .green
        map["marking-definition--f88d31f6-486f-44da-b317-01333bde0b82"] = .amber
        map["marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed"] = .red
        return map
    }()

    /// The strictest TLP level among `markingIDs`, or nil when none is a TLP marking.
    public static func strictest(of markingIDs: some Sequence<String>) -> TLP? {
        markingIDs.compactMap { TLP(markingID: $0) }.max()
    }
}
