import STIX

/// The figures of the landscape report, computed from STIX objects (never from prose): incidents
/// per year and type, reported losses, actors by incidents, attributions by basis, and the
/// cooperation instruments of each state.
///
/// Counting rules (docs/knowledge-model.md repeats them): an incident counts in the year of its
/// `first_seen` and once per incident type; losses are summed per currency in that year; an
/// actor's incidents are those attributed to it by the incident extension or by an
/// `attributed-to` relationship; a state takes part in an instrument as a party itself, or
/// through an identity of its country (an agency, say), shown as "via".
public struct Landscape: Sendable {
    /// Incidents that began in a year, per incident type.
    public struct YearTypes: Sendable, Equatable {
        /// The year, four digits.
        public var year: String
        /// Incidents that began in it.
        public var incidents: Int
        /// The same, per incident type (an incident of two types counts in both).
        public var byType: [String: Int]
    }

    /// Reported losses of one currency in a year, and the running total.
    public struct Loss: Sendable, Equatable {
        /// The year, four digits.
        public var year: String
        /// ISO 4217 code.
        public var currency: String
        /// Losses of incidents that began that year.
        public var amount: Double
        /// Losses up to and including that year.
        public var cumulative: Double
    }

    /// An actor and the incidents attributed to it.
    public struct Actor: Sendable, Equatable {
        /// STIX id.
        public var id: String
        /// Its name.
        public var name: String
        /// Its STIX type (intrusion-set, threat-actor, identity).
        public var type: String
        /// Ids of the incidents attributed to it.
        public var incidents: [String]
    }

    /// One instrument a state takes part in.
    public struct Participation: Sendable, Equatable {
        /// The cyber-instrument's id.
        public var instrumentID: String
        /// Its name.
        public var instrument: String
        /// Its `instrument_type`.
        public var instrumentType: String
        /// The party's status (party, signatory, member, not-party...).
        public var status: String
        /// The identity through which the state takes part, when not the state itself.
        public var via: String?
    }

    /// A state and its instruments.
    public struct State: Sendable, Equatable {
        /// The state's identity id.
        public var id: String
        /// Its name.
        public var name: String
        /// ISO 3166-1 alpha-2 code.
        public var country: String?
        /// Its instruments, by name.
        public var instruments: [Participation]
        /// Instruments where it is more than a non-party or an opponent.
        public var participating: Int { Set(instruments.filter { !["not-party", "opposed"].contains($0.status) }.map(\.instrumentID)).count }
    }

    /// Incidents per year, oldest first.
    public var incidentsByYear: [YearTypes] = []
    /// Reported losses per currency and year.
    public var losses: [Loss] = []
    /// Actors, most incidents first.
    public var actors: [Actor] = []
    /// Attributions per basis (government, industry, un-panel...), most first.
    public var attributionsByBasis: [(basis: String, count: Int)] = []
    /// States, most instruments first.
    public var states: [State] = []
    /// Incidents that carry the incident extension.
    public var incidentCount = 0
    /// Cyber-instruments.
    public var instrumentCount = 0

