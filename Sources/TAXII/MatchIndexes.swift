import Foundation
import Matching
import STIX
import Store

/// The indicator index of each reader the match endpoint has served: built from exactly the
/// indicators the reader may read (the store's page query applies the access policy), kept
/// while the store's generation stays put, brought up to date incrementally when indicators
/// were added or revoked since, and rebuilt when objects were deleted or grants changed.
actor MatchIndexes {
    private struct Built {
        var generation: Int64
        var reshape: Int64 = 0
        var changes: Int64 = 0
        var collections: [String]
        var cursors: [String: PageCursor]
        var index: IndicatorIndex
        var used: Date
    }

    private var built: [Viewer: Built] = [:]
    /// Readers whose indexes are kept; the least recently used goes first.
    let capacity = 16

    /// The current index of what `viewer` may read.
    func index(for viewer: Viewer, in store: some ObjectStore) async throws -> IndicatorIndex {
        let generation = try await store.generation()
        let reshape = try await store.reshapeGeneration()
        let collections = try await store.collections().map(\.id)
        if var kept = built[viewer], kept.collections == collections {
            let changed = kept.generation == generation ? nil : try await store.accessChanges(after: kept.changes)
            if kept.reshape != reshape || !(changed?.ids.isEmpty ?? true) || changed?.position == Int64.max {
                // A deletion or a TLP:RED grant may change access to indicators indexed before.
                // The position is read first: a change during the build is replayed next time.
                let position = try await store.accessChanges(after: -1).position
                kept = try await build(viewer, store, generation, collections)
                kept.reshape = reshape
                kept.changes = position
            } else if kept.generation != generation {
                // New versions arrive after the cursors; nothing new means something was
                // removed or regranted, which only a rebuild reflects.
                let added = try await scan(&kept, store, viewer)
                if added == 0 { kept = try await build(viewer, store, generation, collections) }
                kept.generation = generation
            }
            kept.used = Date()
            built[viewer] = kept
            return kept.index
        }
        let position = try await store.accessChanges(after: -1).position
        var fresh = try await build(viewer, store, generation, collections)
        fresh.reshape = reshape
        fresh.changes = position
        fresh.used = Date()
        if built.count >= capacity, let oldest = built.min(by: { $0.value.used < $1.value.used })?.key { built[oldest] = nil }
        built[viewer] = fresh
        return fresh.index
    }

    private func build(_ viewer: Viewer, _ store: some ObjectStore, _ generation: Int64, _ collections: [String]) async throws -> Built {
        var fresh = Built(generation: generation, collections: collections, cursors: [:], index: IndicatorIndex(), used: Date())
        _ = try await scan(&fresh, store, viewer)
        return fresh
    }

    /// Reads the indicator versions added after each collection's cursor; returns how many.
    private func scan(_ b: inout Built, _ store: some ObjectStore, _ viewer: Viewer) async throws -> Int {
        let now = Int64(Date().timeIntervalSince1970 * 1_000_000)
        var seen = 0
        for c in b.collections {
            var query = PageQuery(collectionID: c, cursor: b.cursors[c], limit: 1_000, types: ["indicator"], versions: .last)
            query.viewer = viewer
            let box = Box(b.index)
            do {
                try await store.forEachPage(query) { objects in
                    box.seen += objects.count
                    if let last = objects.last { box.last = PageCursor(dateAdded: last.dateAdded, sequence: last.sequence) }
                    // A version that is revoked, expired or unusable retires the one indexed before.
                    _ = box.index.apply(IndicatorIndex.prepare(objects.map { ($0.id, $0.raw) }, activeAt: now))
                }
            } catch StoreError.unknownCollection {
                continue  // hidden from this reader
            }
            b.index = box.index
            if let last = box.last { b.cursors[c] = last }
            seen += box.seen
        }
        return seen
    }

    /// Collects results from page callbacks.
    private final class Box: @unchecked Sendable {
        var index: IndicatorIndex
        var seen = 0
        var last: PageCursor?
        init(_ index: IndicatorIndex) { self.index = index }
    }
}
