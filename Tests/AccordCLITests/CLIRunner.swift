import Foundation
import Testing

/// Runs the built `accord` binary as a user would, with a time limit.
struct CLIRunner {
    struct Result {
        var status: Int32
        var signaled: Bool
        var stdout: String
        var stderr: String
    }

    /// The binary next to the test bundle (both are products of the same build), or $ACCORD_BIN.
    static var binary: String {
        if let path = ProcessInfo.processInfo.environment["ACCORD_BIN"] { return path }
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        if dir.lastPathComponent.hasSuffix(".xctest") || dir.path.contains(".xctest/") {
            while dir.path.contains(".xctest") { dir = dir.deletingLastPathComponent() }
        }
        return dir.appendingPathComponent("accord").path
    }

    /// A temporary directory removed when the runner is dropped.
    static func temporaryDirectory() throws -> String {
        let dir = NSTemporaryDirectory() + "accord-cli-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Starts `accord args...` and returns the process (for tests that kill it).
    static func start(_ args: [String], stdin: String? = nil, stdout: FileHandle? = nil, stderr: FileHandle? = nil) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = args
        p.standardOutput = stdout ?? FileHandle.nullDevice
        p.standardError = stderr ?? FileHandle.nullDevice
        if let stdin { p.standardInput = FileHandle(forReadingAtPath: stdin) }
        try p.run()
        return p
    }

    /// Runs to completion (killing it after `timeout` seconds, which fails the test).
    static func run(_ args: [String], stdin: String? = nil, timeout: TimeInterval = 120) throws -> Result {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let outPath = dir + "/out", errPath = dir + "/err"
        FileManager.default.createFile(atPath: outPath, contents: nil)
        FileManager.default.createFile(atPath: errPath, contents: nil)
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        let p = try start(args, stdin: stdin, stdout: out, stderr: err)
        let deadline = Date().addingTimeInterval(timeout)
        while p.isRunning && Date() < deadline { usleep(20_000) }
        if p.isRunning {
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            Issue.record("accord \(args.joined(separator: " ")) did not finish within \(timeout) s")
        }
        p.waitUntilExit()
        try out.close()
        try err.close()
        return Result(status: p.terminationStatus, signaled: p.terminationReason == .uncaughtSignal,
                      stdout: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
                      stderr: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
    }
}

/// Builds STIX test content.
enum Fixtures {
    static func indicator(_ n: Int, value: String? = nil) -> String {
        let uuid = String(format: "%08x-1111-4111-8111-111111111111", n)
        return #"{"type":"indicator","spec_version":"2.1","id":"indicator--\#(uuid)","created":"2020-01-01T00:00:00.000Z","modified":"2020-01-01T00:00:00.000Z","name":"Indicator \#(n)","pattern":"[ipv4-addr:value = '\#(value ?? "10.0.\(n / 256 % 256).\(n % 256)")']","pattern_type":"stix","valid_from":"2020-01-01T00:00:00Z"}"#
    }

    static func bundle(_ objects: [String]) -> String {
        #"{"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","objects":["# + objects.joined(separator: ",") + "]}"
    }

    static func write(_ text: String, to path: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }
}