    /// Computes the figures from the latest version of each object.
    public init(objects: [JSONObject]) {
        var byID: [String: JSONObject] = [:]
        for o in objects {
            guard let id = o["id"]?.stringValue else { continue }
            if let old = byID[id], (old["modified"]?.stringValue ?? "") >= (o["modified"]?.stringValue ?? "") { continue }
            byID[id] = o
        }
        func name(_ id: String) -> String { byID[id]?["name"]?.stringValue ?? id }
        func ext(_ o: JSONObject, _ extID: String) -> JSONObject? { o["extensions"]?[extID]?.objectValue }

        let incidents = byID.values.filter { $0["type"]?.stringValue == "incident" }.compactMap { o -> (String, JSONObject)? in
            guard let id = o["id"]?.stringValue, let details = ext(o, KnowledgeBase.incidentExtensionID) else { return nil }
            return (id, details)
        }.sorted { $0.0 < $1.0 }
        incidentCount = incidents.count

        var years: [String: YearTypes] = [:]
        var lossSums: [String: [String: Double]] = [:]  // currency -> year -> amount
        var basis: [String: Int] = [:]
        var actorIncidents: [String: Set<String>] = [:]
        for (id, details) in incidents {
            guard let year = details["first_seen"]?.stringValue?.prefix(4).description, year.count == 4 else { continue }
            var entry = years[year] ?? YearTypes(year: year, incidents: 0, byType: [:])
            entry.incidents += 1
            for case .string(let t) in details["incident_types"]?.arrayValue ?? [] { entry.byType[t, default: 0] += 1 }
            years[year] = entry
            if let impact = details["impact"]?.objectValue, let amount = impact["loss_amount"]?.numberValue?.double,
               let currency = impact["loss_currency"]?.stringValue {
                lossSums[currency, default: [:]][year, default: 0] += amount
            }
            for case .object(let a) in details["attributions"]?.arrayValue ?? [] {
                if let b = a["basis"]?.stringValue { basis[b, default: 0] += 1 }
                if let actor = a["attributed_to_ref"]?.stringValue { actorIncidents[actor, default: []].insert(id) }
            }
        }
        let incidentIDs = Set(incidents.map(\.0))
        for o in byID.values where o["type"]?.stringValue == "relationship" && o["relationship_type"]?.stringValue == "attributed-to" {
            if let source = o["source_ref"]?.stringValue, incidentIDs.contains(source), let target = o["target_ref"]?.stringValue {
                actorIncidents[target, default: []].insert(source)
            }
        }
        incidentsByYear = years.values.sorted { $0.year < $1.year }
        for (currency, perYear) in lossSums.sorted(by: { $0.key < $1.key }) {
            var running = 0.0
            for (year, amount) in perYear.sorted(by: { $0.key < $1.key }) {
                running += amount
                losses.append(Loss(year: year, currency: currency, amount: amount, cumulative: running))
            }
        }
        actors = actorIncidents.map { Actor(id: $0.key, name: name($0.key), type: byID[$0.key]?["type"]?.stringValue ?? "unknown", incidents: $0.value.sorted()) }
            .sorted { ($0.incidents.count, $1.name) > ($1.incidents.count, $0.name) }
        attributionsByBasis = basis.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { ($0.key, $0.value) }

        // States, and the identities that stand for a state's country.
        var stateOfCountry: [String: String] = [:]
        var countryOf: [String: String] = [:]
        var stateIDs: [String] = []
        for o in byID.values where o["type"]?.stringValue == "identity" {
            guard let id = o["id"]?.stringValue, let details = ext(o, KnowledgeBase.identityExtensionID) else { continue }
            if let country = details["country"]?.stringValue { countryOf[id] = country }
            if details["actor_kind"]?.stringValue == "state" {
                stateIDs.append(id)
                if let country = details["country"]?.stringValue { stateOfCountry[country] = id }
            }
        }
        var participations: [String: [Participation]] = [:]
        let instruments = byID.values.filter { $0["type"]?.stringValue == KnowledgeBase.instrumentType }
        instrumentCount = instruments.count
        for o in instruments {
            guard let id = o["id"]?.stringValue else { continue }
            for case .object(let p) in o["parties"]?.arrayValue ?? [] {
                guard let party = p["party_ref"]?.stringValue, let status = p["status"]?.stringValue else { continue }
                let entry = Participation(instrumentID: id, instrument: name(id), instrumentType: o["instrument_type"]?.stringValue ?? "", status: status, via: nil)
                if stateIDs.contains(party) {
                    participations[party, default: []].append(entry)
                } else if let country = countryOf[party], let state = stateOfCountry[country] {
                    var indirect = entry
                    indirect.via = name(party)
                    participations[state, default: []].append(indirect)
                }
            }
        }
        states = stateIDs.map { id in
            State(id: id, name: name(id), country: countryOf[id],
                  instruments: (participations[id] ?? []).sorted { ($0.instrument, $0.via ?? "") < ($1.instrument, $1.via ?? "") })
        }.sorted { ($0.participating, $1.name) > ($1.participating, $0.name) }
    }

    /// Every incident type that occurs, sorted.
    public var incidentTypes: [String] { Set(incidentsByYear.flatMap(\.byType.keys)).sorted() }
}
