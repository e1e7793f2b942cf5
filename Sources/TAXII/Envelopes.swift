import NIOCore
import STIX
import Store

/// Writes TAXII resources around stored objects without re-encoding them: each object's
/// original bytes go into the envelope as they are.
///
/// ```swift
/// let body = Envelopes.objects(page)          // {"more":false,"objects":[...]} or {}
/// ```
public enum Envelopes {
    /// The `X-TAXII-Date-Added-First` and `-Last` header values of a page, when it has objects.
    public static func dateAddedHeaders(_ page: ObjectPage) -> (first: String, last: String)? {
        guard let first = page.objects.first, let last = page.objects.last else { return nil }
        return (Timestamp(microseconds: first.dateAdded).taxiiString, Timestamp(microseconds: last.dateAdded).taxiiString)
    }

    /// An envelope: `more`, `next` when there is more, and `objects`; `{}` when empty.
    public static func objects(_ page: ObjectPage) -> [UInt8] {
        Array(objectsBuffer(page).readableBytesView)
    }

    /// The envelope written straight into the buffer the server sends (one copy of each object).
    public static func objectsBuffer(_ page: ObjectPage) -> ByteBuffer {
        guard !page.objects.isEmpty else { return ByteBuffer(string: "{}") }
        let head = header(page)
        var out = ByteBufferAllocator().buffer(capacity: head.count + 16 + page.objects.reduce(0) { $0 + $1.raw.count + 1 })
        out.writeBytes(head)
        out.writeString(#","objects":["#)
        for (i, o) in page.objects.enumerated() {
            if i > 0 { out.writeInteger(UInt8(ascii: ",")) }
            out.writeBytes(o.raw)
        }
        out.writeString("]}")
        return out
    }

    /// A manifest: id, date_added, version and media_type of each object; `{}` when empty.
    public static func manifest(_ page: ObjectPage) -> [UInt8] {
        guard !page.objects.isEmpty else { return Array("{}".utf8) }
        var out = header(page)
        out += Array(#","objects":["#.utf8)
        for (i, o) in page.objects.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out += Array(#"{"id":"#.utf8)
            CanonicalJSON.writeString(o.id, to: &out)
            out += Array(#","date_added":""#.utf8) + Array(Timestamp(microseconds: o.dateAdded).taxiiString.utf8)
            out += Array(#"","version":"#.utf8)
            CanonicalJSON.writeString(version(of: o), to: &out)
            out += Array(#","media_type":"#.utf8)
            CanonicalJSON.writeString("application/stix+json;version=" + o.specVersion, to: &out)
            out += Array("}".utf8)
        }
        out += Array("]}".utf8)
        return out
    }

    /// A versions resource: the versions of one object, oldest first; `{}` when none.
    public static func versions(_ page: ObjectPage) -> [UInt8] {
        guard !page.objects.isEmpty else { return Array("{}".utf8) }
        var out = header(page)
        out += Array(#","versions":["#.utf8)
        for (i, o) in page.objects.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            CanonicalJSON.writeString(version(of: o), to: &out)
        }
        out += Array("]}".utf8)
        return out
    }

    /// The version TAXII reports: `modified` as the object writes it, else `created` (marking
    /// definitions), else the time it was added (SCOs have neither).
    public static func version(of o: StoredObject) -> String {
        o.versionText ?? Timestamp(microseconds: o.dateAdded).taxiiString
    }

    private static func header(_ page: ObjectPage) -> [UInt8] {
        var out = Array("{\"more\":\(page.more)".utf8)
        if let next = page.next { out += Array(",\"next\":\"\(next.token)\"".utf8) }
        return out
    }
}
