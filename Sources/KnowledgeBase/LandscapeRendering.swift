import STIX

extension Landscape {
    /// The report as Markdown: one section per figure, tables a person can read in a terminal.
    public func markdown(title: String = "Cyber landscape report") -> String {
        var out = "# \(title)\n\n"
        out += "\(incidentCount) incidents, \(actors.count) attributed actors, \(instrumentCount) cooperation instruments, \(states.count) states.\n"
        for section in sections() {
            out += "\n## \(section.title)\n\n"
            if let note = section.note { out += note + "\n\n" }
            guard !section.rows.isEmpty else { out += "(none)\n"; continue }
            out += "| " + section.header.joined(separator: " | ") + " |\n"
            out += "|" + section.header.map { _ in " --- |" }.joined() + "\n"
            for row in section.rows { out += "| " + row.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |\n" }
        }
        return out
    }

    /// The report as a self-contained HTML page (no script, no external resource).
    public func html(title: String = "Cyber landscape report") -> String {
        func esc(_ s: String) -> String {
            s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
        }
        var out = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(esc(title))</title>
            <style>body{font:16px/1.5 system-ui,sans-serif;max-width:72rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b;background:#fff}
            table{border-collapse:collapse;margin:0 0 2rem}th,td{border:1px solid #999;padding:.25rem .5rem;text-align:left}
            td.n{text-align:right}@media (prefers-color-scheme:dark){body{color:#eee;background:#161616}th,td{border-color:#666}}</style>
            </head><body><main><h1>\(esc(title))</h1>
            <p>\(incidentCount) incidents, \(actors.count) attributed actors, \(instrumentCount) cooperation instruments, \(states.count) states.</p>

            """
        for section in sections() {
            out += "<section><h2>\(esc(section.title))</h2>\n"
            if let note = section.note { out += "<p>\(esc(note))</p>\n" }
            if section.rows.isEmpty { out += "<p>(none)</p></section>\n"; continue }
            out += "<table><thead><tr>" + section.header.map { "<th scope=\"col\">\(esc($0))</th>" }.joined() + "</tr></thead><tbody>\n"
            for row in section.rows {
                out += "<tr>" + row.enumerated().map { i, cell in
                    i == 0 ? "<th scope=\"row\">\(esc(cell))</th>" : (Double(cell.replacingOccurrences(of: ",", with: "")) != nil ? "<td class=\"n\">\(esc(cell))</td>" : "<td>\(esc(cell))</td>")
                }.joined() + "</tr>\n"
            }
            out += "</tbody></table></section>\n"
        }
        return out + "</main></body></html>\n"
    }

    /// The figures as JSON, for scripts (and for tests that recompute them independently).
    public func json() -> [UInt8] {
        func int(_ n: Int) -> JSONValue { .number(JSONNumber(text: String(n))) }
        func num(_ d: Double) -> JSONValue { .number(JSONNumber(text: Self.plain(d))) }
        func obj(_ members: [(String, JSONValue)]) -> JSONValue { .object(JSONObject(members)) }
        let value = obj([
            ("incidents", int(incidentCount)),
            ("instruments", int(instrumentCount)),
            ("incidents_by_year", .array(incidentsByYear.map { y in
                obj([("year", .string(y.year)), ("incidents", int(y.incidents)),
                     ("by_type", obj(y.byType.sorted { $0.key < $1.key }.map { ($0.key, int($0.value)) }))])
            })),
            ("losses", .array(losses.map { l in
                obj([("year", .string(l.year)), ("currency", .string(l.currency)), ("amount", num(l.amount)), ("cumulative", num(l.cumulative))])
            })),
            ("actors", .array(actors.map { a in
                obj([("id", .string(a.id)), ("name", .string(a.name)), ("type", .string(a.type)), ("incidents", .array(a.incidents.map(JSONValue.string)))])
            })),
            ("attributions_by_basis", obj(attributionsByBasis.map { ($0.basis, int($0.count)) })),
            ("states", .array(states.map { s in
                obj([("id", .string(s.id)), ("name", .string(s.name)), ("country", s.country.map(JSONValue.string) ?? .null),
                     ("participating", int(s.participating)),
                     ("instruments", .array(s.instruments.map { p in
                         obj([("id", .string(p.instrumentID)), ("name", .string(p.instrument)), ("instrument_type", .string(p.instrumentType)),
                              ("status", .string(p.status)), ("via", p.via.map(JSONValue.string) ?? .null)])
                     }))])
            })),
        ])
        return CanonicalJSON.bytes(of: value) + [0x0A]
    }

    /// A titled table of the report.
    struct Section {
        var title: String
        var note: String?
        var header: [String]
        var rows: [[String]]
    }

    func sections() -> [Section] {
        let types = incidentTypes
        var out: [Section] = []
        out.append(Section(title: "Incidents per year and type",
                           note: "By the year an incident began; an incident of several types counts once under each type.",
                           header: ["Year", "Incidents"] + types,
                           rows: incidentsByYear.map { y in [y.year, String(y.incidents)] + types.map { String(y.byType[$0] ?? 0) } }))
        out.append(Section(title: "Reported losses", note: "Sums of the loss figures incidents report, by the year they began, with the running total.",
                           header: ["Year", "Currency", "Reported", "Cumulative"],
                           rows: losses.map { [$0.year, $0.currency, Self.grouped($0.amount), Self.grouped($0.cumulative)] }))
        out.append(Section(title: "Actors by number of incidents", note: nil, header: ["Actor", "Type", "Incidents"],
                           rows: actors.map { [$0.name, $0.type, String($0.incidents.count)] }))
        out.append(Section(title: "Attributions by basis", note: nil, header: ["Basis", "Attributions"],
                           rows: attributionsByBasis.map { [$0.basis, String($0.count)] }))
        out.append(Section(title: "Cooperation instruments per state",
                           note: "Instruments where the state (or an identity of its country) is more than a non-party or an opponent.",
                           header: ["State", "Instruments"], rows: states.map { [$0.name, String($0.participating)] }))
        out.append(Section(title: "Which states are parties to which instruments", note: nil, header: ["State", "Instrument", "Type", "Status"],
                           rows: states.flatMap { s in
                               s.instruments.map { [s.name, $0.instrument, $0.instrumentType, $0.status + ($0.via.map { " (via \($0))" } ?? "")] }
                           }))
        return out
    }

    /// A number without exponent or needless fraction.
    static func plain(_ d: Double) -> String {
        d.rounded() == d && abs(d) < 9e15 ? String(Int64(d)) : String(d)
    }

    /// A whole amount with thousands separators (3,000,000,000).
    public static func grouped(_ d: Double) -> String {
        let digits = plain(d.rounded())
        let negative = digits.hasPrefix("-")
        var chars = Array(negative ? String(digits.dropFirst()) : digits)
        var i = chars.count - 3
        while i > 0 { chars.insert(",", at: i); i -= 3 }
        return (negative ? "-" : "") + String(chars)
    }
}
