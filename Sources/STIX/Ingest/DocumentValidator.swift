import Crypto

/// The verdict on one object of a document, as `accord validate` reports it.
public struct ObjectReport: Sendable {
    /// Position in the objects list.
    public var index: Int
    /// The object's id, when it had a string one.
    public var id: String?
    /// Every issue found (errors make it invalid).
    public var issues: [ValidationIssue]
    /// For standard SCOs with id-contributing properties, the id STIX says they should carry.
    public var deterministicID: String?

    /// True when no issue is an error.
    public var isValid: Bool { !issues.contains { $0.severity == .error } }
}

/// Validates every object of a bundle, envelope or single object, streaming, and also the
/// document-level rules: the bundle header, and the same version appearing twice with
/// different content.
///
/// ```swift
/// var validator = DocumentValidator(source: try FileByteSource(path: "bundle.json"))
/// while let report = try validator.next() { ... }
/// validator.headerIssues
/// ```
public struct DocumentValidator<Source: ByteSource> {
    private var reader: BundleReader<Source>
    private var validator: Validator
    /// Fingerprint of the first occurrence of each (id, modified).
    private var seen: [String: SHA256.Digest] = [:]
    private var firstIndex: [String: Int] = [:]

    /// Problems with the document's top-level members; complete once `next()` returned nil.
    public private(set) var headerIssues: [ValidationIssue] = []

    /// Creates a validator reading `source`, knowing the extension definitions `extensions` and
    /// learning those the document holds (each applies to the objects after it).
    public init(source: Source, extensions: ExtensionSchemas = ExtensionSchemas()) {
        reader = BundleReader(source: source)
        validator = Validator(extensions: extensions)
    }

    /// Validates the next object; nil at the end of a well-formed document.
    public mutating func next() throws(DocumentError) -> ObjectReport? {
        guard let element = try reader.next() else {
            headerIssues = ElementPreparer.checkHeader(shape: reader.shape, header: reader.header)
            return nil
        }
        let value: JSONValue
        do {
            value = try JSONParser.parse(element.raw)
        } catch {
            let issue = ValidationIssue(.error, path: "$", reason: "invalid JSON: \(error.reason) (at byte \(element.offset + error.offset) of the input)")
            return ObjectReport(index: element.index, id: nil, issues: [issue])
        }
        var result = validator.validate(value)
        if result.isValid { validator.learn(value, into: &result) }
        var report = ObjectReport(index: element.index, id: result.id, issues: result.issues,
                                  deterministicID: DeterministicID.compute(for: value))
        if let id = result.id {
            let key = id + "|" + (value["modified"]?.stringValue ?? "")
            let digest = SHA256.hash(data: CanonicalJSON.bytes(of: value))
            if let earlier = seen[key] {
                if earlier != digest {
                    if value["modified"] == nil {
                        // Unversioned objects (SCOs, markings) from several producers may differ; the first is kept.
                        report.issues.append(.init(.warning, path: "$", reason: "objects[\(firstIndex[key] ?? 0)] has the same id with different content; an importer keeps the first"))
                    } else {
                        report.issues.append(.init(.error, path: "$", reason: "duplicate: objects[\(firstIndex[key] ?? 0)] has the same id and modified with different content"))
                    }
                }
            } else {
                seen[key] = digest
                firstIndex[key] = element.index
            }
        }
        return report
    }
}
