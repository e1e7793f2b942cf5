import Foundation
import KnowledgeBase
import STIX
import Store
import Testing

@Suite("Knowledge base loading")
struct KnowledgeBaseLoadTests {
    /// A fresh SQLite store in a temporary directory.
    static func freshStore() throws -> (SQLiteStore, String) {
        let directory = NSTemporaryDirectory() + "accord-kb-test-" + UUID().uuidString
        return (try SQLiteStore(directory: directory), directory)
    }

    @Test("the bundled knowledge base loads whole, into a public read-only collection, and loading again changes nothing")
    func loadTwice() async throws {
        let (store, directory) = try Self.freshStore()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let objects = try JSONParser.parse(KnowledgeBase.bundle())["objects"]?.arrayValue ?? []
        let first = try await KnowledgeBase.load(into: store)
        #expect(first.created)
        #expect(first.report.committed)
        #expect(first.report.rejectedCount == 0)
        #expect(first.report.added == objects.count)
        #expect(first.collection.readOnly)
        #expect(first.collection.visibility == .public)
        #expect(first.collection.defaultLevel == .clear)
        let generation = try await store.generation()
        let second = try await KnowledgeBase.load(into: store)
        #expect(!second.created)
        #expect(second.report.added == 0)
        #expect(second.report.unchanged == objects.count)
        #expect(try await store.generation() == generation)
    }

    @Test("the bundled extension definitions carry JSON Schemas the validator applies")
    func schemasCompile() throws {
        let schemas = try KnowledgeBase.extensionSchemas()
        let definitions = try JSONParser.parse(KnowledgeBase.bundle())["objects"]?.arrayValue?.filter { $0["type"]?.stringValue == "extension-definition" } ?? []
        #expect(definitions.count >= 3)
        #expect(schemas.checkedIDs.count == definitions.count)
    }
}
