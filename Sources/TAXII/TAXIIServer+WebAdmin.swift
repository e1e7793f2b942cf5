import Foundation
import HTTPTypes
import Hummingbird
import STIX
import Store
import Web

/// The admin pages at `/manage`: the admin API's operations as tables and forms. Each form is
/// turned into the admin API's own JSON request and handled by the same function, so the web
/// pages get exactly the API's rules (who may do what), validation messages and audit records.
extension TAXIIServer {
    /// A form on the admin page: the API operation it becomes and its fields.
    struct AdminForm {
        var action: String
        var legend: String
        var button: String
        var fields: [(name: String, label: String, choices: [String]?)]
    }

    static var adminForms: [AdminForm] {
        let roles = ["reader", "editor", "sync", "admin"]
        return [
            AdminForm(action: "tokens", legend: "Create a token", button: "Create token",
                      fields: [("name", "Name", nil), ("role", "Role", roles), ("organisation", "Organisation (hub admins; name or id)", nil),
                               ("user", "User (optional; name or id)", nil), ("expires_in_days", "Expires in days (optional)", nil)]),
            AdminForm(action: "users", legend: "Add a user", button: "Add user",
                      fields: [("name", "Name", nil), ("email", "Email (optional)", nil), ("role", "Role", roles), ("organisation", "Organisation (hub admins)", nil)]),
            AdminForm(action: "collections", legend: "Create a collection", button: "Create collection",
                      fields: [("alias", "Alias", nil), ("title", "Title", nil), ("visibility", "Visibility", ["private", "community", "public"]),
                               ("community", "Community (for community collections)", nil), ("default_tlp", "Default TLP", ["green", "clear", "amber", "amber+strict", "red"])]),
            AdminForm(action: "organisations", legend: "Add an organisation (hub admins)", button: "Add organisation",
                      fields: [("name", "Name", nil), ("country", "Country (ISO 3166-1, e.g. KR)", nil), ("sector", "Sector", nil)]),
            AdminForm(action: "communities", legend: "Create a community (hub admins)", button: "Create community", fields: [("name", "Name", nil)]),
            AdminForm(action: "membership", legend: "Community membership (hub admins)", button: "Apply",
                      fields: [("community", "Community", nil), ("organisation", "Organisation", nil), ("member", "Change", ["join", "leave"])]),
        ]
    }

    /// Adds `/manage` and its form actions.
    func addWebAdminRoutes(to router: Router<AccordRequestContext>) {
        router.get("manage") { request, context in
            await webAdmin(request, context) { pages, caller, chrome in
                page(try await managePage(pages, caller, chrome, notice: nil, error: nil, secret: nil))
            }
        }
        router.post("manage/:action") { request, context in
            let action = context.parameters.get("action") ?? ""
            let form = await formBody(request)
            return await webAdmin(request, context) { pages, caller, chrome in
                guard form["csrf"] == chrome.csrf, !chrome.csrf.isEmpty else {
                    return page(try await managePage(pages, caller, chrome, notice: nil, error: "The form expired; please try again.", secret: nil), status: .forbidden)
                }
                do {
                    let response = try await adminAction(action, form, caller)
                    let answer = try? JSONParser.parse(Array(try await response.bodyBytes()))
                    let secret = answer?["secret"]?.stringValue
                    return page(try await managePage(pages, caller, chrome, notice: "Done: \(action.replacingOccurrences(of: "-", with: " ")).", error: nil, secret: secret))
                } catch let error as TAXIIError {
                    return page(try await managePage(pages, caller, chrome, notice: nil, error: error.detail ?? error.title, secret: nil),
                                status: .init(code: error.status))
                }
            }
        }
    }

    /// Runs `body` for a signed-in admin; others get the sign-in page or a 403 page.
    func webAdmin(_ request: Request, _ context: AccordRequestContext,
                  _ body: (WebPages, Caller, PageChrome) async throws -> Response) async -> Response {
        guard let pages = webState.pages else { return unavailable() }
        let sessionID = cookies(request)[Self.sessionCookie]
        guard let session = await webState.sessions.session(sessionID, in: store) else { return redirectToSignIn(clearSession: sessionID != nil) }
        let principal = session.principal
        var chrome = PageChrome(viewer: principal.name, csrf: session.csrf)
        chrome.admin = principal.role == .admin
        guard principal.role == .admin else {
            return page(pages.message("Not allowed", "Managing the hub needs an admin token of your organisation.", chrome: chrome), status: .forbidden)
        }
        do {
            return try await body(pages, Caller(signedIn: principal), chrome)
        } catch {
            context.logger.error("admin page failed: \(error)")
            return page(pages.message("Something went wrong", "The page could not be built; the server log has the details.", chrome: chrome), status: .internalServerError)
        }
    }

