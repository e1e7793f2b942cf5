import Foundation
import Synchronization

/// Counts failed authentications per source address and blocks an address that fails too
/// often, so tokens cannot be guessed at speed.
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

    /// Records a failed authentication from `address`.
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
