import Matching
import Testing

@Suite("Indicator index")
struct IndicatorIndexTests {
    func names(_ found: [IndexedIndicator]) -> [String] { found.compactMap(\.name).sorted() }

    @Test("equality, CIDR ranges and LIKE prefixes are looked up; other patterns are evaluated for every value")
    func lookups() throws {
        var index = IndicatorIndex()
        try index.add(IndexedIndicator(id: "indicator--1", name: "address", pattern: "[ipv4-addr:value = '198.51.100.7']"))
        try index.add(IndexedIndicator(id: "indicator--2", name: "range", pattern: "[ipv4-addr:value ISSUBSET '203.0.113.0/24']"))
        try index.add(IndexedIndicator(id: "indicator--3", name: "v6", pattern: "[ipv6-addr:value ISSUBSET '2001:db8::/32']"))
        try index.add(IndexedIndicator(id: "indicator--4", name: "prefix", pattern: "[url:value LIKE 'http://evil.example/%']"))
        try index.add(IndexedIndicator(id: "indicator--5", name: "any", pattern: "[ipv4-addr:value NOT = '10.0.0.1']"))
        #expect(index.count == 5 && index.unindexedCount == 1)
        let ipv4 = index.lookup(PlainObservable.ipv4.property)
        #expect(names(ipv4.matches("198.51.100.7", time: 0)) == ["address", "any"])
        #expect(names(ipv4.matches("203.0.113.200", time: 0)) == ["any", "range"])
        #expect(names(ipv4.matches("10.0.0.1", time: 0)) == [])
        #expect(names(index.matches(PlainObservable.ipv6.property, value: "2001:db8::1", time: 0)) == ["v6"])
        #expect(names(index.matches(PlainObservable.url.property, value: "http://evil.example/gate.php", time: 0)) == ["prefix"])
        #expect(names(index.matches(PlainObservable.url.property, value: "http://good.example/", time: 0)) == [])
    }

    @Test("a new version replaces the old one; removal takes an indicator out of every table")
    func incremental() throws {
        var index = IndicatorIndex()
        try index.add(IndexedIndicator(id: "indicator--1", name: "old", pattern: "[domain-name:value = 'a.example']"))
        try index.add(IndexedIndicator(id: "indicator--1", name: "new", pattern: "[domain-name:value = 'b.example']"))
        let domain = PlainObservable.domain.property
        #expect(index.count == 1)
        #expect(names(index.matches(domain, value: "a.example", time: 0)) == [])
        #expect(names(index.matches(domain, value: "b.example", time: 0)) == ["new"])
        index.remove(id: "indicator--1")
        #expect(index.count == 0 && names(index.matches(domain, value: "b.example", time: 0)) == [])
        #expect(throws: (any Error).self) { try index.add(IndexedIndicator(id: "indicator--2", name: nil, pattern: "[domain-name:value =")) }
    }

    @Test("bare values are classified by shape")
    func classification() {
        let cases: [(String, PlainObservable?)] = [
            ("198.51.100.7", .ipv4), ("2001:db8::1", .ipv6), ("https://evil.example/a", .url), ("kim@example.kr", .email),
            ("evil.example", .domain), ("00:1a:2b:3c:4d:5e", .mac), (String(repeating: "a", count: 32), .md5),
            (String(repeating: "b", count: 40), .sha1), (String(repeating: "c", count: 64), .sha256),
            (String(repeating: "d", count: 128), .sha512), ("256.1.1.1", nil), ("not an observable", nil), ("1234", nil),
        ]
        for (text, kind) in cases { #expect(PlainObservable.infer(text) == kind, "\(text)") }
    }
}
