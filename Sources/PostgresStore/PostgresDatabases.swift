import Foundation
import PostgresNIO
import Store

extension PostgresStore {
    /// Creates an empty database `name` on the server of `serverURL` (whose database must
    /// exist) and answers the URL of the new one: for tests and benchmarks that want a fresh
    /// store each.
    public static func createDatabase(_ name: String, on serverURL: String) async throws -> String {
        guard !name.isEmpty, name.utf8.allSatisfy({ (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x5F }) else {
            throw StoreError.unusableDirectory("database names here are a-z, 0-9 and _ only: '\(name)'")
        }
        let store = try await PostgresStore(connectingTo: serverURL)
        try await store.run(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"))
        guard var url = URLComponents(string: serverURL) else { throw StoreError.unusableDirectory("not a URL: \(serverURL)") }
        url.path = "/" + name
        return url.string ?? serverURL
    }

    /// A client without migrations, for server-level statements.
    private convenience init(connectingTo url: String) async throws {
        let (configuration, location) = try DatabaseURL.configuration(url)
        self.init(client: PostgresClient(configuration: configuration, backgroundLogger: Self.quiet), location: location)
    }
}
