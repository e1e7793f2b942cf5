import ArgumentParser
import Foundation
import STIX
import Store

/// `accord token create|list|revoke`: secrets for users and machines.
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Create, list and revoke access tokens.",
        discussion: """
            A token is 256 random bits, shown once when created; the hub keeps only its \
            SHA-256. Clients send it as HTTP Basic password, 'Authorization: Bearer <token>' or \
            'Authorization: Token <token>'.

            Examples:
              accord token create --org "KrCERT/CC" --role editor --name "feed uploader"
              accord token create --user kim.analyst --expires-in-days 30
              accord token create --org "JPCERT/CC" --role reader --expires-in-days 90
              accord token revoke 6f1c...
            """,
        subcommands: [Create.self, List.self, Revoke.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a token and print its secret once.")
        @OptionGroup var store: StoreOptions
        @Option(help: ArgumentHelp("A machine token of this organisation (id or name); needs --role.", valueName: "org")) var org: String?
        @Option(help: ArgumentHelp("admin, editor, reader or sync (machine tokens).", valueName: "role")) var role: String?
        @Option(help: ArgumentHelp("A token of this user (id or name): their organisation and role.", valueName: "user")) var user: String?
        @Option(help: "A name for logs and lists.") var name = "token"
        @Option(name: .customLong("expires-in-days"), help: ArgumentHelp("Expire after this many days.", valueName: "days")) var days: Int?

        func validate() throws {
            guard (user == nil) != (org == nil) else { throw ValidationError("give either --user, or --org with --role") }
            if org != nil {
                guard let role, Role(rawValue: role) != nil else {
                    throw ValidationError("--role must be admin, editor, reader or sync, not '\(role ?? "")'")
                }
            } else if role != nil {
                throw ValidationError("a user's tokens carry the user's role; --role goes with --org")
            }
            if let days, days <= 0 { throw ValidationError("--expires-in-days must be positive") }
        }

        func run() async throws {
            let db = try await store.open()
            let expires = days.map { Int64((Date().timeIntervalSince1970 + Double($0) * 86_400) * 1_000_000) }
            let id: String, secret: String, owner: String
            if let user {
                let matches = try await db.users().filter { $0.id == user || $0.name == user }
                guard matches.count == 1, let found = matches.first, found.revoked == nil else {
                    throw CommandFailure(matches.count > 1 ? "several users are named '\(user)': use the id (see `accord user list`)"
                                                           : "no active user with id or name '\(user)' (see `accord user list`)")
                }
                (id, secret) = try await db.createToken(forUser: found.id, name: name, expires: expires)
                owner = "user \(found.name) (\(found.role.rawValue))"
            } else {
                let organisation = try await db.requireOrganisation(org ?? "")
                (id, secret) = try await db.createToken(name: name, role: Role(rawValue: role ?? "")!, organisation: organisation.id,
                                                        secret: nil, expires: expires)
                owner = "'\(organisation.name)' (\(role ?? ""))"
            }
            try await db.auditCLI("token.create", target: id, detail: "\(name) for \(owner)")
            Terminal.note("token \(id) for \(owner); the secret below is shown once, only its hash is kept")
            print(secret)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List tokens (id, name, role, organisation, state); never secrets.")
        @OptionGroup var store: StoreOptions

        func run() async throws {
            let db = try await store.open(create: false)
            let names = Dictionary(uniqueKeysWithValues: try await db.organisations().map { ($0.id, $0.name) })
            let now = Int64(Date().timeIntervalSince1970 * 1_000_000)
            for t in try await db.tokens() {
                let state = t.revoked != nil ? "revoked" : (t.expires.map { $0 <= now } ?? false) ? "expired" : "active"
                print("\(t.id)\t\(t.name)\t\(t.role.rawValue)\t\(t.organisation.flatMap { names[$0] } ?? "-")\t\(state)")
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a token at once.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The token id (from `accord token list`).") var id: String

        func run() async throws {
            let db = try await store.open(create: false)
            try await db.revokeToken(id)
            try await db.auditCLI("token.revoke", target: id)
            Terminal.note("revoked token \(id)")
        }
    }
}

/// `accord user add|list|revoke`: the people of member organisations.
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Add, list and revoke users (people) of member organisations.",
        discussion: """
            A user belongs to one organisation with one role; their tokens carry both. Revoking a \
            user revokes every token of theirs at once.

            Examples:
              accord user add kim.analyst --org "KrCERT/CC" --role reader --email kim@example.kr
              accord token create --user kim.analyst
              accord user revoke kim.analyst
            """,
        subcommands: [Add.self, List.self, Revoke.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a user.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "Name, unique within the organisation.") var name: String
        @Option(help: ArgumentHelp("Their organisation (id or name).", valueName: "org")) var org: String
        @Option(help: ArgumentHelp("admin, editor, reader or sync.", valueName: "role")) var role: String
        @Option(help: "Contact address.") var email: String?

        func validate() throws {
            guard Role(rawValue: role) != nil else { throw ValidationError("--role must be admin, editor, reader or sync, not '\(role)'") }
            guard !name.trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError("the name must not be empty") }
        }

        func run() async throws {
            let db = try await store.open()
            let user = try await db.createUser(name: name, email: email, organisation: org, role: Role(rawValue: role)!)
            try await db.auditCLI("user.add", target: user.id, detail: "\(name) (\(role)) of \(user.organisation)")
            print("\(user.id)\t\(user.name)")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List users (id, name, organisation, role, email, state).")
        @OptionGroup var store: StoreOptions

        func run() async throws {
            let db = try await store.open(create: false)
            let names = Dictionary(uniqueKeysWithValues: try await db.organisations().map { ($0.id, $0.name) })
            for u in try await db.users() {
                print("\(u.id)\t\(u.name)\t\(names[u.organisation] ?? u.organisation)\t\(u.role.rawValue)\t\(u.email ?? "-")\t\(u.revoked == nil ? "active" : "revoked")")
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a user and all their tokens at once.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The user's id or name.") var user: String

        func run() async throws {
            let db = try await store.open(create: false)
            let revoked = try await db.revokeUser(user)
            try await db.auditCLI("user.revoke", target: revoked.id, detail: revoked.name)
            Terminal.note("revoked user \(revoked.name) and their tokens")
        }
    }
}

/// `accord collection add|list`: who sees which collection.
struct CollectionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "collection", abstract: "Add and list collections and who may see them.",
        discussion: """
            A collection is public (every organisation; anonymous clients get its TLP:CLEAR \
            objects where allowed), owned by a community, or private to one organisation. \
            Objects without a TLP marking count as the collection's default level.

            Examples:
              accord collection add camp-intel --community CAMP --title "CAMP shared intelligence"
              accord collection add krcert-private --private "KrCERT/CC" --default-tlp amber
            """,
        subcommands: [Add.self, List.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a collection.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "Alias: 1-64 characters of a-z, 0-9, '-' and '_'.") var alias: String
        @Option(help: "Title shown to clients (default: the alias).") var title: String?
        @Option(help: "Description.") var description: String?
        @Option(help: ArgumentHelp("Owned by this community (id or name).", valueName: "community")) var community: String?
        @Option(name: .customLong("private"), help: ArgumentHelp("Private to this organisation (id or name).", valueName: "org")) var privateTo: String?
        @Option(name: .customLong("default-tlp"), help: ArgumentHelp("clear, green, amber, amber+strict or red.", valueName: "level")) var defaultTLP = "green"

        func validate() throws {
            guard StoreOptions.isAlias(alias) else {
                throw ValidationError("'\(alias)' is not a collection alias: use 1-64 characters of a-z, 0-9, '-' and '_'")
            }
            guard community == nil || privateTo == nil else { throw ValidationError("--community and --private exclude each other") }
            guard Self.level(defaultTLP) != nil else { throw ValidationError("--default-tlp must be clear, green, amber, amber+strict or red") }
        }

        static func level(_ name: String) -> TLP? {
            TLP.allCases.first { $0.description.lowercased() == "tlp:" + name.lowercased() }
        }

        func run() async throws {
            let db = try await store.open()
            var visibility = CollectionVisibility.public
            if let community {
                guard let found = try await db.communities().first(where: { $0.id == community || $0.name == community }) else {
                    throw CommandFailure("no community with id or name '\(community)' (see `accord community list`)")
                }
                visibility = .community(found.id)
            } else if let privateTo {
                visibility = .privateTo(try await db.requireOrganisation(privateTo).id)
            }
            let c = try await db.createCollection(alias: alias, title: title ?? alias, description: description,
                                                  visibility: visibility, defaultLevel: Self.level(defaultTLP)!)
            try await db.auditCLI("collection.add", target: c.id, detail: "\(alias), \(visibility), default \(c.defaultLevel)")
            print("\(c.id)\t\(c.alias)")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List collections (id, alias, visibility, default level).")
        @OptionGroup var store: StoreOptions

        func run() async throws {
            let db = try await store.open(create: false)
            let orgs = Dictionary(uniqueKeysWithValues: try await db.organisations().map { ($0.id, $0.name) })
            let communities = Dictionary(uniqueKeysWithValues: try await db.communities().map { ($0.id, $0.name) })
            for c in try await db.collections() {
                let who: String
                switch c.visibility {
                case .public: who = "public"
                case .community(let id): who = "community " + (communities[id] ?? id)
                case .privateTo(let id): who = "private to " + (orgs[id] ?? id)
                }
                print("\(c.id)\t\(c.alias)\t\(who)\t\(c.defaultLevel)")
            }
        }
    }
}
