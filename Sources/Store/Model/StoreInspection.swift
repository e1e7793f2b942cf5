/// Looks inside a store for checks and tests: index rows and the store's own consistency.
public protocol StoreInspection: Sendable {
    /// The reference targets, observables (`kind=value`) and TLP level of an object's versions.
    func indexRows(for id: String) async throws -> (refs: Set<String>, observables: Set<String>, tlp: Int?)
    /// How many reference and observable index rows the store holds.
    func indexRowCounts() async throws -> (refs: Int, observables: Int)
    /// The store's consistency findings; `["ok"]` when sound.
    func integrityCheck() async throws -> [String]
}