    /// Turns a form into the admin API call it stands for.
    func adminAction(_ action: String, _ form: [String: String], _ caller: Caller) async throws -> Response {
        func body(_ names: [String]) -> Request {
            var members: [(String, JSONValue)] = []
            for name in names {
                guard let value = form[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { continue }
                if name == "expires_in_days", let n = Int(value) { members.append((name, .number(JSONNumber(text: String(n))))) } else { members.append((name, .string(value))) }
            }
            let bytes = CanonicalJSON.bytes(of: .object(JSONObject(members)))
            return Request(head: HTTPRequest(method: .post, scheme: nil, authority: nil, path: "/admin/" + action, headerFields: [.contentType: "application/json"]),
                           body: .init(buffer: ByteBuffer(bytes: bytes)))
        }
        switch action {
        case "tokens": return try await createToken(body(["name", "role", "organisation", "user", "expires_in_days"]), caller)
        case "users": return try await createUser(body(["name", "email", "role", "organisation"]), caller)
        case "collections": return try await createCollection(body(["alias", "title", "visibility", "community", "organisation", "default_tlp"]), caller)
        case "organisations": return try await createOrganisation(body(["name", "country", "sector"]), caller)
        case "communities": return try await createCommunity(body(["name"]), caller)
        case "membership":
            return try await setMembership(form["community"] ?? "", form["organisation"] ?? "", member: form["member"] != "leave", caller)
        default:
            if action.hasPrefix("revoke-token-") { return try await revokeToken(String(action.dropFirst("revoke-token-".count)), caller) }
            if action.hasPrefix("revoke-user-") { return try await revokeUser(String(action.dropFirst("revoke-user-".count)), caller) }
            throw TAXIIError(status: 404, title: "Not found", description: "no such change: \(action)")
        }
    }

    /// The admin page: the caller's organisations, communities, collections, users and tokens.
    func managePage(_ pages: WebPages, _ caller: Caller, _ chrome: PageChrome, notice: String?, error: String?, secret: String?) async throws -> String {
        func list(_ call: () async throws -> Response, _ key: String) async -> [JSONObject] {
            guard let response = try? await call(), response.status == .ok, let bytes = try? await response.bodyBytes(),
                  let value = try? JSONParser.parse(bytes) else { return [] }
            return value[key]?.arrayValue?.compactMap(\.objectValue) ?? []
        }
        func cell(_ v: JSONValue?) -> String {
            switch v {
            case .string(let s)?: return s
            case .number(let n)?: return n.text
            case .bool(let b)?: return b ? "yes" : "no"
            case .array(let a)?: return a.compactMap(\.stringValue).joined(separator: ", ")
            default: return ""
            }
        }
        func table(_ key: String, _ title: String, _ rows: [JSONObject], _ columns: [String], revoke: String? = nil) -> [String: Any] {
            ["key": key, "title": title, "header": columns.map { $0.replacingOccurrences(of: "_", with: " ") }, "has_rows": !rows.isEmpty, "revoke": revoke != nil,
             "rows": rows.map { row -> [String: Any] in
                 var r: [String: Any] = ["cells": columns.map { c in c == "organisation" ? orgNames[cell(row[c])] ?? cell(row[c]) : cell(row[c]) }]
                 if let revoke, row["revoked"] == nil || row["revoked"] == .null, let id = row["id"]?.stringValue {
                     r["action"] = ["action": "/manage/revoke-\(revoke)-\(id)", "label": "Revoke"]
                 }
                 return r
             }]
        }
        let scope = try await adminScope(caller)
        let organisations = await list({ try await listOrganisations(caller) }, "organisations")
        var orgNames = Dictionary(organisations.compactMap { o in o["id"]?.stringValue.map { ($0, o["name"]?.stringValue ?? $0) } }, uniquingKeysWith: { a, _ in a })
        if let own = try await store.organisation(scope.organisation) { orgNames[own.id] = own.name }
        let tables: [[String: Any]] = [
            table("organisations", "Organisations", organisations, ["name", "country", "sector", "id"]),
            table("communities", "Communities", await list({ try await listCommunities(caller) }, "communities"), ["name", "members", "id"]),
            table("collections", "Collections", await list({ try await listCollections(caller) }, "collections"), ["alias", "title", "visibility", "default_tlp", "read_only"]),
            table("users", "Users", await list({ try await listUsers(caller) }, "users"), ["name", "email", "role", "organisation", "revoked"], revoke: "user"),
            table("tokens", "Tokens", await list({ try await listTokens(caller) }, "tokens"), ["name", "role", "organisation", "user", "expires", "revoked", "last_used"], revoke: "token"),
        ]
        let ownName = try await store.organisation(scope.organisation)?.name ?? scope.organisation
        var context: [String: Any] = [
            "scope": scope.hubAdmin ? "the whole hub (you are an admin of the operator's organisation)" : "your organisation, \(ownName)",
            "tables": tables, "csrf": chrome.csrf,
            "forms": Self.adminForms.map { f -> [String: Any] in
                ["action": f.action, "legend": f.legend, "button": f.button,
                 "fields": f.fields.map { field -> [String: Any] in
                     var c: [String: Any] = ["id": "\(f.action)-\(field.name)", "name": field.name, "label": field.label, "is_select": field.choices != nil,
                                             "required": ["name", "alias", "title", "country"].contains(field.name)]
                     if let choices = field.choices { c["choices"] = choices.map { ["value": $0, "text": $0] } }
                     return c
                 }]
            },
        ]
        if let notice { context["notice"] = notice }
        if let error { context["error"] = error }
        if let secret { context["secret"] = secret }
        return pages.render("Manage the hub", template: "manage", context: context, chrome: chrome, nav: "manage")
    }
}

extension Response {
    /// The body's bytes (admin API answers are small and already complete).
    func bodyBytes() async throws -> [UInt8] {
        var collected: [UInt8] = []
        let writer = CollectingWriter()
        _ = try await body.write(writer)
        collected = writer.bytes
        return collected
    }
}

/// A response body writer that keeps what is written.
final class CollectingWriter: ResponseBodyWriter, @unchecked Sendable {
    var bytes: [UInt8] = []

    func write(_ buffer: ByteBuffer) async throws { bytes += Array(buffer.readableBytesView) }
    func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
