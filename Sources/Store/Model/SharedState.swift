/// State that every server node over one store must share: browser sessions and failed
/// authentication counts. Kept in the store, so a request may reach any node.
public protocol SharedStateStore: Sendable {
    /// Starts a web session: only the SHA-256 of its id is kept, with the token it signed in
    /// with and its CSRF token.
    func startSession(idHash: [UInt8], tokenID: String, csrf: String) async throws
    /// The principal and CSRF token of a live session (its token still live, used within
    /// `idle` microseconds); nil otherwise.
    func session(idHash: [UInt8], idle: Int64) async throws -> (principal: Principal, csrf: String)?
    /// Ends a session.
    func endSession(idHash: [UInt8]) async throws
    /// Counts one failed authentication from `address` in windows of `window` microseconds;
    /// answers the failures of the current window (every node's) and when it started.
    func recordAuthFailure(address: String, window: Int64) async throws -> (failures: Int, windowStart: Int64)
    /// The failures of `address` in its current window (nil: none), without counting one.
    func authFailures(address: String, window: Int64) async throws -> (failures: Int, windowStart: Int64)?
    /// Whether several server processes may share this store (each request then checks the
    /// shared failure counts; a single process's memory is enough otherwise).
    var servesSeveralNodes: Bool { get }
}

/// Everything the server needs of its store, whichever backend holds it.
public typealias HubStore = ObjectStore & TokenStore & StatusStore & DirectoryStore & AuditStore & SearchStore & SharedStateStore

/// SQL both backends share for the shared state (standard SQL: UPSERT with RETURNING).
public enum SharedStateSQL {
    /// Counts a failure (binds: address, now, window start bound): a window older than the
    /// bound starts again at 1.
    public static let recordFailure = """
        INSERT INTO auth_failures(address, window_start_us, failures) VALUES (?1, ?2, 1)
        ON CONFLICT (address) DO UPDATE SET
            failures = CASE WHEN auth_failures.window_start_us > ?3 THEN auth_failures.failures + 1 ELSE 1 END,
            window_start_us = CASE WHEN auth_failures.window_start_us > ?3 THEN auth_failures.window_start_us ELSE ?2 END
        RETURNING failures, window_start_us
        """
    /// Reads an address's current window (binds: address, window start bound).
    public static let failures = "SELECT failures, window_start_us FROM auth_failures WHERE address = ?1 AND window_start_us > ?2"
    /// How often sessions' last use is written: page views within it cost no write.
    public static let touchInterval: Int64 = 60_000_000
}
