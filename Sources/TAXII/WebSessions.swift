import Crypto
import Foundation
import STIX
import Store

/// Signed-in browser sessions: a random 256-bit session id in an HttpOnly, SameSite=Strict
/// cookie names a session kept in the store (under the SHA-256 of the id, with the token's id,
/// never its secret), so any server node answers it, a restart keeps it, and every page
/// request re-checks the token: a revocation applies at once.
struct WebSessions: Sendable {
    /// Sessions unused this long end (microseconds).
    let idle: Int64 = 8 * 3600 * 1_000_000

    /// A new random value for cookies and form tokens (URL-safe base64 of 32 bytes).
    static func randomValue() -> String {
        var bytes = [UInt8](repeating: 0, count: 32)
        for i in bytes.indices { bytes[i] = UInt8.random(in: 0...255) }
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func key(_ id: String) -> [UInt8] { Array(SHA256.hash(data: Data(id.utf8))) }

    /// Starts a session for a principal; returns its id (for the cookie) and CSRF token.
    func start(for principal: Principal, in store: some SharedStateStore) async throws -> (id: String, csrf: String) {
        let id = Self.randomValue(), csrf = Self.randomValue()
        try await store.startSession(idHash: Self.key(id), tokenID: principal.tokenID, csrf: csrf)
        return (id, csrf)
    }

    /// The principal and CSRF token of a cookie value, when its session and token are live.
    func session(_ id: String?, in store: some SharedStateStore) async -> (principal: Principal, csrf: String)? {
        guard let id, !id.isEmpty else { return nil }
        return try? await store.session(idHash: Self.key(id), idle: idle)
    }

    /// Ends a session.
    func end(_ id: String?, in store: some SharedStateStore) async {
        guard let id else { return }
        try? await store.endSession(idHash: Self.key(id))
    }
}
