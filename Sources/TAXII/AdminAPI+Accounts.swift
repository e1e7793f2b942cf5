import Hummingbird
import STIX
import Store

/// Users, tokens and TLP:RED grants over the admin API.
extension TAXIIServer {
    func listUsers(_ caller: Caller) async throws -> Response {
        let scope = try await adminScope(caller)
        let visible = try await store.users().filter { scope.manages($0.organisation) }
        return try AdminResponse.json(AdminResources.List(key: "users", items: visible.map(AdminResources.User.init)))
    }

    func createUser(_ request: Request, _ caller: Caller) async throws -> Response {
        let scope = try await adminScope(caller)
        let body = try await adminBody(request, allowed: ["name", "email", "organisation", "role"])
        let name = try body.string("name", required: true, rule: AdminBody.hasVisibleCharacter)!
        let role = Role(rawValue: try body.choice("role", Role.allCases.map(\.rawValue), required: true)!)!
        let email = try body.string("email", maxLength: 320)
        let org = try await managedOrganisation(try body.string("organisation") ?? scope.organisation, scope)
        let user = try await store.createUser(name: name, email: email, organisation: org.id, role: role)
        try await store.appendAudit([scope.audit("user.add", target: user.id, detail: "\(name) (\(role.rawValue)) of \(org.name)")])
        return try AdminResponse.json(AdminResources.User(user), status: .created)
    }

    /// A user the caller manages, by id or name; 404 for any other.
    func managedUser(_ key: String, _ scope: AdminScope) async throws -> UserInfo {
        let matches = try await store.users().filter { scope.manages($0.organisation) && ($0.id == key || $0.name == key) }
        if let exact = matches.first(where: { $0.id == key }) { return exact }
        guard matches.count <= 1 else {
            throw TAXIIError(status: 409, title: "Conflict", description: "several users are named '\(key)'; use the id")
        }
        guard let user = matches.first else { throw TAXIIError(status: 404, title: "Not found", description: "no user with id or name '\(key)'") }
        return user
    }

    func revokeUser(_ key: String, _ caller: Caller) async throws -> Response {
        let scope = try await adminScope(caller)
        let target = try await managedUser(key, scope)
        if try await store.tokens().contains(where: { $0.id == scope.principal.tokenID && $0.user == target.id }) {
            throw TAXIIError(status: 409, title: "Conflict", description: "this token belongs to user '\(target.name)'; revoke them with another admin's token")
        }
        let user = try await store.revokeUser(target.id)
        try await store.appendAudit([scope.audit("user.revoke", target: user.id, detail: user.name)])
        return try AdminResponse.json(AdminResources.User(user))
    }

    func listTokens(_ caller: Caller) async throws -> Response {
        let scope = try await adminScope(caller)
        let now = Self.nowMicros
        let visible = try await store.tokens().filter { $0.organisation.map(scope.manages) ?? scope.hubAdmin }
        return try AdminResponse.json(AdminResources.List(key: "tokens", items: visible.map { AdminResources.Token($0, now: now) }))
    }

