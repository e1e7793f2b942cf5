import ArgumentParser
import Foundation
import STIX
import Store

/// `accord org add|list|remove`: the member organisations of the hub.
struct OrgCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "org", abstract: "Add, list and remove member organisations.",
        discussion: """
            Every token belongs to an organisation; the organisation of the token that submits \
            an object owns it (TLP:RED objects are readable by their owner and the organisations \
            it shares them with).

            Examples:
              accord org add "KrCERT/CC" --country KR --sector government
              accord org list
            """,
        subcommands: [Add.self, List.self, Remove.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add an organisation.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "Its unique name.") var name: String
        @Option(help: ArgumentHelp("ISO 3166-1 alpha-2 country code (KR, US, JP...).", valueName: "code")) var country: String
        @Option(help: "Sector (government, finance, energy, telecom...).") var sector = "unspecified"

        func validate() throws {
            guard country.count == 2, country.allSatisfy({ $0.isASCII && $0.isLetter }) else {
                throw ValidationError("--country must be a two-letter ISO 3166-1 code such as KR, not '\(country)'")
            }
            guard !name.trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError("the name must not be empty") }
        }

        func run() async throws {
            let db = try await store.open()
            let org = try await db.createOrganisation(name: name, country: country, sector: sector)
            try await db.auditCLI("org.add", target: org.id, detail: "\(name) (\(org.country), \(sector))")
            print("\(org.id)\t\(org.name)\t\(org.country)\t\(org.sector)\t\(org.identityID)")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List organisations (id, name, country, sector, STIX identity).")
        @OptionGroup var store: StoreOptions

        func run() async throws {
            for org in try await store.open(create: false).organisations() {
                print("\(org.id)\t\(org.name)\t\(org.country)\t\(org.sector)\t\(org.identityID)")
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove an organisation and its tokens (its objects stay, unreadable to others if RED).")
        @OptionGroup var store: StoreOptions
        @Argument(help: "Its id or name.") var organisation: String

        func run() async throws {
            let db = try await store.open(create: false)
            let org = try await db.requireOrganisation(organisation)
            try await db.removeOrganisation(org.id)
            try await db.auditCLI("org.remove", target: org.id, detail: org.name)
            Terminal.note("removed organisation '\(organisation)' and its tokens")
        }
    }
}

/// `accord community add|join|leave|list`: named sets of organisations.
struct CommunityCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "community", abstract: "Group organisations into communities that share collections.",
        discussion: """
            Examples:
              accord community add CAMP
              accord community join CAMP "KrCERT/CC"
              accord collection add camp-intel --community CAMP
            """,
        subcommands: [Add.self, Join.self, Leave.self, List.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a community.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "Its unique name.") var name: String

        func run() async throws {
            let db = try await store.open()
            let c = try await db.createCommunity(name: name)
            try await db.auditCLI("community.add", target: c.id, detail: name)
            print("\(c.id)\t\(c.name)")
        }
    }

    struct Join: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add an organisation to a community.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "Community id or name.") var community: String
        @Argument(help: "Organisation id or name.") var organisation: String

        func run() async throws {
            let db = try await store.open(create: false)
            try await db.setMembership(community: community, organisation: organisation, member: true)
            try await db.auditCLI("community.join", target: community, detail: organisation)
        }
    }

    struct Leave: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove an organisation from a community.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "Community id or name.") var community: String
        @Argument(help: "Organisation id or name.") var organisation: String

        func run() async throws {
            let db = try await store.open(create: false)
            try await db.setMembership(community: community, organisation: organisation, member: false)
            try await db.auditCLI("community.leave", target: community, detail: organisation)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List communities and their members.")
        @OptionGroup var store: StoreOptions

        func run() async throws {
            let db = try await store.open(create: false)
            let names = Dictionary(uniqueKeysWithValues: try await db.organisations().map { ($0.id, $0.name) })
            for c in try await db.communities() {
                print("\(c.id)\t\(c.name)\t\(c.members.map { names[$0] ?? $0 }.sorted().joined(separator: ", "))")
            }
        }
    }
}

/// `accord share OBJECT-ID --as OWNER --with ORG`: names a TLP:RED recipient.
struct ShareCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "share", abstract: "Let another organisation read an organisation's TLP:RED object.",
        discussion: """
            Example:
              accord share indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f --as "KrCERT/CC" --with "JPCERT/CC"
            """)
    @OptionGroup var store: StoreOptions
    @Argument(help: "The object's STIX id.") var object: String
    @Option(name: .customLong("as"), help: ArgumentHelp("The owner organisation (id or name).", valueName: "org")) var owner: String
    @Option(name: .customLong("with"), help: ArgumentHelp("The recipient organisation (id or name).", valueName: "org")) var recipient: String

    func run() async throws {
        let db = try await store.open(create: false)
        let owner = try await db.requireOrganisation(owner)
        try await db.share(objectID: object, owner: owner.id, with: recipient)
        try await db.auditCLI("object.share", target: object, detail: "RED versions of \(owner.name) shared with \(recipient)")
        Terminal.note("'\(recipient)' may now read the TLP:RED versions of \(object) owned by '\(owner.name)'")
    }
}
