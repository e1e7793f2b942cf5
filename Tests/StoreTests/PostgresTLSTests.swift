import Foundation
@testable import PostgresStore
import Store
import Testing

/// TLS to the database, against the throwaway cluster of scripts/pg-throwaway: its certificate
/// names "localhost" only and is signed by the authority in `ACCORD_TEST_DATABASE_CA`.
@Suite("PostgreSQL over TLS")
struct PostgresTLSTests {
    /// The test server's URL with another host and query, and the authority's file.
    static func url(host: String, _ query: String) throws -> (String, caFile: String) {
        guard let server = TestBackend.serverURL, var url = URLComponents(string: server),
              let ca = ProcessInfo.processInfo.environment["ACCORD_TEST_DATABASE_CA"], !ca.isEmpty else {
            throw StoreError.unusableDirectory("ACCORD_TEST_DATABASE_URL and ACCORD_TEST_DATABASE_CA name no TLS-enabled PostgreSQL server")
        }
        url.host = host
        return (url.string! + "?" + query.replacingOccurrences(of: "CA", with: ca), ca)
    }

    /// Whether the store's connection to the server is encrypted, as the server sees it.
    static func encrypted(_ store: PostgresStore) async throws -> Bool {
        try await store.withConnection { db in
            try await db.rows(sql("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()", [])).first?.bool(0) ?? false
        }
    }

    /// Opens the URL and answers the error's text, or nil when it opened.
    static func refusal(_ url: String) async -> String? {
        do {
            _ = try await PostgresStore.open(url: url)
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test("require encrypts; verify-full checks the authority (sslrootcert) and the host name; verify-ca the authority only",
          .enabled(if: TestBackend.all.contains(.postgres)))
    func modes() async throws {
        #expect(try await Self.encrypted(PostgresStore.open(url: Self.url(host: "127.0.0.1", "sslmode=require").0)))
        #expect(try await !Self.encrypted(PostgresStore.open(url: Self.url(host: "127.0.0.1", "sslmode=disable").0)))
        #expect(try await Self.encrypted(PostgresStore.open(url: Self.url(host: "localhost", "sslmode=verify-full&sslrootcert=CA").0)))
        #expect(try await Self.encrypted(PostgresStore.open(url: Self.url(host: "127.0.0.1", "sslmode=verify-ca&sslrootcert=CA").0)))

        let wrongName = await Self.refusal(try Self.url(host: "127.0.0.1", "sslmode=verify-full&sslrootcert=CA").0)
        #expect(wrongName?.contains("not issued for this host name") == true, "\(wrongName ?? "opened")")
        let systemRoots = await Self.refusal(try Self.url(host: "localhost", "sslmode=verify-full").0)
        #expect(systemRoots?.contains("not signed by an authority this node trusts") == true, "\(systemRoots ?? "opened")")
        let (otherURL, ca) = try Self.url(host: "localhost", "sslmode=verify-full&sslrootcert=CA")
        let otherAuthority = await Self.refusal(otherURL.replacingOccurrences(of: ca, with: ca.replacingOccurrences(of: "ca.pem", with: "other-ca.pem")))
        #expect(otherAuthority?.contains("not signed by an authority this node trusts") == true, "\(otherAuthority ?? "opened")")
        let missing = await Self.refusal(try Self.url(host: "localhost", "sslmode=verify-full&sslrootcert=/nonexistent/ca.pem").0)
        #expect(missing?.contains("sslrootcert '/nonexistent/ca.pem' is not a readable file") == true, "\(missing ?? "opened")")
    }
}
