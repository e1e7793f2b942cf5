import Foundation
import Store
import Testing

@Suite("Import survives SIGKILL", .serialized)
struct ImportCrashTests {
    @Test("killing an import mid-bundle leaves the store as before, uncorrupted, and the next import succeeds")
    func killMidBundle() async throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let data = dir + "/data"
        try Fixtures.write(Fixtures.bundle((0..<10).map { Fixtures.indicator($0) }), to: dir + "/small.json")
        let first = try CLIRunner.run(["import", "--data", data, dir + "/small.json"])
        #expect(first.status == 0, "\(first.stderr)")

        // Large enough that the import is still running when it is killed.
        try Fixtures.write(Fixtures.bundle((100..<150_100).map { Fixtures.indicator($0) }), to: dir + "/big.json")
        let errPath = dir + "/progress"
        FileManager.default.createFile(atPath: errPath, contents: nil)
        let progress = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        let p = try CLIRunner.start(["import", "--data", data, dir + "/big.json"], stderr: progress)
        // Wait until objects are being written (the first progress line), then kill.
        let deadline = Date().addingTimeInterval(60)
        while p.isRunning, Date() < deadline, (try? String(contentsOfFile: errPath, encoding: .utf8))?.contains("objects/s") != true {
            usleep(10_000)
        }
        usleep(300_000)
        #expect(p.isRunning, "the import finished before it could be killed; the test proves nothing")
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        #expect(p.terminationReason == .uncaughtSignal)

        let store = try SQLiteStore(directory: data)
        #expect(try await store.integrityCheck() == ["ok"])
        #expect(try await store.statistics().rows.map(\.versions) == [10])

        try Fixtures.write(Fixtures.bundle((20..<30).map { Fixtures.indicator($0) }), to: dir + "/next.json")
        let next = try CLIRunner.run(["import", "--data", data, dir + "/next.json"])
        #expect(next.status == 0, "\(next.stderr)")
        #expect(try await store.statistics().rows.map(\.versions) == [20])
        #expect(try await store.integrityCheck() == ["ok"])
    }
}
