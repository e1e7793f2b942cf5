import Foundation
import KnowledgeBase
import Mustache
import STIX
import Store

/// What every page shows around its content: who is signed in and the search box.
public struct PageChrome: Sendable {
    /// The signed-in principal's display name (nil: anonymous).
    public var viewer: String?
    /// The session's CSRF token for the forms that change something.
    public var csrf: String
    /// The current search text.
    public var query: String
    /// Whether the viewer is an admin (the Manage link).
    public var admin = false
    /// Whom the access policy sees (for the store queries a page makes beyond its snapshot).
    public var reader: Viewer = .anonymous

    /// Creates the chrome.
    public init(viewer: String?, csrf: String, query: String = "") {
        self.viewer = viewer
        self.csrf = csrf
        self.query = query
    }
}

/// Renders the pages from swift-mustache templates (Sources/Web/Templates) and a reader's
/// snapshot. Every list, chart, graph and count comes from the snapshot, so it shows only
/// what the reader may read.
public struct WebPages: Sendable {
    let library: MustacheLibrary

    /// The templates in Sources/Web/Templates.
    static let templates = ["layout", "overview", "actors", "incidents", "diplomacy", "object", "search", "signin", "message", "manage"]

    /// Loads the templates bundled with the module.
    public init() throws {
        var library = MustacheLibrary()
        for name in Self.templates {
            guard let url = Bundle.module.url(forResource: name, withExtension: "mustache", subdirectory: "Templates") else {
                throw WebError("the page template \(name).mustache is missing from this build")
            }
            library.register(try MustacheTemplate(string: try String(contentsOf: url, encoding: .utf8)), named: name)
        }
        self.library = library
    }

    /// The stylesheet.
    public static func stylesheet() throws -> [UInt8] {
        guard let url = Bundle.module.url(forResource: "accord", withExtension: "css", subdirectory: "Static") else {
            throw WebError("the stylesheet is missing from this build")
        }
        return try [UInt8](Data(contentsOf: url))
    }

    /// Renders `template` with `context` inside the layout.
    func page(_ title: String, _ template: String, _ context: [String: Any], chrome: PageChrome, nav: String? = nil) -> String {
        let body = library.render(context, withTemplate: template) ?? ""
        var layout: [String: Any] = ["title": title, "body": body, "csrf": chrome.csrf, "query": chrome.query]
        if let viewer = chrome.viewer { layout["viewer"] = viewer }
        if chrome.admin { layout["admin"] = true }
        if let nav { layout["nav_" + nav] = true }
        return library.render(layout, withTemplate: "layout") ?? ""
    }

    /// A page with one message (not found, signed out...).
    public func message(_ title: String, _ message: String, chrome: PageChrome) -> String {
        page(title, "message", ["message": message], chrome: chrome)
    }

    /// Renders any template inside the layout (the server's admin pages build their own context).
    public func render(_ title: String, template: String, context: [String: Any], chrome: PageChrome, nav: String? = nil) -> String {
        page(title, template, context, chrome: chrome, nav: nav)
    }

    /// The sign-in form.
    public func signIn(error: String?, chrome: PageChrome) -> String {
        var context: [String: Any] = ["csrf": chrome.csrf]
        if let error { context["error"] = error }
        return page("Sign in", "signin", context, chrome: chrome)
    }

    // MARK: - Helpers shared by the pages

    /// The link to an object's page.
    static func href(_ id: String) -> String { "/objects/" + id }

    /// The Accord incident extension of an incident.
    static func incidentDetails(_ o: JSONObject) -> JSONObject? { o["extensions"]?[KnowledgeBase.incidentExtensionID]?.objectValue }

    /// The Accord identity extension of an identity.
    static func identityDetails(_ o: JSONObject) -> JSONObject? { o["extensions"]?[KnowledgeBase.identityExtensionID]?.objectValue }

    /// The strings of a list property.
    static func strings(_ value: JSONValue?) -> [String] { value?.arrayValue?.compactMap(\.stringValue) ?? [] }

    /// "2014-11-24" from a timestamp.
    static func day(_ value: JSONValue?) -> String { value?.stringValue.map { String($0.prefix(10)) } ?? "" }

    /// A year with its fraction, for timelines.
    static func fractionalYear(_ text: String?) -> Double? {
        guard let text, text.count >= 10, let y = Double(text.prefix(4)), let m = Double(text.dropFirst(5).prefix(2)), let d = Double(text.dropFirst(8).prefix(2)) else { return nil }
        return y + (m - 1) / 12 + (d - 1) / 365
    }

    /// A money amount in words a reader takes in at a glance.
    static func money(_ amount: Double, _ currency: String) -> String {
        "\(Landscape.grouped(amount)) \(currency)"
    }
}

/// A web interface that cannot start.
public struct WebError: Error, CustomStringConvertible {
    /// What went wrong.
    public var description: String

    init(_ description: String) { self.description = description }
}
