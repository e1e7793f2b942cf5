import Foundation
import Testing

@Suite("Import, export and validate from the command line")
struct RoundTripTests {
    static let attack = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../shared/data/ics-attack-18.1.json").standardized.path

    @Test("ATT&CK for ICS imports completely, exports byte-identical objects and re-imports as a no-op")
    func attackRoundTrip() throws {
        try #require(FileManager.default.fileExists(atPath: Self.attack), "shared/data must sit beside the repository")
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let data = dir + "/data"
        let imported = try CLIRunner.run(["import", "--data", data, Self.attack])
        #expect(imported.status == 0, "\(imported.stderr.suffix(1000))")
        #expect(imported.stderr.contains("added 1826, unchanged 0, rejected 0"))
        let exported = try CLIRunner.run(["export", "--data", data])
        #expect(exported.status == 0)
        let path = dir + "/export.json"
        try Fixtures.write(exported.stdout, to: path)
        // Every original object appears in the export byte for byte.
        let original = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: Self.attack))) as! [String: Any]
        let roundTripped = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
        #expect((original["objects"] as! [Any]).count == (roundTripped["objects"] as! [Any]).count)
        let validated = try CLIRunner.run(["validate", path])
        #expect(validated.status == 0 && validated.stdout.contains("1826 objects, all valid"))
        let again = try CLIRunner.run(["import", "--data", data, path])
        #expect(again.status == 0 && again.stderr.contains("added 0, unchanged 1826, rejected 0"), "\(again.stderr.suffix(500))")
        let stats = try CLIRunner.run(["stats", "--data", data])
        #expect(stats.stdout.contains("relationship") && stats.stdout.contains("1373"))
    }

    @Test("standard input, --collection, --type filters and --help")
    func options() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let data = dir + "/data"
        let file = dir + "/b.json"
        try Fixtures.write(Fixtures.bundle([Fixtures.indicator(1), #"{"type":"ipv4-addr","id":"ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd","value":"198.51.100.3"}"#]), to: file)
        let r = try CLIRunner.run(["import", "--data", data, "--collection", "camp", "-"], stdin: file)
        #expect(r.status == 0 && r.stderr.contains("created collection 'camp'"), "\(r.stderr)")
        let only = try CLIRunner.run(["export", "--data", data, "--collection", "camp", "--type", "ipv4-addr"])
        #expect(only.stdout.contains("198.51.100.3") && !only.stdout.contains("indicator--"))
        let none = try CLIRunner.run(["export", "--data", data, "--collection", "nope"])
        #expect(none.status != 0 && none.stderr.contains("no collection"))
        let help = try CLIRunner.run(["import", "--help"])
        #expect(help.stdout.contains("--partial") && help.stdout.contains("Examples"))
    }
}
