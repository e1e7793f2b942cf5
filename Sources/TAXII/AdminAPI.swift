import Foundation
import HTTPTypes
import Hummingbird
import STIX
import Store

/// The admin REST API at `/admin/` (JSON; described in docs/admin-api.yaml): organisations,
/// communities, collections, users, tokens, TLP:RED grants and the audit log.
///
/// Who may do what: the admins of the hub operator's organisation ("hub admins") manage the
/// whole directory; an organisation's own admins manage its users, tokens and private
/// collections. No one gets a read bypass: a hub admin may issue a token to another
/// organisation only while it has no live token (its onboarding), so the operator cannot mint
/// itself a way into a member's TLP:RED over the network. Every change is audited.
extension TAXIIServer {
    /// Adds the admin routes to `router`.
    func addAdminRoutes(to router: Router<AccordRequestContext>) {
        typealias Handler = @Sendable (Request, AccordRequestContext, Caller) async throws -> Response
        let routes: [(method: HTTPRequest.Method, path: String, handler: Handler)] = [
            (.get, "whoami", { _, _, caller in try await whoami(caller) }),
            (.get, "organisations", { _, _, caller in try await listOrganisations(caller) }),
            (.post, "organisations", { request, _, caller in try await createOrganisation(request, caller) }),
            (.get, "organisations/:organisation", { _, context, caller in try await showOrganisation(context.parameter("organisation"), caller) }),
            (.delete, "organisations/:organisation", { _, context, caller in try await removeOrganisation(context.parameter("organisation"), caller) }),
            (.get, "communities", { _, _, caller in try await listCommunities(caller) }),
            (.post, "communities", { request, _, caller in try await createCommunity(request, caller) }),
            (.put, "communities/:community/members/:organisation", { _, context, caller in
                try await setMembership(context.parameter("community"), context.parameter("organisation"), member: true, caller)
            }),
            (.delete, "communities/:community/members/:organisation", { _, context, caller in
                try await setMembership(context.parameter("community"), context.parameter("organisation"), member: false, caller)
            }),
            (.get, "collections", { _, _, caller in try await listCollections(caller) }),
            (.post, "collections", { request, _, caller in try await createCollection(request, caller) }),
            (.get, "users", { _, _, caller in try await listUsers(caller) }),
            (.post, "users", { request, _, caller in try await createUser(request, caller) }),
            (.delete, "users/:user", { _, context, caller in try await revokeUser(context.parameter("user"), caller) }),
            (.get, "tokens", { _, _, caller in try await listTokens(caller) }),
            (.post, "tokens", { request, _, caller in try await createToken(request, caller) }),
            (.delete, "tokens/:token", { _, context, caller in try await revokeToken(context.parameter("token"), caller) }),
            (.post, "shares", { request, _, caller in try await createShare(request, caller) }),
            (.get, "audit", { request, _, caller in try await auditTail(request, caller) }),
        ]
        router.add(middleware: AdminMethodGuard(routes: routes.map { ("/admin/" + $0.path, $0.method) } + [("/match", .post)]))
        for route in routes {
            router.on(RouterPath("admin/" + route.path), method: route.method) { request, context in
                await respond(request, context, negotiate: false, json: true) { caller in try await route.handler(request, context, caller) }
            }
        }
    }

    /// What an admin-API caller may reach: its organisation, and everything when it is a hub admin.
    struct AdminScope {
        let principal: Principal
        let organisation: String
        let hubAdmin: Bool

        /// Whether the caller manages `organisation`'s accounts.
        func manages(_ organisation: String) -> Bool { hubAdmin || organisation == self.organisation }

        /// An audit entry of a change the caller made.
        func audit(_ action: String, target: String?, detail: String? = nil) -> AuditEntry {
            AuditEntry(actor: principal.tokenID, organisation: organisation, action: action, target: target, detail: detail)
        }
    }

    /// Authenticates an admin-API caller with one of `roles` (401 without a live token, 403
    /// for another role).
    func adminScope(_ caller: Caller, roles: Set<Role> = [.admin]) async throws -> AdminScope {
        let principal = try await principal(of: caller)
        guard let organisation = principal.organisation, roles.contains(principal.role) else {
            throw TAXIIError(status: 403, title: "Forbidden",
                             description: "this token's role (\(principal.role.rawValue)) may not do this; it needs \(roles.map(\.rawValue).sorted().joined(separator: " or "))")
        }
        return AdminScope(principal: principal, organisation: organisation, hubAdmin: try await isHubAdmin(principal))
    }

    /// Whether a principal is an admin of the hub operator's organisation.
    func isHubAdmin(_ principal: Principal) async throws -> Bool {
        guard principal.role == .admin, let organisation = principal.organisation else { return false }
        return organisation == (try await store.operatorOrganisation().id)
    }

    /// A hub admin's scope, or 403.
    func hubAdminScope(_ caller: Caller, _ what: String) async throws -> AdminScope {
        let scope = try await adminScope(caller)
        guard scope.hubAdmin else {
            throw TAXIIError(status: 403, title: "Forbidden", description: "only admins of the hub operator's organisation may \(what)")
        }
        return scope
    }

    /// The JSON body of an admin request (`Content-Type: application/json`, at most 64 KiB).
    func adminBody(_ request: Request, allowed: [String]) async throws -> AdminBody {
        try AdminBody(Array(try await jsonBody(request, limit: 64 << 10, size: "64 KiB").readableBytesView), allowed: allowed)
    }

    /// The body of a JSON request outside TAXII: 415 unless sent as `application/json`, 413 past
    /// `limit` bytes (`size` names the limit for people).
    func jsonBody(_ request: Request, limit: Int, size: String) async throws -> ByteBuffer {
        let type = request.headers[.contentType]?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased()
        guard type == "application/json" else {
            throw TAXIIError(status: 415, title: "Unsupported media type", description: "send the body as application/json")
        }
        do { return try await request.body.collect(upTo: limit) } catch {
            throw TAXIIError(status: 413, title: "Content too large", description: "the body is at most \(size)")
        }
    }

    /// The current time in microseconds since the epoch.
    static var nowMicros: Int64 { Int64(Date().timeIntervalSince1970 * 1_000_000) }

    func whoami(_ caller: Caller) async throws -> Response {
        let principal = try await principal(of: caller)
        return try AdminResponse.json(AdminResources.Caller(tokenId: principal.tokenID, name: principal.name, role: principal.role.rawValue,
                                                           organisation: principal.organisation, hubAdmin: try await isHubAdmin(principal)))
    }

    func auditTail(_ request: Request, _ caller: Caller) async throws -> Response {
        _ = try await hubAdminScope(caller, "read the audit log")
        var limit = 50
        if let text = queryItems(request).last(where: { $0.name == "limit" })?.value {
            guard let n = Int(text), (1...1000).contains(n) else { throw TAXIIError.badRequest("limit must be an integer from 1 to 1000, not '\(text)'") }
            limit = n
        }
        let records = try await store.auditTail(limit).map(AdminResources.AuditRecord.init)
        return try AdminResponse.json(AdminResources.List(key: "records", items: records))
    }
}

extension AccordRequestContext {
    /// A path parameter, percent-decoded.
    func parameter(_ name: String) -> String {
        URLText.percentDecoded(Substring(parameters.get(name) ?? ""))
    }
}
