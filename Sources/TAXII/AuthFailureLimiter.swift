import Foundation
import Store
import Synchronization

/// Counts failed authentications per source address and blocks an address that fails too
/// often, so tokens cannot be guessed at speed.
///
/// The count lives in the store, so failures on every node of a hub add up. A store served by
/// one process answers checks from this process's memory; over a store several nodes share,
/// each check reads the shared count (one primary-key lookup) unless memory already blocks.
///
/// An address with `limit` failures within `window` seconds gets 429 (with
/// `Retry-After`) for every request until its window ends, valid token or not. Requests
/// without credentials are not failures. Behind a reverse proxy every client shares the
/// proxy's address, so the limit then applies to all of them together.
final class AuthFailureLimiter: Sendable {
    private struct Window {
        var start: Double
        var failures: Int
    }

    private let state = Mutex<[String: Window]>([:])
    /// Failures allowed per window; 0 turns the limiter off.
    let limit: Int
    /// Window length in seconds.
    let window: Double

    /// Creates a limiter of `limit` failures per `window` seconds (0: off).
    init(limit: Int, window: Double = 60) {
        self.limit = limit
        self.window = window
    }

    /// Seconds until `address` may try again; nil when it is not blocked.
    func retryAfter(_ address: String?) -> Int? {
        guard limit > 0, let address else { return nil }
        let now = Date().timeIntervalSince1970
        return state.withLock { windows in
            guard let w = windows[address], w.failures >= limit, now - w.start < window else { return nil }
            return max(1, Int((w.start + window - now).rounded(.up)))
        }
    }

    /// Seconds until `address` may try again, counting every node's failures when the store is
    /// shared; nil when it is not blocked.
    func retryAfter(_ address: String?, in store: some SharedStateStore) async -> Int? {
        if let wait = retryAfter(address) { return wait }
        guard limit > 0, let address, store.servesSeveralNodes,
              let shared = try? await store.authFailures(address: address, window: Int64(window * 1_000_000)),
              shared.failures >= limit else { return nil }
        let start = Double(shared.windowStart) / 1_000_000
        state.withLock { $0[address] = Window(start: start, failures: shared.failures) }
        return max(1, Int((start + window - Date().timeIntervalSince1970).rounded(.up)))
    }

    /// Records a failed authentication from `address` in the shared store, and the store's
    /// count of its window here (locally only, when the store cannot be reached).
    func recordFailure(_ address: String?, in store: some SharedStateStore) async {
        guard limit > 0, let address else { return }
        guard let shared = try? await store.recordAuthFailure(address: address, window: Int64(window * 1_000_000)) else {
            recordFailure(address)
            return
        }
        let now = Date().timeIntervalSince1970
        state.withLock { windows in
            if windows.count > 100_000 { windows = windows.filter { now - $0.value.start < window } }
            windows[address] = Window(start: Double(shared.windowStart) / 1_000_000, failures: shared.failures)
        }
    }

    /// Records a failed authentication from `address` in this process only.
    func recordFailure(_ address: String?) {
        guard limit > 0, let address else { return }
        let now = Date().timeIntervalSince1970
        state.withLock { windows in
            if windows.count > 100_000 {
                // Many addresses: forget the finished windows (bounded memory under a spray).
                windows = windows.filter { now - $0.value.start < window }
            }
            if var w = windows[address], now - w.start < window {
                w.failures += 1
                windows[address] = w
            } else {
                windows[address] = Window(start: now, failures: 1)
            }
        }
    }
}
