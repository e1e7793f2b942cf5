import ArgumentParser
import KnowledgeBase
import STIX

/// `accord validate`: check STIX documents against the STIX 2.1 rules without storing them.
struct ValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check STIX 2.1 bundles, envelopes or objects without storing them.",
        discussion: """
            Prints one line per problem: file, object position and id, JSON path, reason. \
            Errors are violations of a MUST of STIX 2.1; warnings (shown with --warnings) are \
            SHOULD-level advice and do not fail validation.

            Examples:
              accord validate feed.json
              accord validate --warnings --format jsonl *.json | jq 'select(.valid|not)'
            Exit status: 0 when every object of every file is valid, 1 otherwise.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, jsonl
    }

    @Option(name: .long, help: "Output format: text (one line per problem) or jsonl (one JSON object per STIX object).")
    var format: Format = .text

    @Flag(name: .long, help: "Also print SHOULD-level warnings (text format).")
    var warnings = false

    @Argument(help: ArgumentHelp("Files to validate; - reads standard input.", valueName: "file"))
    var files: [String]

    func run() async throws {
        var allValid = true
        let out = OutputBuffer()
        for file in files {
            allValid = validateFile(file, out) && allValid
        }
        out.flush()
        if !allValid { throw ExitCode(1) }
    }

    private func validateFile(_ file: String, _ out: OutputBuffer) -> Bool {
        var valid = true
        var count = 0
        do {
            var validator = DocumentValidator(source: try FileByteSource(path: file), extensions: try KnowledgeBase.extensionSchemas())
            while let report = try validator.next() {
                count += 1
                valid = report.isValid && valid
                emit(report, file: file, out)
            }
            for issue in validator.headerIssues {
                valid = false
                emitDocumentProblem(file: file, path: issue.path, reason: issue.reason, out)
            }
        } catch let error as DocumentError {
            emitDocumentProblem(file: file, path: error.path, reason: "\(error.reason) (at byte \(error.offset))", out)
            return false
        } catch {
            emitDocumentProblem(file: file, path: "$", reason: "\(error)", out)
            return false
        }
        if format == .text && valid {
            out.write("\(file): \(count) objects, all valid\n")
        }
        return valid
    }

    private func emit(_ report: ObjectReport, file: String, _ out: OutputBuffer) {
        switch format {
        case .text:
            let where_ = "objects[\(report.index)]" + (report.id.map { " (\($0))" } ?? "")
            for issue in report.issues where issue.severity == .error || warnings {
                out.write("\(file): \(where_): \(issue.severity == .warning ? "warning: " : "")\(issue.path): \(issue.reason)\n")
            }
        case .jsonl:
            func list(_ issues: [ValidationIssue]) -> String {
                "[" + issues.map { "{\"path\":\(Terminal.jsonString($0.path)),\"reason\":\(Terminal.jsonString($0.reason))}" }.joined(separator: ",") + "]"
            }
            let errors = report.issues.filter { $0.severity == .error }
            let warns = report.issues.filter { $0.severity == .warning }
            var line = "{\"file\":\(Terminal.jsonString(file)),\"index\":\(report.index),\"id\":\(report.id.map(Terminal.jsonString) ?? "null"),\"valid\":\(report.isValid),\"errors\":\(list(errors)),\"warnings\":\(list(warns))"
            if let d = report.deterministicID { line += ",\"deterministic_id\":\(Terminal.jsonString(d))" }
            out.write(line + "}\n")
        }
    }

    private func emitDocumentProblem(file: String, path: String, reason: String, _ out: OutputBuffer) {
        switch format {
        case .text:
            out.write("\(file): \(path): \(reason)\n")
        case .jsonl:
            out.write("{\"file\":\(Terminal.jsonString(file)),\"index\":null,\"id\":null,\"valid\":false,\"errors\":[{\"path\":\(Terminal.jsonString(path)),\"reason\":\(Terminal.jsonString(reason))}],\"warnings\":[]}\n")
        }
    }
}
