import ArgumentParser
import Foundation
import Matching
import Patterning
import STIX

/// `accord pattern parse|match`: check STIX patterns and try them on observed data.
struct PatternCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pattern", abstract: "Check STIX patterns and evaluate them against observed data.",
        discussion: """
            Examples:
              accord pattern parse "[ipv4-addr:value ISSUBSET '198.51.100.0/24']"
              accord pattern match "[domain-name:value = 'evil.example']" sightings.json
              accord pattern parse < patterns.jsonl      # {"pattern": "..."} per line
              accord pattern match < pairs.jsonl         # {"pattern": "...", "observed": [...]} per line

            With no arguments both read JSON lines on standard input and answer one JSON line \
            per input line, in order: {"valid": true} or {"valid": false, "error": "..."}; \
            {"match": true|false} or {"error": "..."}.
            """,
        subcommands: [Parse.self, Match.self])

    struct Parse: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Say whether patterns parse; an error names the position and what was expected.")
        @Argument(help: "Patterns (none: JSON lines on standard input).") var patterns: [String] = []

        func run() throws {
            if patterns.isEmpty {
                try JSONLines.each { line, out in
                    guard let pattern = line["pattern"]?.stringValue else { out.write(#"{"error":"each line needs a \"pattern\" string"}"#); return }
                    do {
                        _ = try PatternParser.parse(pattern)
                        out.write(#"{"valid":true}"#)
                    } catch {
                        out.write(#"{"valid":false,"error":\#(Terminal.jsonString("\(error)"))}"#)
                    }
                }
                return
            }
            var failed = false
            for pattern in patterns {
                do {
                    _ = try PatternParser.parse(pattern)
                    print("valid: \(pattern)")
                } catch {
                    failed = true
                    Terminal.note("invalid: \(pattern)\n         \(String(repeating: " ", count: error.position))^ \(error.reason)")
                }
            }
            if failed { throw ExitCode(1) }
        }
    }

    struct Match: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Evaluate a pattern against observed-data (with the SCOs it references).")
        @Argument(help: "The pattern, then files holding observed-data and SCOs (a bundle, an envelope or a JSON list); none: JSON lines on standard input.")
        var arguments: [String] = []

        @Flag(help: "With JSON lines: print on standard error the time spent parsing patterns, building observations and evaluating (JSON reading and writing left out).")
        var timing = false

        @Flag(help: "With --timing: read every line first and evaluate them all once, untimed, before the timed pass (a benchmark's warm-up round: first-use costs of the runtime and a cold process are left out, as an in-process peer's later rounds leave them out).")
        var warmUp = false

        @Option(help: "With --timing: evaluate every line this many times (answering once) and report the time of one pass, averaged; a benchmark's long round, as exposed to other work on the host as a slower peer's round is.")
        var passes = 1

        func validate() throws {
            guard passes >= 1 else { throw ValidationError("--passes needs at least 1") }
            guard (passes == 1 && !warmUp) || timing else { throw ValidationError("--passes and --warm-up go with --timing") }
            guard arguments.isEmpty || !timing else {
                throw ValidationError("--timing, --warm-up and --passes time JSON lines on standard input; give no pattern argument")
            }
        }

        func run() throws {
            guard let pattern = arguments.first else {
                var spent = Duration.zero, evaluating = Duration.zero
                var pairs = 0
                let clock = ContinuousClock()
                // Rehearsals are passes whose answers are not written: the untimed warm-up
                // first, then every timed pass but the one that answers.
                let untimed = warmUp ? 1 : 0
                try JSONLines.each(rehearsals: untimed + passes - 1, rehearse: { line, rehearsal in
                    let (_, time) = Self.answer(line, clock)
                    if rehearsal >= untimed, let time { spent += time.whole; evaluating += time.evaluating }
                }) { line, out in
                    let (answer, time) = Self.answer(line, clock)
                    if let time {
                        spent += time.whole
                        evaluating += time.evaluating
                        pairs += 1
                    }
                    out.write(answer)
                }
                if timing {
                    func ms(_ d: Duration) -> String {
                        let total = Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
                        return String(format: "%.1f", total / Double(passes))
                    }
                    let how = passes > 1 ? " (a pass, the mean of \(passes))" : ""
                    Terminal.note("evaluated \(pairs) pairs in \(ms(spent)) ms\(how) (pattern parsing, observation building and evaluation); \(ms(evaluating)) ms of it building observations and evaluating prepared patterns")
                }
                return
            }
            let evaluator: PatternEvaluator
            do { evaluator = try PatternEvaluator(pattern: pattern) } catch {
                throw CommandFailure("the pattern does not parse: \(error)")
            }
            var objects: [JSONValue] = []
            for path in arguments.dropFirst() {
                guard let data = FileManager.default.contents(atPath: path) else { throw CommandFailure("cannot read \(path)") }
                let value: JSONValue
                do { value = try JSONParser.parse(Array(data)) } catch { throw CommandFailure("\(path): \(error)") }
                if let list = value.arrayValue { objects += list } else if let inner = value["objects"]?.arrayValue { objects += inner } else { objects.append(value) }
            }
            let matched: Bool
            do { matched = try evaluator.matches(Observation.from(objects)) } catch { throw CommandFailure("\(error)") }
            print(matched ? "match" : "no match")
            if !matched { throw ExitCode(1) }
        }

        /// The answer line for one `{"pattern", "observed"}` input line, with the time spent on it
        /// as a whole and on evaluating the prepared pattern (nil for a line that is no pair).
        static func answer(_ line: JSONValue, _ clock: ContinuousClock) -> (String, (whole: Duration, evaluating: Duration)?) {
            guard let pattern = line["pattern"]?.stringValue, let observed = line["observed"]?.arrayValue else {
                return (#"{"error":"each line needs \"pattern\" and an \"observed\" list"}"#, nil)
            }
            let started = clock.now
            let answer: String
            var evaluating = Duration.zero
            do {
                let evaluator = try PatternEvaluator(pattern: pattern)
                // A matcher prepares each pattern once and evaluates it many times:
                // evaluation alone is timed too.
                let prepared = clock.now
                answer = try evaluator.matches(Observation.from(observed)) ? #"{"match":true}"# : #"{"match":false}"#
                evaluating = clock.now - prepared
            } catch {
                answer = #"{"error":\#(Terminal.jsonString(Self.message(error)))}"#
            }
            return (answer, (clock.now - started, evaluating))
        }

        /// The reason an evaluation failed; the errors patterns and data throw are told apart
        /// by type, since describing an arbitrary error goes through the runtime's slow
        /// conformance checks (a few percent of evaluating a corpus with some failing pairs).
        static func message(_ error: any Error) -> String {
            switch error {
            case let e as PatternError: e.description
            case let e as ObservationError: e.description
            case let e as EvaluationError: e.description
            default: "\(error)"
            }
        }
    }
}

/// Reading JSON lines on standard input and answering one line each, in order.
enum JSONLines {
    /// Calls `answer` for each non-empty input line with its parsed value; a line that is not
    /// JSON gets an error line. With `rehearsals`, every line is read first and given to
    /// `rehearse` that many times (with the rehearsal's number, from 0), then to `answer`. Each
    /// time a line is parsed anew just before its call, as when answering as it is read: a
    /// value is met fresh from parsing, not cold from a store of every line.
    static func each(rehearsals: Int = 0, rehearse: (JSONValue, Int) -> Void = { _, _ in },
                     _ answer: (JSONValue, OutputBuffer) -> Void) throws {
        let out = OutputBuffer()
        func parsed(_ line: String) -> Result<JSONValue, any Error> { Result { try JSONParser.parse(Array(line.utf8)) } }
        func write(_ line: String) {
            switch parsed(line) {
            case .success(let value): answer(value, out)
            case .failure(let error): out.write(#"{"error":\#(Terminal.jsonString("the line is not JSON: \(error)"))}"#)
            }
            out.write("\n")
        }
        var lines: [String] = []
        while let line = readLine(strippingNewline: true) {
            if line.allSatisfy(\.isWhitespace) { continue }
            if rehearsals == 0 { write(line) } else { lines.append(line) }
        }
        for rehearsal in 0..<rehearsals {
            for line in lines { if case .success(let value) = parsed(line) { rehearse(value, rehearsal) } }
        }
        for line in lines { write(line) }
        out.flush()
    }
}