    /// Creates a machine token (`role`, optional `organisation`) or a user's token (`user`),
    /// answering its secret once.
    func createToken(_ request: Request, _ caller: Caller) async throws -> Response {
        let scope = try await adminScope(caller)
        let body = try await adminBody(request, allowed: ["name", "role", "organisation", "user", "expires_in_days"])
        let name = try body.string("name") ?? "token"
        let days = try body.integer("expires_in_days", in: 1...3650)
        let expires = days.map { Self.nowMicros + $0 * 86_400_000_000 }
        let roleName = try body.choice("role", Role.allCases.map(\.rawValue))
        let organisationKey = try body.string("organisation")
        let userKey = try body.string("user")
        // Either a user, or a role with an optional organisation (the schema's oneOf).
        if userKey != nil, roleName != nil { throw TAXIIError.badRequest("$.role: a user's tokens carry the user's role; give user or role, not both") }
        if userKey != nil, organisationKey != nil { throw TAXIIError.badRequest("$.organisation: a user's tokens belong to the user's organisation") }
        let id: String, secret: String, role: Role, org: Organisation
        if let userKey {
            let user = try await managedUser(userKey, scope)
            guard user.revoked == nil else { throw TAXIIError(status: 409, title: "Conflict", description: "user '\(user.name)' is revoked") }
            org = try await managedOrganisation(user.organisation, scope)
            try await checkIssuer(scope, for: org)
            (id, secret) = try await store.createToken(forUser: user.id, name: name, expires: expires)
            role = user.role
        } else {
            guard let roleName else { throw TAXIIError.badRequest("$.role: required unless user is given") }
            role = Role(rawValue: roleName)!
            org = try await managedOrganisation(organisationKey ?? scope.organisation, scope)
            try await checkIssuer(scope, for: org)
            (id, secret) = try await store.createToken(name: name, role: role, organisation: org.id, secret: nil, expires: expires)
        }
        try await store.appendAudit([scope.audit("token.create", target: id, detail: "\(name) for '\(org.name)' (\(role.rawValue))")])
        return try AdminResponse.json(AdminResources.NewToken(id: id, secret: secret, name: name, role: role.rawValue, organisation: org.id,
                                                             expires: expires.map { Timestamp(microseconds: $0).taxiiString }),
                                      status: .created)
    }

    /// Refuses a hub admin a token for another organisation that already has a live one: past
    /// its onboarding, only an organisation's own admins issue its tokens, so the operator has
    /// no way into a member's TLP:RED over the network.
    func checkIssuer(_ scope: AdminScope, for org: Organisation) async throws {
        guard org.id != scope.organisation else { return }
        let now = Self.nowMicros
        let live = try await store.tokens().contains { $0.organisation == org.id && $0.revoked == nil && ($0.expires.map { $0 > now } ?? true) }
        if live {
            throw TAXIIError(status: 403, title: "Forbidden",
                             description: "'\(org.name)' has live tokens; only its own admins issue more (hub admins issue an organisation's first token only)")
        }
    }

    func revokeToken(_ id: String, _ caller: Caller) async throws -> Response {
        let scope = try await adminScope(caller)
        guard let token = try await store.tokens().first(where: { $0.id == id }),
              token.organisation.map(scope.manages) ?? scope.hubAdmin else {
            throw TAXIIError(status: 404, title: "Not found", description: "no token '\(id)'")
        }
        // Revoking the calling token could lock the hub's last admin out; another token (or
        // `accord token revoke` at the console) revokes it.
        guard token.id != scope.principal.tokenID else {
            throw TAXIIError(status: 409, title: "Conflict", description: "a token cannot revoke itself; use another admin token or `accord token revoke`")
        }
        try await store.revokeToken(token.id)
        try await store.appendAudit([scope.audit("token.revoke", target: token.id, detail: token.name)])
        return AdminResponse.noContent
    }

    /// Names a recipient of the TLP:RED versions the caller's organisation owns of an object.
    func createShare(_ request: Request, _ caller: Caller) async throws -> Response {
        let scope = try await adminScope(caller, roles: [.admin, .editor])
        let body = try await adminBody(request, allowed: ["object_id", "organisation"])
        let objectID = try body.string("object_id", required: true, maxLength: 300) {
            AdminBody.looksLikeIdentifier($0) ? nil : "must be a STIX identifier (type--uuid)"
        }!
        let recipientKey = try body.string("organisation", required: true)!
        guard let recipient = try await store.organisation(recipientKey) else {
            throw TAXIIError(status: 404, title: "Not found", description: "no organisation with id or name '\(recipientKey)'")
        }
        do {
            try await store.share(objectID: objectID, owner: scope.organisation, with: recipient.id)
        } catch StoreError.unknown {
            throw TAXIIError(status: 404, title: "Not found", description: "your organisation holds no object '\(objectID)'")
        }
        try await store.appendAudit([scope.audit("object.share", target: objectID, detail: "RED versions shared with \(recipient.name)")])
        return try AdminResponse.json(AdminResources.Share(objectId: objectID.lowercased(), owner: scope.organisation, recipient: recipient.id),
                                      status: .created)
    }
}
