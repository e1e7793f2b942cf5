import ArgumentParser
import PostgresStore

/// The `accord` command line: a threat-intelligence sharing hub for STIX 2.1 over TAXII 2.1.
@main
struct Accord: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "accord",
        abstract: "Share STIX 2.1 threat intelligence between CERTs, agencies and companies.",
        discussion: """
            Accord keeps STIX 2.1 objects in a store (SQLite in ./accord-data by default), \
            validates everything it receives against the STIX 2.1 standard, and serves it \
            to partners.

            Typical first steps:
              accord validate feed.json          check a bundle without storing it
              accord import feed.json            store it (one transaction per bundle)
              accord stats                       see what the store holds
              accord export --type indicator     write a STIX bundle to standard output
              accord org add NAME --country KR   add a member organisation
              accord token create --org NAME --role reader   give it a token
              accord pattern parse PATTERN       check a STIX pattern
              accord kb status                   the bundled Korean Peninsula knowledge base
            """,
        version: "0.1.0",
        subcommands: [ServeCommand.self, ImportCommand.self, ExportCommand.self, ValidateCommand.self, StatsCommand.self,
                      OrgCommand.self, UserCommand.self, CommunityCommand.self, CollectionCommand.self, TokenCommand.self, ShareCommand.self,
                      AuditCommand.self, PatternCommand.self, MatchCommand.self, KnowledgeBaseCommand.self, ReportCommand.self,
                      MigrateCommand.self]
    )

    /// Runs the command; a database error is printed with the server's message, which
    /// PostgresNIO keeps out of its errors' descriptions.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: PostgresStore.databaseMessage(error).map { CommandFailure("the database refused: \($0)") } ?? error)
        }
    }
}
