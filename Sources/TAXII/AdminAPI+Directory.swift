import Hummingbird
import STIX
import Store

/// Organisations, communities and collections over the admin API.
extension TAXIIServer {
    func listOrganisations(_ caller: Caller) async throws -> Response {
        let scope = try await adminScope(caller)
        let visible = try await store.organisations().filter { scope.manages($0.id) }
        return try AdminResponse.json(AdminResources.List(key: "organisations", items: visible.map(AdminResources.Organisation.init)))
    }

    func createOrganisation(_ request: Request, _ caller: Caller) async throws -> Response {
        let scope = try await hubAdminScope(caller, "add organisations")
        let body = try await adminBody(request, allowed: ["name", "country", "sector"])
        let name = try body.string("name", required: true, rule: AdminBody.hasVisibleCharacter)!
        let country = try body.string("country", required: true, maxLength: 2) {
            $0.unicodeScalars.count == 2 && $0.unicodeScalars.allSatisfy(AdminBody.isASCIILetter) ? nil : "must be a two-letter ISO 3166-1 code such as KR"
        }!
        let sector = try body.string("sector", maxLength: 100) ?? "unspecified"
        let org = try await store.createOrganisation(name: name, country: country, sector: sector)
        try await store.appendAudit([scope.audit("org.add", target: org.id, detail: "\(name) (\(org.country), \(sector))")])
        return try AdminResponse.json(AdminResources.Organisation(org), status: .created)
    }

    /// An organisation the caller manages; any other is as absent as an unknown one.
    func managedOrganisation(_ key: String, _ scope: AdminScope) async throws -> Organisation {
        guard let org = try await store.organisation(key), scope.manages(org.id) else {
            throw TAXIIError(status: 404, title: "Not found", description: "no organisation with id or name '\(key)'")
        }
        return org
    }

    func showOrganisation(_ key: String, _ caller: Caller) async throws -> Response {
        try AdminResponse.json(AdminResources.Organisation(try await managedOrganisation(key, adminScope(caller))))
    }

    func removeOrganisation(_ key: String, _ caller: Caller) async throws -> Response {
        let scope = try await hubAdminScope(caller, "remove organisations")
        let org = try await managedOrganisation(key, scope)
        guard org.id != scope.organisation else {
            throw TAXIIError(status: 409, title: "Conflict", description: "the hub operator's organisation cannot be removed")
        }
        try await store.removeOrganisation(org.id)
        try await store.appendAudit([scope.audit("org.remove", target: org.id, detail: org.name)])
        return AdminResponse.noContent
    }

    func listCommunities(_ caller: Caller) async throws -> Response {
        let scope = try await adminScope(caller)
        let visible = try await store.communities().filter { scope.hubAdmin || $0.members.contains(scope.organisation) }
        return try AdminResponse.json(AdminResources.List(key: "communities", items: visible.map(AdminResources.Community.init)))
    }

    func createCommunity(_ request: Request, _ caller: Caller) async throws -> Response {
        let scope = try await hubAdminScope(caller, "add communities")
        let body = try await adminBody(request, allowed: ["name"])
        let community = try await store.createCommunity(name: try body.string("name", required: true, rule: AdminBody.hasVisibleCharacter)!)
        try await store.appendAudit([scope.audit("community.add", target: community.id, detail: community.name)])
        return try AdminResponse.json(AdminResources.Community(community), status: .created)
    }

    func setMembership(_ communityKey: String, _ organisationKey: String, member: Bool, _ caller: Caller) async throws -> Response {
        let scope = try await hubAdminScope(caller, "change communities")
        let community = try await community(communityKey)
        let org = try await managedOrganisation(organisationKey, scope)
        try await store.setMembership(community: community.id, organisation: org.id, member: member)
        try await store.appendAudit([scope.audit(member ? "community.join" : "community.leave", target: community.id, detail: org.name)])
        return AdminResponse.noContent
    }

    /// A community by id or name, or 404.
    func community(_ key: String) async throws -> Community {
        guard let found = try await store.communities().first(where: { $0.id == key || $0.name == key }) else {
            throw TAXIIError(status: 404, title: "Not found", description: "no community with id or name '\(key)'")
        }
        return found
    }

    func listCollections(_ caller: Caller) async throws -> Response {
        let scope = try await adminScope(caller)
        let access = try await collectionAccess(scope.principal)
        let visible = try await store.collections().filter { scope.hubAdmin || access.reach($0) != nil }
        return try AdminResponse.json(AdminResources.List(key: "collections", items: visible.map(AdminResources.Collection.init)))
    }

    /// Creates a collection: hub admins any kind; an organisation's admins only one private to it.
    func createCollection(_ request: Request, _ caller: Caller) async throws -> Response {
        let scope = try await adminScope(caller)
        let body = try await adminBody(request, allowed: ["alias", "title", "description", "visibility", "community", "organisation", "default_tlp"])
        let alias = try body.string("alias", required: true, maxLength: 64) {
            $0.utf8.allSatisfy { c in (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c == 0x2d || c == 0x5f } ? nil
                : "use 1-64 characters of a-z, 0-9, '-' and '_'"
        }!
        let title = try body.string("title") ?? alias
        let description = try body.string("description", maxLength: 2000, lines: true)
        let kind = try body.choice("visibility", ["public", "community", "private"], required: true)!
        let level = AdminResources.level(named: try body.choice("default_tlp", AdminResources.levelNames) ?? "green")!
        let communityKey = try body.string("community")
        let organisationKey = try body.string("organisation")
        // Each kind takes exactly its own owner field (the schema's oneOf).
        if kind != "community", communityKey != nil { throw TAXIIError.badRequest("$.community: only with visibility 'community'") }
        if kind != "private", organisationKey != nil { throw TAXIIError.badRequest("$.organisation: only with visibility 'private'") }
        let visibility: CollectionVisibility
        switch kind {
        case "community":
            guard let communityKey else { throw TAXIIError.badRequest("$.community: required with visibility 'community'") }
            visibility = .community(try await community(communityKey).id)
        case "private":
            visibility = .privateTo(try await managedOrganisation(organisationKey ?? scope.organisation, scope).id)
        default:
            visibility = .public
        }
        if !scope.hubAdmin, visibility != .privateTo(scope.organisation) {
            throw TAXIIError(status: 403, title: "Forbidden",
                             description: "an organisation's admins create only collections private to it; ask the hub operator for public and community ones")
        }
        let c = try await store.createCollection(alias: alias, title: title, description: description, visibility: visibility, defaultLevel: level)
        try await store.appendAudit([scope.audit("collection.add", target: c.id, detail: "\(alias), \(kind), default \(c.defaultLevel)")])
        return try AdminResponse.json(AdminResources.Collection(c), status: .created)
    }
}
