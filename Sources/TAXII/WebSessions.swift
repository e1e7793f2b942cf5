import Crypto
import Foundation
import STIX

/// Signed-in browser sessions: a random 256-bit session id in an HttpOnly, SameSite=Strict cookie
/// maps to the token the user signed in with (kept in memory only, under the SHA-256 of the
/// session id), so every page request re-checks the token and a revocation applies at once.
actor WebSessions {
    struct Session {
        var secret: String
        var csrf: String
        var lastUsed: Date
    }

    private var sessions: [String: Session] = [:]
    /// Sessions unused this long end.
    let idle: TimeInterval = 8 * 3600
    /// Most sessions kept; the least recently used goes first.
    let capacity = 10_000

    /// A new random value for cookies and form tokens (URL-safe base64 of 32 bytes).
    static func randomValue() -> String {
        var bytes = [UInt8](repeating: 0, count: 32)
        for i in bytes.indices { bytes[i] = UInt8.random(in: 0...255) }
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func key(_ id: String) -> String { SHA256.hash(data: Data(id.utf8)).map { String(format: "%02x", $0) }.joined() }

    /// Starts a session for `secret`; returns its id (for the cookie) and CSRF token.
    func start(secret: String) -> (id: String, csrf: String) {
        expire()
        if sessions.count >= capacity, let oldest = sessions.min(by: { $0.value.lastUsed < $1.value.lastUsed })?.key { sessions[oldest] = nil }
        let id = Self.randomValue(), csrf = Self.randomValue()
        sessions[Self.key(id)] = Session(secret: secret, csrf: csrf, lastUsed: Date())
        return (id, csrf)
    }

    /// The session of a cookie value, when it is live.
    func session(_ id: String?) -> Session? {
        guard let id, !id.isEmpty else { return nil }
        let key = Self.key(id)
        guard var s = sessions[key] else { return nil }
        guard Date().timeIntervalSince(s.lastUsed) < idle else { sessions[key] = nil; return nil }
        s.lastUsed = Date()
        sessions[key] = s
        return s
    }

    /// Ends a session.
    func end(_ id: String?) {
        guard let id else { return }
        sessions[Self.key(id)] = nil
    }

    private func expire() {
        let now = Date()
        sessions = sessions.filter { now.timeIntervalSince($0.value.lastUsed) < idle }
    }
}
